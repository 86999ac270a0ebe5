"""RulePolicy remembers which rules fit a state, and its answers stay exactly its
own (bot/remembered_rules.py)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.trackers import DialogueStateTracker

import bot.remembered_rules as remembered_rules
from bot.remembered_rules import (
    MEMORY_ATTRIBUTE,
    install_remembered_rules,
    remembered_possible_keys,
)
from tests.model_visits import graph_nodes, story_trackers, visit


@pytest.fixture
def rule_policy(loaded_agent: Agent, rasa_extensions_undone: None) -> Iterator[Any]:
    """The loaded model's RulePolicy, with the memory installed and emptied after."""
    nodes = [
        node
        for node in graph_nodes(loaded_agent)
        if isinstance(getattr(node, "_component", None), RulePolicy)
    ]
    assert len(nodes) == 1, "config.yml names RulePolicy once"
    node, policy, own_fn = nodes[0], nodes[0]._component, nodes[0]._fn
    install_remembered_rules()
    # The node took its method when the model was loaded; the server installs first.
    node._fn = RulePolicy.predict_action_probabilities
    yield policy
    node._fn = own_fn
    policy.__dict__.pop(MEMORY_ATTRIBUTE, None)


def count_rule_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows each time RulePolicy checks one rule against a state."""
    checks: list[int] = []
    check = RulePolicy._is_rule_applicable

    def counted(self: RulePolicy, *args: Any) -> bool:
        checks.append(1)
        return check(self, *args)

    monkeypatch.setattr(RulePolicy, "_is_rule_applicable", counted)
    return checks


def test_every_remembered_answer_is_rulepolicys_own(
    loaded_agent: Agent, rule_policy: RulePolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    domain = loaded_agent.domain
    assert domain is not None
    searches = count_rule_checks(monkeypatch)
    compared = 0
    for story in story_trackers(domain):
        growing = DialogueStateTracker(story.sender_id, domain.slots)
        for event in story.events:
            growing.update(event)
            rule_policy.__dict__.pop(MEMORY_ATTRIBUTE, None)
            own, _ = rule_policy._predict(growing, domain)  # no memory: Rasa's own
            first = rule_policy.predict_action_probabilities(growing, domain)
            del searches[:]
            again = rule_policy.predict_action_probabilities(growing, domain)
            assert not searches, "the second answer searched the rules again"
            assert first == own
            assert again == own
            compared += 1
    assert compared > 500, compared


def test_a_second_visit_along_the_same_path_searches_no_rule(
    loaded_agent: Agent, rule_policy: RulePolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ("hello", "/start_checkin", "I feel lonely", "since I was small", "yes")
    visit(loaded_agent, "rules-remembered-1", texts)
    assert rule_policy.__dict__[MEMORY_ATTRIBUTE], "the server's RulePolicy kept none"
    searches = count_rule_checks(monkeypatch)
    visit(loaded_agent, "rules-remembered-2", texts)
    assert searches == []


def test_training_starts_with_no_memory(
    monkeypatch: pytest.MonkeyPatch, rasa_extensions_undone: None
) -> None:
    trained: list[bool] = []

    def fake_train(self: RulePolicy, *args: Any, **kwargs: Any) -> str:
        trained.append(MEMORY_ATTRIBUTE in self.__dict__)
        return "resource"

    monkeypatch.setattr(RulePolicy, "train", fake_train)
    install_remembered_rules()
    policy = RulePolicy.__new__(RulePolicy)
    policy.__dict__[MEMORY_ATTRIBUTE] = OrderedDict()
    assert policy.train([], None) == "resource"
    assert trained == [False]


def test_the_memory_is_bounded_and_least_recently_used_goes_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(remembered_rules, "REMEMBERED_STATES", 2)
    memory: remembered_rules.Memory = OrderedDict()
    lookup = {"rule": "action"}
    asked: list[str] = []

    def work_out(_: dict[str, str], states: list[Any]) -> set[str]:
        asked.append(states[0]["user"]["intent"])
        return {states[0]["user"]["intent"]}

    def ask(intent: str) -> set[str]:
        return remembered_possible_keys(
            memory, lookup, [{"user": {"intent": intent}}], work_out
        )

    assert ask("a") == {"a"}
    assert ask("b") == {"b"}
    assert ask("a") == {"a"}  # from memory; now the most recent
    assert ask("c") == {"c"}  # "b" goes
    assert asked == ["a", "b", "c"]
    assert ask("b") == {"b"}
    assert asked == ["a", "b", "c", "b"]
    assert len(memory) == 2


def test_states_that_cannot_be_a_key_are_worked_out_each_time() -> None:
    memory: remembered_rules.Memory = OrderedDict()
    unhashable = [{"slots": {"feeling": ["a", "list"]}}]
    asked: list[int] = []

    def work_out(_: dict[str, str], __: list[Any]) -> set[str]:
        asked.append(1)
        return {"rule"}

    for _ in range(2):
        assert remembered_possible_keys(memory, {}, unhashable, work_out) == {"rule"}
    assert asked == [1, 1]
    assert not memory
