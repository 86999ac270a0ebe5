"""`action_answer_aside`: answers a question or a pause in the middle of an exercise.

The rules run the exercise's form right after it, so the person is brought back to
the step they were on (see `bot.dialogue.asides`). When the message reads better as
the answer Tend asked for, this action gives it to the form as that answer instead,
and the form's validation checks it as it checks every answer (see
`actions.form_answers`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.latest_message import latest_intent, latest_intent_confidence, latest_text
from bot.dialogue.asides import aside_response, reads_as_answer


class ActionAnswerAside(Action):
    """Sends the response that answers the latest message's intent, or takes the
    message as the answer the form is waiting for."""

    def name(self) -> str:
        return "action_answer_aside"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        text = latest_text(tracker) or ""
        slot = waiting_for_words(tracker, domain)
        if slot and reads_as_answer(text, intent, latest_intent_confidence(tracker)):
            return [SlotSet(slot, text)]
        dispatcher.utter_message(response=aside_response(intent))
        return []


def waiting_for_words(tracker: Tracker, domain: dict[str, Any]) -> str | None:
    """The slot the active form has just asked for, when it takes the person's own
    words (a `from_text` mapping for that very question); otherwise None."""
    form = (tracker.active_loop or {}).get("name")
    slot = tracker.get_slot("requested_slot")
    if not form or not slot:
        return None
    mappings = (domain.get("slots") or {}).get(slot, {}).get("mappings") or []
    for mapping in mappings:
        conditions = mapping.get("conditions") or []
        if (
            mapping.get("type") == "from_text"
            and {
                "active_loop": form,
                "requested_slot": slot,
            }
            in conditions
        ):
            return slot
    return None
