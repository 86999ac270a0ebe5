"""`validate_younger_self_form`: meeting the younger self.

Checks the age kindly (1 to 17), reflects what that child felt, and reads which need
the person named, so the next question can offer kind words that fit it. The logic
lives in `bot.dialogue.younger_self`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_answers import AnswerValidationAction
from actions.latest_message import feelings_record, latest_feelings
from bot.dialogue.reflection import reflect_feelings
from bot.dialogue.younger_self import (
    NOT_A_NUMBER,
    TOO_OLD,
    TOO_YOUNG,
    age_problem,
    need_from_answer,
    read_age,
)

# The kind reply for each reason an age can't be used yet.
AGE_PROBLEM_RESPONSES = {
    NOT_A_NUMBER: "utter_younger_age_not_a_number",
    TOO_YOUNG: "utter_younger_age_too_young",
    TOO_OLD: "utter_younger_age_too_old",
}


class ValidateYoungerSelfForm(AnswerValidationAction):
    """Reads the age, the child's feelings and the child's need."""

    def name(self) -> str:
        return "validate_younger_self_form"

    def validate_younger_age(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        age = read_age(str(value))
        problem = age_problem(age)
        if problem is not None:
            dispatcher.utter_message(response=AGE_PROBLEM_RESPONSES[problem])
            return {"younger_age": None}
        return {"younger_age": age}

    def validate_child_feeling(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        feelings = latest_feelings(tracker)
        if not feelings:
            dispatcher.utter_message(response="utter_child_feeling_heard")
            return {"child_feeling": str(value).strip()}
        dispatcher.utter_message(text=reflect_feelings(feelings))
        words = [feeling["word"] for feeling in feelings_record(feelings)]
        return {"child_feeling": ", ".join(words)}

    def validate_child_need(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return {"child_need": need_from_answer(str(value))}

    def validate_words_to_child(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        words = str(value).strip()
        return {"words_to_child": words or None}
