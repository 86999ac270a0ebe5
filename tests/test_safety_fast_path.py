"""When the safety policy decides, Tend answers without the policy graph, and the
answer is exactly the graph's own (bot/safety_fast_path.py)."""

from __future__ import annotations

import asyncio
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.unexpected_intent_policy import UnexpecTEDIntentPolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.graph import GraphSchema, SchemaNode
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.remembering_ted import RememberingTEDPolicy
from bot.policies.safety import SafetyPolicy
from bot.safety_fast_path import install_safety_fast_path, safety_priority

# Conversations that reach every kind of safety answer, in and out of a form.
CONVERSATIONS: dict[str, tuple[str, ...]] = {
    "first-message": ("I want to kill myself", "no", "I want to die"),
    "after-hello": ("hello", "i took all my pills an hour ago", "yes"),
    "mid-form": ("hi", "/start_checkin", "I can't go on, I'm going to end it tonight"),
    "disclosure": ("hello", "I wanted to die when I was 12", "yes"),
    "disclosure-denied": ("hello", "I used to cut myself as a teen", "no, not now"),
    "worries": ("hi", "I'm a burden to everyone", "nothing matters anymore", "no"),
    "someone-else": (
        "hello",
        "my friend says she wants to kill herself",
    ),
    "sos": ("/sos", "hello"),
    "misread": ("he hit me again", "you misunderstood me", "yes I'm safe"),
    "young": ("im 13 and my dad hits me every night", "hi"),
}


def test_every_fast_answer_is_the_graphs_own(
    loaded_agent: Agent, rasa_extensions_undone: None
) -> None:
    graphs_own = MessageProcessor._predict_next_with_tracker
    through_graph: list[str] = []
    fast: list[tuple[PolicyPrediction, PolicyPrediction, str]] = []

    def counted_graph(self: MessageProcessor, tracker: DialogueStateTracker) -> Any:
        through_graph.append(tracker.sender_id)
        return graphs_own(self, tracker)

    MessageProcessor._predict_next_with_tracker = counted_graph  # type: ignore[method-assign]
    install_safety_fast_path()
    fast_path = MessageProcessor._predict_next_with_tracker

    def compared(self: MessageProcessor, tracker: DialogueStateTracker) -> Any:
        before = len(through_graph)
        answer = fast_path(self, tracker)
        if len(through_graph) == before:  # answered without the graph: ask it too
            fast.append((answer, graphs_own(self, tracker), tracker.sender_id))
        return answer

    MessageProcessor._predict_next_with_tracker = compared  # type: ignore[method-assign]
    asyncio.run(_talk(loaded_agent))

    for answer, graphs_own, sender in fast:
        assert answer == graphs_own, sender
        assert answer.events == graphs_own.events, sender
    actions = Counter(
        loaded_agent.domain.action_names_or_texts[answer.max_confidence_index]
        for answer, _, _ in fast
    )
    # Every kind of safety answer came the fast way at least once.
    for action in (
        "utter_crisis",
        "utter_ask_safe_now",
        "utter_disclosure",
        "utter_ask_thoughts_now",
        "utter_support_someone_else",
        "utter_worry_heard",
        "utter_ask_thoughts_of_ending_life",
        "utter_sos",
        "utter_sorry_i_misread",
        "action_listen",
    ):
        assert actions[action] > 0, (action, actions)
    # The crisis mid-form went through the graph first (the form was active).
    assert any(sender.endswith("mid-form") for sender in through_graph)


async def _talk(agent: Agent) -> None:
    for name, texts in CONVERSATIONS.items():
        for text in texts:
            await agent.handle_text(text, sender_id=f"fast-path-{name}")


def schema(*policies: tuple[type, dict[str, Any]]) -> Any:
    """Model metadata holding just a predict schema with these policies."""
    nodes = {
        f"policy_{number}": SchemaNode(
            needs={},
            uses=uses,
            constructor_name="load",
            fn="predict_action_probabilities",
            config=config,
        )
        for number, (uses, config) in enumerate(policies)
    }
    return SimpleNamespace(predict_schema=GraphSchema(nodes))


TENDS_POLICIES = (
    (SafetyPolicy, {}),
    (RulePolicy, {}),
    (MemoizationPolicy, {"max_history": 5}),
    (RememberingTEDPolicy, {"max_history": 5}),
)


def test_tends_policies_let_the_safety_policy_answer_alone(loaded_agent: Agent) -> None:
    assert safety_priority(schema(*TENDS_POLICIES)) == 7
    assert safety_priority(loaded_agent.processor.model_metadata) == 7


@pytest.mark.parametrize(
    "policies",
    [
        pytest.param(TENDS_POLICIES[1:], id="no safety policy (the baseline)"),
        pytest.param(
            (*TENDS_POLICIES, (UnexpecTEDIntentPolicy, {})),
            id="a policy Tend does not know",
        ),
        pytest.param(
            ((SafetyPolicy, {}), (RulePolicy, {"priority": 7})), id="a tie in priority"
        ),
        pytest.param(
            ((SafetyPolicy, {"priority": 2}), (RulePolicy, {})),
            id="safety ranked lower",
        ),
        pytest.param(
            ((SafetyPolicy, {}), (SafetyPolicy, {})), id="two safety policies"
        ),
    ],
)
def test_otherwise_the_graph_answers(
    policies: tuple[tuple[type, dict[str, Any]], ...],
) -> None:
    assert safety_priority(schema(*policies)) is None


def test_the_rasa_server_installs_it(rasa_extensions_undone: None) -> None:
    from bot import server

    server.install_rasa_extensions()
    assert getattr(
        MessageProcessor._predict_next_with_tracker, "_tend_fast_path", False
    )
