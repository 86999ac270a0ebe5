"""`validate_kindness_form`: one small kindness for today, chosen by the person.

Reads which kind they chose (self-care, a boundary, something joyful); an answer that
is already their own idea is taken as the plan. The logic lives in
`bot.dialogue.kindness`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_answers import AnswerValidationAction
from actions.latest_message import latest_intent
from bot.dialogue.kindness import NOT_A_PLAN_INTENTS, OWN, kind_from_answer


class ValidateKindnessForm(AnswerValidationAction):
    """Reads the kind of kindness, then the small plan itself."""

    def name(self) -> str:
        return "validate_kindness_form"

    def validate_kindness_kind(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        kind = kind_from_answer(str(value))
        if kind == OWN and latest_intent(tracker) not in NOT_A_PLAN_INTENTS:
            return {"kindness_kind": OWN, "kindness_plan": str(value).strip()}
        return {"kindness_kind": kind}

    def validate_kindness_plan(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if latest_intent(tracker) in NOT_A_PLAN_INTENTS:
            dispatcher.utter_message(response="utter_kindness_small_is_enough")
            return {"kindness_plan": None}
        return {"kindness_plan": str(value).strip() or None}
