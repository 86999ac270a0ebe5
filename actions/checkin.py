"""`validate_checkin_form`: the feelings check-in and the feelings wheel.

Named feelings are reflected back by name; when none are named, the form goes to the
wheel (a family, then a finer word). The logic lives in `bot.dialogue.checkin`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_answers import AnswerValidationAction
from actions.latest_message import feelings_record, latest_feelings, latest_intent
from bot.dialogue.checkin import NOT_SURE, checkin_steps, family_from_answer
from bot.dialogue.reflection import FAMILIES, family_of_feelings, reflect_feelings


class ValidateCheckinForm(AnswerValidationAction):
    """Reads each check-in answer and decides whether the wheel is needed."""

    def name(self) -> str:
        return "validate_checkin_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return checkin_steps(unsure=bool(tracker.get_slot("feelings_unsure")))

    def validate_feelings_text(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        feelings = latest_feelings(tracker)
        if not feelings:
            unsure = latest_intent(tracker) == "dont_know_feeling"
            return {
                "feelings_text": NOT_SURE if unsure else value,
                "feelings_unsure": True,
            }
        dispatcher.utter_message(text=reflect_feelings(feelings))
        return {
            "feelings_text": value,
            "feelings_named": feelings_record(feelings),
            "feeling_family": family_of_feelings(feelings),
        }

    def validate_feeling_family(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        feelings = latest_feelings(tracker)
        family = family_from_answer(str(value), feelings)
        if family is None:
            dispatcher.utter_message(response="utter_feeling_family_unclear")
            return {"feeling_family": None}
        # A finer word typed straight away ("lonely", not "sad") needs no second step.
        finer = [feeling for feeling in feelings if feeling.word not in FAMILIES]
        if not finer:
            return {"feeling_family": family}
        dispatcher.utter_message(text=reflect_feelings(finer))
        return {
            "feeling_family": family,
            "wheel_feeling": finer[0].word,
            "feelings_named": feelings_record(finer),
        }

    def validate_wheel_feeling(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        feelings = latest_feelings(tracker)
        family = family_of_feelings(feelings) or tracker.get_slot("feeling_family")
        if not feelings:
            # No word from the list; the family itself is named feeling enough.
            dispatcher.utter_message(response="utter_staying_with_the_feeling")
            named = [{"word": family, "family": family}] if family else []
            return {"wheel_feeling": family, "feelings_named": named}
        dispatcher.utter_message(text=reflect_feelings(feelings))
        return {
            "wheel_feeling": feelings[0].word,
            "feeling_family": family,
            "feelings_named": feelings_record(feelings),
        }

    def validate_first_felt_memory(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        # There is no wrong answer here, "I don't know" included.
        return {"first_felt_memory": str(value).strip() or NOT_SURE}
