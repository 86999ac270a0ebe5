"""A button payload is read without the NLU pipeline, and the reading is exactly the
pipeline's own (bot/button_payloads.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.engine.graph import GraphSchema, SchemaNode
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.trackers import DialogueStateTracker

from bot.button_payloads import button_intents, install_button_payload_shortcut
from bot.nlu.command_guard import CommandSyntaxGuard

# Typed like payloads, but each must still go through the pipeline.
NOT_BUTTONS = (
    "hello",
    "/crisis",  # an internal intent: the guard makes it plain text
    "/nlu_fallback",
    '/menu{"feeling": "calm"}',  # entities would set slots
    "/greet@0.1",
    "/greet and then some",
    "//greet",
    "/ menu",
    "/no_such_intent_here",
    "/",
    "",
    "I want to kill myself /sos",
    "/kill_myself",
)


def _payloads(agent: Agent) -> list[str]:
    allowed = button_intents(agent.processor.model_metadata)
    assert allowed, "the trained model's guard lists no button intents"
    known = sorted(allowed & set(agent.domain.intents))
    assert len(known) >= 20, known
    return [f"/{intent}" for intent in known] + [f"  /{known[0]} \n", f"/{known[1]}\t"]


def test_every_button_payload_reads_as_the_pipeline_reads_it(
    loaded_agent: Agent, rasa_extensions_undone: None
) -> None:
    processor = loaded_agent.processor
    pipelines_own = MessageProcessor._parse_message_with_graph
    through_pipeline: list[str] = []

    def counted(self: MessageProcessor, message: UserMessage, *args: Any) -> Any:
        through_pipeline.append(message.text)
        return pipelines_own(self, message, *args)

    MessageProcessor._parse_message_with_graph = counted  # type: ignore[method-assign]
    install_button_payload_shortcut()
    shortcut = MessageProcessor._parse_message_with_graph
    tracker = DialogueStateTracker.from_events("button-payloads", [])

    payloads = _payloads(loaded_agent)
    for text in payloads:
        for only_output in (True, False):
            message = UserMessage(text, sender_id="button-payloads")
            read = shortcut(processor, message, tracker, only_output)
            assert through_pipeline == [], f"{text!r} went through the pipeline"
            own = pipelines_own(processor, message, tracker, only_output)
            assert read == own, text
            assert read["intent"]["name"] == text.strip()[1:]

    for text in NOT_BUTTONS:
        message = UserMessage(text, sender_id="button-payloads")
        read = shortcut(processor, message, tracker)
        assert through_pipeline == [text], f"{text!r} skipped the pipeline"
        through_pipeline.clear()
        assert read == pipelines_own(processor, message, tracker), text


def test_a_typed_crisis_behind_a_slash_still_escalates(
    loaded_agent: Agent, rasa_extensions_undone: None
) -> None:
    install_button_payload_shortcut()
    parsed = loaded_agent.processor._parse_message_with_graph(
        UserMessage("/i want to kill myself"),
        DialogueStateTracker.from_events("button-crisis", []),
    )
    assert parsed["intent"]["name"] == "crisis"


def test_installing_twice_wraps_once(rasa_extensions_undone: None) -> None:
    pipelines_own = MessageProcessor._parse_message_with_graph
    install_button_payload_shortcut()
    once = MessageProcessor._parse_message_with_graph
    install_button_payload_shortcut()
    assert MessageProcessor._parse_message_with_graph is once
    assert once.__wrapped__ is pipelines_own  # type: ignore[attr-defined]


def _metadata(nodes: dict[str, SchemaNode], nlu_target: str) -> Any:
    return SimpleNamespace(predict_schema=GraphSchema(nodes), nlu_target=nlu_target)


def _node(uses: type, config: dict[str, Any] | None = None) -> SchemaNode:
    return SchemaNode(
        needs={},
        uses=uses,
        constructor_name="create",
        fn="process",
        config=config or {},
    )


@pytest.mark.parametrize(
    ("nodes", "target", "expected"),
    [
        # Tend's shape: the guard and Rasa's handler last.
        (
            {
                "guard": _node(CommandSyntaxGuard, {"button_intents": ["menu"]}),
                "handler": _node(RegexMessageHandler),
            },
            "handler",
            frozenset({"menu"}),
        ),
        # The baseline: no guard, so every payload goes through the pipeline.
        ({"handler": _node(RegexMessageHandler)}, "handler", None),
        # Something else last: its result is not thrown away.
        (
            {"guard": _node(CommandSyntaxGuard, {"button_intents": ["menu"]})},
            "guard",
            None,
        ),
        # A guard with no list lets no payload through.
        (
            {"guard": _node(CommandSyntaxGuard), "handler": _node(RegexMessageHandler)},
            "handler",
            frozenset(),
        ),
    ],
)
def test_only_a_model_with_the_guard_and_rasas_handler_is_short_cut(
    nodes: dict[str, SchemaNode], target: str, expected: frozenset[str] | None
) -> None:
    assert button_intents(_metadata(nodes, target)) == expected
