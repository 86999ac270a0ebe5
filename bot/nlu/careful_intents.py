"""Intents with consequences need a sure reading; a named feeling is a feeling.

DIET learns from a thousand or so examples, and everyday news it never met lands
on whichever intent shares its words: "kids were a nightmare today" read as
`wrap_up` (the examples say "that's all for today") and ended the session; "my
partner forgot my birthday" read as `delete_my_data` and asked to delete
everything. This component runs after the FallbackClassifier and before the
crisis readers (`CrisisClassifier` stays last, so nothing can undo a crisis
reading):

- an intent that ends or changes something (`careful` in config.yml: finishing,
  deleting, "you misunderstood") counts only when DIET is at least as sure as its
  line; below it the message is read as the fallback, and Tend asks;
- when the feelings list found a feeling the writer does not deny, and DIET read
  nothing sure (the fallback, a careful intent it was unsure of, or any intent
  under `feeling_over`), the message is `inform_feeling`: "tired and cranky" and
  "anxious about tomorrow's interview" start the check-in with those feelings.

A safety intent DIET chose is left for `CrisisClassifier`, and button payloads
(`/wrap_up`) are read by Rasa after the pipeline, so a tap is always obeyed.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from bot.dialogue.reflection import FEELING_ENTITY
from bot.nlu.crisis import DEFAULT_FALLBACK_THRESHOLD
from bot.nlu.safety_intents import SAFETY_INTENTS

INFORM_FEELING = "inform_feeling"


def settled_intent(
    intent: dict[str, Any],
    careful: dict[str, float],
    fallback_threshold: float,
    feeling_named: bool,
    feeling_over: float,
) -> dict[str, Any] | None:
    """The intent the message should carry instead of `intent`, or None to keep it."""
    name = intent.get(INTENT_NAME_KEY)
    confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    if name in SAFETY_INTENTS or name == INFORM_FEELING:
        return None
    unsure_careful = name in careful and confidence < careful[name]
    if feeling_named and (
        unsure_careful
        or name == DEFAULT_NLU_FALLBACK_INTENT_NAME
        or confidence < feeling_over
    ):
        return {INTENT_NAME_KEY: INFORM_FEELING, PREDICTED_CONFIDENCE_KEY: confidence}
    if not unsure_careful:
        return None
    return {
        INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
        PREDICTED_CONFIDENCE_KEY: fallback_threshold,
    }


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CarefulIntents(GraphComponent, IntentClassifier):
    """Demotes unsure consequential intents; reads a named feeling as a feeling."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "careful": {},
            "fallback_threshold": DEFAULT_FALLBACK_THRESHOLD,
            "feeling_over": 0.0,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self._careful = {
            str(name): float(line)
            for name, line in (config.get("careful") or {}).items()
        }
        self._fallback_threshold = float(
            config.get("fallback_threshold", DEFAULT_FALLBACK_THRESHOLD)
        )
        self._feeling_over = float(config.get("feeling_over", 0.0))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CarefulIntents:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if intent:
                self._settle(message, intent)
        return messages

    def _settle(self, message: Message, intent: dict[str, Any]) -> None:
        feeling_named = any(
            entity.get(ENTITY_ATTRIBUTE_TYPE) == FEELING_ENTITY
            for entity in message.get(ENTITIES) or []
        )
        ranking = list(message.get(INTENT_RANKING_KEY) or [])
        safety = intent.get(INTENT_NAME_KEY) in SAFETY_INTENTS
        if safety:
            # DIET chose a safety intent; `CrisisClassifier` decides whether it
            # stands, and if not takes the best ordinary intent of the ranking.
            # Settle that one, so the ordinary reading it falls back to is careful.
            safety_part = [
                e for e in ranking if e.get(INTENT_NAME_KEY) in SAFETY_INTENTS
            ]
            ordinary = [e for e in ranking if e not in safety_part]
            first = ordinary[0] if ordinary else {INTENT_NAME_KEY: None}
        else:
            safety_part, first = [], intent
        settled = settled_intent(
            first,
            self._careful,
            self._fallback_threshold,
            feeling_named,
            self._feeling_over,
        )
        if settled is None:
            return
        # Never under the fallback line, or the fallback would take it back.
        settled[PREDICTED_CONFIDENCE_KEY] = max(
            settled[PREDICTED_CONFIDENCE_KEY], self._fallback_threshold
        )
        rest = [
            e
            for e in ranking
            if e not in safety_part
            and e.get(INTENT_NAME_KEY) != settled[INTENT_NAME_KEY]
        ]
        message.set(
            INTENT_RANKING_KEY, [*safety_part, settled, *rest], add_to_output=True
        )
        if not safety:
            message.set(INTENT, dict(settled), add_to_output=True)
