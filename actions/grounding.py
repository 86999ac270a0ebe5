"""`validate_grounding_form`: grounding with the senses (5-4-3-2-1) or slow breaths.

The person's choice decides which steps the form asks; any reply to a step moves the
exercise on. The steps live in `bot.dialogue.grounding`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_answers import AnswerValidationAction
from bot.dialogue.grounding import choice_from_answer, grounding_steps


def _keep_answer(
    self: AnswerValidationAction,
    value: Any,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
) -> dict[str, Any]:
    """Any reply to a step is fine: what someone notices is theirs to keep."""
    return {}


class ValidateGroundingForm(AnswerValidationAction):
    """Reads the choice of exercise; the steps themselves need no checking."""

    def name(self) -> str:
        return "validate_grounding_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return grounding_steps(tracker.get_slot("grounding_choice"))

    def validate_grounding_choice(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        choice = choice_from_answer(str(value))
        if choice is None:
            dispatcher.utter_message(response="utter_grounding_choice_unclear")
        return {"grounding_choice": choice}

    validate_grounding_see = _keep_answer
    validate_grounding_touch = _keep_answer
    validate_grounding_hear = _keep_answer
    validate_grounding_smell = _keep_answer
    validate_grounding_taste = _keep_answer
    validate_grounding_breath_one = _keep_answer
    validate_grounding_breath_two = _keep_answer
    validate_grounding_breath_three = _keep_answer
