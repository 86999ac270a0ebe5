"""Stops people from steering Tend by typing Rasa's `/intent{...}` syntax.

Rasa treats any message that starts with `/` as a ready-made intent (and entities,
which set slots), skipping NLU, so typed text could trigger internal intents or
switch off the crisis check. This component runs first in the pipeline: a message
that is exactly a button payload on the allow-list (`/greet`) passes; anything
else that starts with `/` loses its slashes and goes through NLU like ordinary text.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_BARE_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)")


def guard_command_syntax(text: str, button_intents: frozenset[str]) -> str:
    """The text NLU should see: an allowed payload as is, else no leading `/`."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return text
    match = _BARE_PAYLOAD.fullmatch(stripped)
    if match and match.group("intent") in button_intents:
        return stripped
    return stripped.lstrip("/").lstrip()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class CommandSyntaxGuard(GraphComponent):
    """Lets only allow-listed button payloads through as `/intent` messages."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Intents that Tend's own buttons send as payloads. Everything else typed
        # with a leading slash is read as plain text.
        return {"button_intents": []}

    def __init__(self, config: dict[str, Any]) -> None:
        self._button_intents = frozenset(config.get("button_intents") or [])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CommandSyntaxGuard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and text.lstrip().startswith("/"):
                message.set(TEXT, guard_command_syntax(text, self._button_intents))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
