"""The letter to the younger self: `validate_letter_form` and `action_save_letter`.

Each message is added to `letter_text`; the form keeps asking for more until the
person says they are done (`letter_done`, or "save my letter"), which sets
`letter_finished`. `action_save_letter` then keeps the letter, encrypted.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_answers import AnswerValidationAction
from actions.latest_message import latest_intent
from actions.person import SAVING_FAILURES, log_saving_failure, person
from bot.dialogue.letter import add_to_letter
from bot.store.database import default_storage
from bot.store.repository import save_letter

# Saying either while writing ends the letter (and so saves it) without adding to it.
FINISHING_INTENTS = ("letter_done", "save_letter")


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
        if latest_intent(tracker) in FINISHING_INTENTS:
            return {"letter_part": None, "letter_finished": True}
        letter = add_to_letter(tracker.get_slot("letter_text"), str(value))
        # `letter_part` is emptied again so the form asks for the next part.
        return {
            "letter_part": None,
            "letter_text": letter or None,
            "letter_started": bool(letter),
        }


class ActionSaveLetter(Action):
    """Keeps the finished letter, once. If it cannot be saved, the letter stays in
    `letter_text` and "save my letter" tries again."""

    def name(self) -> str:
        return "action_save_letter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        # After the letter form, silence is fine when there is nothing to do; when
        # the person asked, they always get an answer.
        asked = latest_intent(tracker) == "save_letter"
        letter = (tracker.get_slot("letter_text") or "").strip()
        if not letter:
            if asked:
                dispatcher.utter_message(response="utter_no_letter_to_save")
            return []
        if tracker.get_slot("letter_saved"):
            if asked:
                dispatcher.utter_message(response="utter_letter_already_saved")
            return []
        try:
            save_letter(default_storage(), person(tracker), letter)
        except SAVING_FAILURES as error:
            log_saving_failure("a letter", error)
            dispatcher.utter_message(response="utter_letter_not_saved")
            return [SlotSet("letter_saved", False)]
        dispatcher.utter_message(response="utter_letter_saved")
        return [SlotSet("letter_saved", True)]
