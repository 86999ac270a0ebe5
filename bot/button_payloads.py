"""A button press is read without the NLU pipeline, as the pipeline would read it.

A button sends its payload as the message (`/start_checkin`). Rasa 3.6 runs the whole
NLU pipeline on that text (spaCy, the featurizers, DIET, the crisis and feelings
readers) and then its `RegexMessageHandler`, last in the pipeline, replaces the
result with a new message built from the payload alone: everything the pipeline
worked out is thrown away. For a payload that `CommandSyntaxGuard` lets through (one
of Tend's own button intents, nothing after it) and that the domain knows, this asks
the handler's own function directly and skips the pipeline.

Anything else goes through the pipeline as before: typed text, a payload the guard
turns back into plain text, an intent the domain does not know, and every message of
a model without the guard (the bench's baseline).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.engine.storage.storage import ModelMetadata
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import (
    YAMLStoryReader,
)
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.command_guard import CommandSyntaxGuard, guard_command_syntax

# Kept on each processor (one per loaded model): the guard's button intents, or None
# where the pipeline must always run.
BUTTON_INTENTS_ATTRIBUTE = "_tend_button_intents"


def button_intents(metadata: ModelMetadata) -> frozenset[str] | None:
    """The guard's button intents, if the model reads payloads the way this assumes."""
    nodes = metadata.predict_schema.nodes
    target = nodes.get(metadata.nlu_target)
    if target is None or target.uses is not RegexMessageHandler:
        return None
    guards = [node for node in nodes.values() if node.uses is CommandSyntaxGuard]
    if len(guards) != 1:
        return None
    config = {**CommandSyntaxGuard.get_default_config(), **guards[0].config}
    return frozenset(config["button_intents"] or ())


def payload_parse(
    text: str | None,
    allowed: frozenset[str],
    domain: Domain,
    only_output_properties: bool = True,
) -> dict[str, Any] | None:
    """What the pipeline would return for an allowed button payload, else None."""
    if not text or not text.lstrip().startswith("/"):
        return None
    passed = guard_command_syntax(text, allowed)
    if not passed.startswith("/"):
        return None
    message = Message(data={TEXT: passed})
    unpacked = YAMLStoryReader.unpack_regex_message(
        message, domain, entity_extractor_name=RegexMessageHandler.__name__
    )
    if unpacked is message:
        return None
    # As MessageProcessor._parse_message_with_graph fills in the result.
    parse_data: dict[str, Any] = {
        TEXT: "",
        INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
        ENTITIES: [],
    }
    parse_data.update(unpacked.as_dict(only_output_properties=only_output_properties))
    return parse_data


def install_button_payload_shortcut() -> None:
    """Read allowed button payloads directly on every processor of the server."""
    original: Callable[..., dict[str, Any]] = MessageProcessor._parse_message_with_graph
    if getattr(original, "_tend_button_payloads", False):
        return

    def _parse_message_with_graph(
        self: MessageProcessor,
        message: UserMessage,
        tracker: Any,
        only_output_properties: bool = True,
    ) -> dict[str, Any]:
        if BUTTON_INTENTS_ATTRIBUTE not in self.__dict__:
            self.__dict__[BUTTON_INTENTS_ATTRIBUTE] = button_intents(
                self.model_metadata
            )
        allowed = self.__dict__[BUTTON_INTENTS_ATTRIBUTE]
        if allowed is not None:
            parsed = payload_parse(
                message.text, allowed, self.domain, only_output_properties
            )
            if parsed is not None:
                return parsed
        return original(self, message, tracker, only_output_properties)

    _parse_message_with_graph._tend_button_payloads = True  # type: ignore[attr-defined]
    _parse_message_with_graph.__wrapped__ = original  # type: ignore[attr-defined]
    MessageProcessor._parse_message_with_graph = _parse_message_with_graph  # type: ignore[method-assign]
