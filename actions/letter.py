"""`validate_letter_form`: the letter to the younger self, over many messages.

Each message is added to `letter_text`; the form keeps asking for more until the
person says they are done (`letter_done`), which sets `letter_finished`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_answers import AnswerValidationAction
from actions.latest_message import latest_intent
from bot.dialogue.letter import add_to_letter


class ValidateLetterForm(AnswerValidationAction):
    """Adds each part to the letter; the form ends when the person is finished."""

    def name(self) -> str:
        return "validate_letter_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return [] if tracker.get_slot("letter_finished") else ["letter_part"]

    def validate_letter_part(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if latest_intent(tracker) == "letter_done":
            return {"letter_part": None, "letter_finished": True}
        letter = add_to_letter(tracker.get_slot("letter_text"), str(value))
        # `letter_part` is emptied again so the form asks for the next part.
        return {
            "letter_part": None,
            "letter_text": letter or None,
            "letter_started": bool(letter),
        }
