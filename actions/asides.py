"""`action_answer_aside`: answers a question or a pause in the middle of an exercise.

The rules run the exercise's form right after it, so the person is brought back to
the step they were on (see `bot.dialogue.asides`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.latest_message import latest_intent
from bot.dialogue.asides import aside_response


class ActionAnswerAside(Action):
    """Sends the response that answers the latest message's intent."""

    def name(self) -> str:
        return "action_answer_aside"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        dispatcher.utter_message(response=aside_response(latest_intent(tracker)))
        return []
