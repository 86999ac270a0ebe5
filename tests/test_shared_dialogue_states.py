"""A conversation works out its past dialogue states once for all the policies of a
prediction, and they are exactly Rasa's own (bot/shared_dialogue_states.py)."""

from __future__ import annotations

import asyncio
import copy
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.shared_dialogue_states import Replay, install_shared_dialogue_states
from tests.model_visits import story_trackers, visit

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


# Asked after every event: both questions the policies ask, as Rasa's RulePolicy
# asks them (rule-only slots and forms hidden) and plainly.
QUESTIONS: tuple[dict[str, Any], ...] = (
    {},
    {"omit_unset_slots": True},
    {
        "ignore_rule_only_turns": True,
        "rule_only_data": {"slots": ["safety_question"], "loops": ["checkin_form"]},
    },
)

# Events after which Rasa counts earlier events differently: each must start again.
STARTING_AGAIN: tuple[Event, ...] = (
    UserUtteranceReverted(),
    ActionReverted(),
    ActionExecuted("action_listen"),
    UserUttered("hi", intent={"name": "greet", "confidence": 1.0}),
    Restarted(),
    ActionExecuted("action_session_start"),
    SessionStarted(),
    ActionExecuted("action_listen"),
)


def test_a_conversation_growing_event_by_event_gets_rasas_states(
    loaded_agent: Agent, shared: Any
) -> None:
    domain = loaded_agent.domain
    assert domain is not None
    rasas_own = shared.__wrapped__
    carried: Counter[bool] = Counter()
    original_carry_on = Replay.carry_on

    def counted_carry_on(self: Replay, tracker: DialogueStateTracker) -> bool:
        went_on = original_carry_on(self, tracker)
        carried[went_on] += 1
        return went_on

    Replay.carry_on = counted_carry_on  # type: ignore[method-assign]
    compared = 0
    try:
        for story in story_trackers(domain):
            growing = DialogueStateTracker(story.sender_id, domain.slots)
            for event in [*story.events, *STARTING_AGAIN]:
                growing.update(event)
                for question in QUESTIONS:
                    own = rasas_own(growing, domain, **question)
                    assert growing.past_states(domain, **question) == own
                    compared += 1
    finally:
        Replay.carry_on = original_carry_on  # type: ignore[method-assign]

    # Most answers carried on from the last one (about 70 %: each form turn that
    # Rasa folds into the previous one starts again); some had to start again.
    assert carried[True] > 2 * carried[False], (carried, compared)
    assert carried[False] > 0, carried


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


def test_the_next_message_carries_on_from_the_stores_copy(
    loaded_agent: Agent, shared: Any
) -> None:
    """The store rebuilds the conversation for each message, with new event objects:
    the replay still carries on, and not when an event's content differs."""
    domain = loaded_agent.domain
    assert domain is not None
    handle(loaded_agent, "shared-states-5", VISIT[:4])
    first = stored_copy(loaded_agent, "shared-states-5")
    assert first.past_states(domain) == shared.__wrapped__(first, domain)

    carried: list[bool] = []
    original_carry_on = Replay.carry_on

    def counted_carry_on(self: Replay, tracker: DialogueStateTracker) -> bool:
        carried.append(original_carry_on(self, tracker))
        return carried[-1]

    Replay.carry_on = counted_carry_on  # type: ignore[method-assign]
    try:
        later = stored_copy(loaded_agent, "shared-states-5")
        later.update(ActionExecuted("utter_greet"))
        assert later.past_states(domain) == shared.__wrapped__(later, domain)
        assert carried == [True], "the store's copy was recognised"

        changed = stored_copy(loaded_agent, "shared-states-5")
        user = next(e for e in changed.events if isinstance(e, UserUttered))
        user.intent = {"name": "deny", "confidence": 1.0}  # same time, new content
        assert changed.past_states(domain) == shared.__wrapped__(changed, domain)
        assert carried[-1] is False, "a changed event starts the replay again"
    finally:
        Replay.carry_on = original_carry_on  # type: ignore[method-assign]


def stored_copy(agent: Agent, sender: str) -> DialogueStateTracker:
    """The conversation as a tracker store gives it back: every event a new object."""
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    assert tracker is not None and len(tracker.events) > 5
    return DialogueStateTracker.from_dict(
        sender, [event.as_dict() for event in tracker.events], domain_slots(agent)
    )


def domain_slots(agent: Agent) -> list[Any]:
    assert agent.domain is not None
    return agent.domain.slots
