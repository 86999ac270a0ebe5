"""Escalation records written by the tracker store when Tend gives its crisis answer
(bot/store/escalations.py, `EncryptedSQLTrackerStore.save`)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.safety import CRISIS_REPLY, SLOT_CATEGORY
from bot.store.crypto import DataKey, hash_sender
from bot.store.database import open_storage
from bot.store.escalations import GivenEscalation, escalations_in
from bot.store.repository import export_for
from bot.store.tracker_store import EncryptedSQLTrackerStore

SENDER = "web-visitor-31"
CRISIS_WORDS = "i have the tablets counted out on the table"

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    DOMAIN = Domain.from_yaml(
        """
version: "3.1"
intents: [greet, crisis]
slots:
  crisis_category:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
"""
    )


def user(text: str, intent: str, channel: str = "rest") -> UserUttered:
    parse = {"text": text, "intent": {"name": intent, "confidence": 1.0}}
    return UserUttered(text, parse["intent"], parse_data=parse, input_channel=channel)


def greeting_turn() -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        user("hello", "greet"),
        ActionExecuted("utter_greet"),
        BotUttered("Hello, I'm Tend."),
        ActionExecuted("action_listen"),
    ]


def crisis_turn(category: str = "medical", text: str = CRISIS_WORDS) -> list[Event]:
    return [
        user(text, "crisis"),
        SlotSet(SLOT_CATEGORY, category),
        ActionExecuted(CRISIS_REPLY),
        BotUttered("Please call the crisis line now."),
        ActionExecuted("utter_ask_safe_now"),
        BotUttered("Are you safe right now?"),
        ActionExecuted("action_listen"),
    ]


# ---- reading the events ------------------------------------------------------------


def test_each_crisis_answer_is_found_with_its_category_channel_and_message() -> None:
    events = [*crisis_turn("medical"), *crisis_turn("abuse", "he is at the door")]
    assert escalations_in(events, None, None) == [
        GivenEscalation("medical", "rest", CRISIS_WORDS),
        GivenEscalation("abuse", "rest", "he is at the door"),
    ]


def test_a_category_set_earlier_in_the_conversation_is_used() -> None:
    events = [user("no", "deny", channel="telegram"), ActionExecuted(CRISIS_REPLY)]
    assert escalations_in(events, "suicide", None) == [
        GivenEscalation("suicide", "telegram", "no")
    ]


def test_ordinary_turns_give_no_escalation() -> None:
    assert escalations_in(greeting_turn(), "suicide", "rest") == []


# ---- the tracker store -------------------------------------------------------------


@pytest.fixture
def stores(database_url: str, data_key: DataKey) -> Iterator[Any]:
    opened: list[EncryptedSQLTrackerStore] = []

    def open_store(keep_text: bool = False) -> EncryptedSQLTrackerStore:
        store = EncryptedSQLTrackerStore(
            domain=DOMAIN,
            database_url=database_url,
            data_key=data_key,
            store_escalation_text=keep_text,
        )
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.engine.dispose()


async def save(store: EncryptedSQLTrackerStore, events: list[Event]) -> None:
    tracker = DialogueStateTracker.from_events(SENDER, events, DOMAIN.slots)
    await store.save(tracker)


def escalations(database_url: str, data_key: DataKey) -> list[dict[str, Any]]:
    storage = open_storage(database_url, data_key)
    try:
        person = hash_sender("rest", SENDER, key=data_key)
        return export_for(storage, person)["escalations"]
    finally:
        storage.engine.dispose()


async def test_a_crisis_answer_is_recorded_once_without_the_message(
    stores: Any, upgraded_url: str, data_key: DataKey
) -> None:
    store = stores()
    conversation = greeting_turn()
    await save(store, conversation)
    assert escalations(upgraded_url, data_key) == []

    conversation += crisis_turn("medical")
    await save(store, conversation)
    await save(store, conversation)  # nothing new: nothing recorded again

    records = escalations(upgraded_url, data_key)
    assert [(r["category"], r["channel"], r["kind"]) for r in records] == [
        ("medical", "rest", "crisis")
    ]
    assert records[0]["message"] is None


async def test_every_later_crisis_answer_is_recorded_too(
    stores: Any, upgraded_url: str, data_key: DataKey
) -> None:
    store = stores()
    conversation = greeting_turn() + crisis_turn("suicide")
    await save(store, conversation)
    conversation += crisis_turn("harm_to_others", "i am going round there now")
    await save(store, conversation)
    categories = [r["category"] for r in escalations(upgraded_url, data_key)]
    assert sorted(categories) == ["harm_to_others", "suicide"]


async def test_the_message_is_kept_encrypted_only_when_allowed(
    stores: Any, upgraded_url: str, data_key: DataKey
) -> None:
    await save(stores(keep_text=True), greeting_turn() + crisis_turn())
    assert [r["message"] for r in escalations(upgraded_url, data_key)] == [CRISIS_WORDS]


async def test_without_tends_tables_the_conversation_is_still_saved(
    stores: Any, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # `database_url` is never upgraded: Rasa's events table only, no escalations.
    store = stores()
    conversation = greeting_turn() + crisis_turn()
    with caplog.at_level(logging.WARNING):
        await save(store, conversation)
    assert "Could not record an escalation" in caplog.text
    assert CRISIS_WORDS not in caplog.text

    store._remembered.clear()  # read the table, not this process's memory
    stored = await store.retrieve(SENDER)
    assert stored is not None
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == [
        "hello",
        CRISIS_WORDS,
    ]
