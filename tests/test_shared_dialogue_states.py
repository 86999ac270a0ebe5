"""A conversation works out its past dialogue states once for all the policies of a
prediction, and they are exactly Rasa's own (bot/shared_dialogue_states.py)."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.shared_dialogue_states import install_shared_dialogue_states
from tests.model_visits import visit

VISIT = (
    "hello",
    "/start_checkin",
    "I feel lonely and a bit scared",
    "when I was little",
    "yes",
    "can we do the safe place exercise",
    "i'd rather stop now",
)


def handle(agent: Agent, sender: str, texts: tuple[str, ...]) -> None:
    """Each text handled as the server handles it (there is no action server here:
    Tend's custom actions fail and are logged, the rest runs)."""

    async def run() -> None:
        for text in texts:
            await agent.handle_text(text, sender_id=sender)

    asyncio.run(run())


@pytest.fixture
def shared() -> Iterator[Any]:
    """Installs the shared states for one test; puts Rasa's own back afterwards."""
    rasas_own = DialogueStateTracker.past_states
    install_shared_dialogue_states()
    yield DialogueStateTracker.past_states
    DialogueStateTracker.past_states = rasas_own  # type: ignore[method-assign]


def test_every_answer_is_rasas_own(loaded_agent: Agent, shared: Any) -> None:
    rasas_own = shared.__wrapped__
    answers: list[tuple[list[Any], list[Any]]] = []
    given: list[list[Any]] = []  # kept alive, so no two share an id

    def compared(self: DialogueStateTracker, *args: Any, **kwargs: Any) -> Any:
        states = shared(self, *args, **kwargs)
        # Compared as given: the caller may edit its copy afterwards.
        answers.append((copy.deepcopy(states), rasas_own(self, *args, **kwargs)))
        given.append(states)
        return states

    DialogueStateTracker.past_states = compared  # type: ignore[method-assign]
    try:
        # Whole turns: the actions run, and each turn predicts several times on one
        # conversation whose events grow in between.
        handle(loaded_agent, "shared-states-1", VISIT)
    finally:
        DialogueStateTracker.past_states = shared  # type: ignore[method-assign]

    assert len(answers) > 3 * len(VISIT), "the policies asked for states"
    for states, own in answers:
        assert states == own
    assert len({id(states) for states in given}) == len(given), "each gets a copy"


def test_policies_of_one_prediction_share_one_working_out(
    loaded_agent: Agent, shared: Any
) -> None:
    rasas_own = Domain.states_for_tracker_history
    asked: list[int] = []
    worked_out: list[int] = []

    def counting_states(self: Domain, *args: Any, **kwargs: Any) -> Any:
        worked_out.append(1)
        return rasas_own(self, *args, **kwargs)

    def counting_calls(self: DialogueStateTracker, *args: Any, **kwargs: Any) -> Any:
        asked.append(1)
        return shared(self, *args, **kwargs)

    Domain.states_for_tracker_history = counting_states  # type: ignore[method-assign]
    DialogueStateTracker.past_states = counting_calls  # type: ignore[method-assign]
    try:
        visit(loaded_agent, "shared-states-2", VISIT)
    finally:
        Domain.states_for_tracker_history = rasas_own  # type: ignore[method-assign]
        DialogueStateTracker.past_states = shared  # type: ignore[method-assign]

    # Two questions per prediction at most (with and without rule-only turns),
    # where Rasa's policies ask three to five times.
    assert len(worked_out) < 0.7 * len(asked), (len(worked_out), len(asked))


def greeted(domain: Domain, sender: str) -> DialogueStateTracker:
    """A conversation that has only said hello."""
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered("hello", intent={"name": "greet", "confidence": 1.0}),
        ],
        slots=domain.slots,
    )


def test_a_caller_editing_its_states_changes_nobody_elses(
    loaded_agent: Agent, shared: Any
) -> None:
    domain = loaded_agent.domain
    assert domain is not None
    tracker = greeted(domain, "shared-states-3")
    first = tracker.past_states(domain)
    first[-1]["user"].clear()
    first.append({})
    assert tracker.past_states(domain) == shared.__wrapped__(tracker, domain)


def test_a_new_event_gives_new_states(loaded_agent: Agent, shared: Any) -> None:
    domain = loaded_agent.domain
    assert domain is not None
    tracker = greeted(domain, "shared-states-4")
    before = tracker.past_states(domain)
    tracker.update(ActionExecuted("utter_greet"))
    after = tracker.past_states(domain)
    assert len(after) == len(before) + 1
    tracker.update(ActiveLoop("checkin_form"))
    changed = tracker.past_states(domain)
    assert changed != after
    assert changed == shared.__wrapped__(tracker, domain)


def test_the_rasa_server_installs_it(rasa_extensions_undone: None) -> None:
    from bot import server

    server.install_rasa_extensions()
    assert getattr(DialogueStateTracker.past_states, "_tend_shared", False)
