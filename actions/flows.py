"""`action_begin_flow`: gives the exercise a message opens a fresh start.

It runs right before an exercise's form, so answers from an earlier round are
cleared (see `bot.dialogue.flows`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.latest_message import latest_intent, latest_text
from bot.dialogue.flows import opening_slots


class ActionBeginFlow(Action):
    """Clears (and sometimes presets) the slots of the exercise being opened."""

    def name(self) -> str:
        return "action_begin_flow"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        values = opening_slots(latest_intent(tracker), latest_text(tracker))
        return [SlotSet(slot, value) for slot, value in values.items()]
