"""`action_summarise_session`: a gentle summary of what the person did this time.

The rule that closes a session sends the therapist invitation right after it. The
lines come from `bot.dialogue.session_summary`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.session_summary import session_summary_items, summary_text


class ActionSummariseSession(Action):
    """Names the exercises the person finished, or thanks them for coming."""

    def name(self) -> str:
        return "action_summarise_session"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        items = session_summary_items(tracker.current_slot_values())
        if items:
            dispatcher.utter_message(response="utter_session_summary")
            dispatcher.utter_message(text=summary_text(items))
        else:
            dispatcher.utter_message(response="utter_session_summary_empty")
        return []
