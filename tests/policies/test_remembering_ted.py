"""Tend's TED gives, for a dialogue state it has met before, exactly the answer TED
computes, without computing it again (bot/policies/remembering_ted.py)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.nlu.constants import TEXT

from bot.policies import remembering_ted
from bot.policies.remembering_ted import RememberingTEDPolicy, state_key
from tests.model_visits import remembering_ted_node, visit

# Two visits along the same path, then a different one: the second meets states the
# first left behind.
VISIT = (
    "good evening",
    "/start_checkin",
    "I'm feeling sad and so tired",
    "since I was about eight",
    "yes",
)
OTHER_VISIT = ("hello", "can we do the safe place exercise", "i'd rather stop now")


@pytest.fixture
def ted_node(loaded_agent: Agent) -> Iterator[Any]:
    """The graph node that runs Tend's TED, emptied before and after the test."""
    node = remembering_ted_node(loaded_agent)
    own_fn = node._fn
    node._component._answers.clear()
    yield node
    node._fn = own_fn
    node._component._answers.clear()


def test_a_remembered_answer_is_exactly_teds_own(
    loaded_agent: Agent, ted_node: Any
) -> None:
    compared: list[tuple[bool, PolicyPrediction, PolicyPrediction]] = []

    def both(policy: RememberingTEDPolicy, *args: Any, **kwargs: Any) -> Any:
        known_before = len(policy._answers)
        remembering = RememberingTEDPolicy.predict_action_probabilities(
            policy, *args, **kwargs
        )
        remembered = len(policy._answers) == known_before
        own = TEDPolicy.predict_action_probabilities(policy, *args, **kwargs)
        compared.append((remembered, remembering, own))
        return remembering

    ted_node._fn = both
    visit(loaded_agent, "remembering-1", VISIT)
    visit(loaded_agent, "remembering-2", VISIT)
    visit(loaded_agent, "remembering-3", OTHER_VISIT)

    hits = [one for one in compared if one[0]]
    assert len(hits) >= len(VISIT), "the second visit meets the first one's states"
    assert len(hits) < len(compared), "new states are computed"
    for index, (_, remembering, own) in enumerate(compared):
        assert remembering.probabilities == own.probabilities, f"prediction {index}"
        assert remembering.policy_name == own.policy_name
        assert remembering.is_end_to_end_prediction == own.is_end_to_end_prediction
        assert remembering.optional_events == own.optional_events


def test_the_memory_is_bounded(
    loaded_agent: Agent, ted_node: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remembering_ted, "REMEMBERED_STATES", 3)
    visit(loaded_agent, "bounded", VISIT + OTHER_VISIT)
    assert len(ted_node._component._answers) == 3


def test_states_are_keyed_by_content_not_order() -> None:
    one = [{"user": {"intent": "greet", "entities": ("feeling",)}, "slots": {}}]
    same = [{"slots": {}, "user": {"entities": ("feeling",), "intent": "greet"}}]
    other = [{"user": {"intent": "deny", "entities": ("feeling",)}, "slots": {}}]
    longer = [{}, *one]
    assert state_key(one) == state_key(same)
    assert hash(state_key(one)) == hash(state_key(same))
    assert len({state_key(one), state_key(other), state_key(longer)}) == 3


@pytest.mark.parametrize(
    ("only_e2e", "features", "latest_action", "reads_words"),
    [
        (False, {"intent": []}, ACTION_LISTEN_NAME, False),
        (False, {"intent": [], TEXT: []}, ACTION_LISTEN_NAME, True),
        (False, {"intent": [], TEXT: []}, "utter_greet", False),
        (True, {TEXT: []}, "utter_greet", True),
    ],
)
def test_nothing_is_remembered_when_ted_reads_the_words(
    only_e2e: bool, features: dict, latest_action: str, reads_words: bool
) -> None:
    # With end-to-end stories TED reads the person's text: no state then repeats.
    policy = SimpleNamespace(only_e2e=only_e2e, fake_features=features)
    tracker = SimpleNamespace(latest_action_name=latest_action)
    assert RememberingTEDPolicy._reads_words(policy, tracker) is reads_words  # type: ignore[arg-type]
