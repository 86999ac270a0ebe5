"""The person's own data: read letters back, feelings history, export, delete."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.person import person
from bot.dialogue.your_data import describe_feelings_history, describe_letters
from bot.store.database import StorageUnavailable, default_storage
from bot.store.repository import (
    checkin_summary,
    delete_everything_for,
    export_for,
    letters_for,
)

UNAVAILABLE = (
    "I'm sorry, I can't reach where your things are kept right now. Nothing has been "
    "lost. Please ask me again in a little while."
)


DATA_DELETED = (
    "Done. I've deleted your letters, your check-ins and our conversation. Nothing of "
    "yours is kept here now. If you ever come back, we'll start fresh."
)


class ActionShowLetters(Action):
    def name(self) -> str:
        return "action_show_letters"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            letters = letters_for(default_storage(), person(tracker))
        except StorageUnavailable:
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        for message in describe_letters(letters):
            dispatcher.utter_message(text=message)
        return []


class ActionFeelingsSummary(Action):
    def name(self) -> str:
        return "action_feelings_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            summary = checkin_summary(default_storage(), person(tracker))
        except StorageUnavailable:
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        dispatcher.utter_message(text=describe_feelings_history(summary))
        return []


class ActionExportMyData(Action):
    """Sends everything stored as a JSON document (a download on the web, a file on
    Telegram; other channels get it as a custom payload)."""

    def name(self) -> str:
        return "action_export_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            exported = export_for(
                default_storage(), person(tracker), conversation_id=tracker.sender_id
            )
        except StorageUnavailable:
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        dispatcher.utter_message(
            text="Here is everything I keep about you, as a file you can save.",
            json_message={
                "type": "data_export",
                "filename": "tend-my-data.json",
                "mime_type": "application/json",
                "content": json.dumps(exported, indent=2, ensure_ascii=False),
            },
        )
        return []


class ActionDeleteMyData(Action):
    """Deletes letters, check-ins and escalation records, then (through `Restarted`,
    which the tracker store watches for after this action) the conversation itself."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            delete_everything_for(default_storage(), person(tracker))
        except StorageUnavailable:
            dispatcher.utter_message(
                text="I'm sorry, I couldn't delete your data just now, so nothing was "
                "deleted. Please ask me again in a little while."
            )
            return []
        dispatcher.utter_message(text=DATA_DELETED)
        return [Restarted()]
