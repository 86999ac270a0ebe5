"""Records that a crisis answer was given, for practitioner review (best effort).

The crisis answer itself is said by the Rasa server before this runs; if this
action or the database fails, the person has already been helped.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.store.crypto import hash_sender
from bot.store.database import StorageUnavailable, default_storage
from bot.store.repository import record_escalation

logger = logging.getLogger(__name__)


class ActionRecordEscalation(Action):
    def name(self) -> str:
        return "action_record_escalation"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        channel = tracker.get_latest_input_channel() or "unknown"
        try:
            record_escalation(
                default_storage(),
                hash_sender(channel, tracker.sender_id),
                channel=channel,
                category=tracker.get_slot("crisis_category") or "unknown",
                kind="crisis",
                message_text=tracker.latest_message.get("text"),
            )
        except StorageUnavailable:
            logger.warning(
                "Could not record an escalation: the database is unavailable."
            )
        return []
