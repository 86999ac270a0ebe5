"""The tracker store's memory of recent conversations (bot/store/tracker_store.py).

A remembered conversation is read from memory plus the rows added since, but only
while the events table still holds every remembered row: whatever is deleted
elsewhere ("delete my data", `make prune`, another replica) must never come back.
"""

from __future__ import annotations

import json
import warnings

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.store.crypto import DataKey
from bot.store.tracker_store import EncryptedSQLTrackerStore
from tests.store.conftest import CountingKey, OpenStore

SENDER = "web-4410"

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # Rasa's note on every domain
    DOMAIN = Domain.from_yaml('version: "3.1"\nintents: [share_memory]\n')


def decrypted(store: EncryptedSQLTrackerStore) -> int:
    return store.data_key.decrypted  # type: ignore[attr-defined]


def session_start() -> list[Event]:
    return [ActionExecuted("action_session_start"), SessionStarted()]


def turn(words: str) -> list[Event]:
    return [
        ActionExecuted("action_listen"),
        UserUttered(words, {"name": "share_memory", "confidence": 1.0}),
        BotUttered("I'm listening."),
    ]


async def start_conversation(
    store: EncryptedSQLTrackerStore, *words: str, sender: str = SENDER
) -> None:
    events = session_start() + [e for w in words for e in turn(w)]
    await store.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots))


async def say(
    store: EncryptedSQLTrackerStore, words: str, sender: str = SENDER
) -> None:
    """One more turn, the way Rasa does it: retrieve, add events, save."""
    tracker = await store.retrieve(sender)
    assert tracker is not None
    for event in turn(words):
        tracker.update(event)
    await store.save(tracker)


async def said(store: EncryptedSQLTrackerStore, sender: str = SENDER) -> list[str]:
    tracker = await store.retrieve(sender)
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


async def test_the_next_message_decrypts_no_stored_row_again(
    open_store: OpenStore,
) -> None:
    store = open_store()
    await start_conversation(store, "hello", "I feel small today")
    await said(store)  # read once from the table
    await say(store, "it helps to say it")
    before = decrypted(store)

    assert await said(store) == ["hello", "I feel small today", "it helps to say it"]
    assert decrypted(store) == before


async def test_rows_added_by_another_server_are_read_and_only_they(
    open_store: OpenStore,
) -> None:
    here, elsewhere = open_store(), open_store()
    await start_conversation(here, "hello")
    await said(here)
    await say(elsewhere, "written by the other replica")
    before = decrypted(here)

    assert await said(here) == ["hello", "written by the other replica"]
    assert decrypted(here) - before == len(turn("x"))


async def test_a_conversation_deleted_elsewhere_is_not_read_back_from_memory(
    open_store: OpenStore,
) -> None:
    here, elsewhere = open_store(), open_store()
    await start_conversation(here, "my secret")
    await said(here)

    elsewhere.delete_conversation(SENDER)

    assert await here.retrieve(SENDER) is None


async def test_deleted_rows_do_not_come_back_when_new_ones_were_added_since(
    open_store: OpenStore,
) -> None:
    here, elsewhere = open_store(), open_store()
    await start_conversation(here, "my secret", "more of it")
    await said(here)
    elsewhere.delete_conversation(SENDER)
    await start_conversation(elsewhere, "a fresh start")

    assert await said(here) == ["a fresh start"]


async def test_a_turn_ending_after_a_deletion_stores_only_its_own_events(
    open_store: OpenStore,
) -> None:
    here, elsewhere = open_store(), open_store()
    await start_conversation(here, "my secret")
    tracker = await here.retrieve(SENDER)
    assert tracker is not None
    elsewhere.delete_conversation(SENDER)  # e.g. `make prune` mid-turn

    for event in turn("a new message"):
        tracker.update(event)
    await here.save(tracker)

    full = await open_store().retrieve_full_tracker(SENDER)
    assert full is not None
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [
        "a new message"
    ]


async def test_a_new_session_started_elsewhere_replaces_the_remembered_one(
    open_store: OpenStore,
) -> None:
    here, elsewhere = open_store(), open_store()
    await start_conversation(here, "yesterday's words")
    await said(here)
    tracker = await elsewhere.retrieve(SENDER)
    assert tracker is not None
    for event in session_start() + turn("today's words"):
        tracker.update(event)
    await elsewhere.save(tracker)

    assert await said(here) == ["today's words"]


async def test_only_the_most_recent_conversations_are_remembered(
    open_store: OpenStore,
) -> None:
    store = open_store(remembered_conversations=1)
    await start_conversation(store, "first person", sender="first")
    await start_conversation(store, "second person", sender="second")
    await said(store, "first")
    rows_of_first = decrypted(store)
    await said(store, "second")  # the first is let go
    before = decrypted(store)

    assert await said(store, "first") == ["first person"]
    assert decrypted(store) - before == rows_of_first


async def test_with_memory_off_every_row_is_read_each_time(
    open_store: OpenStore,
) -> None:
    store = open_store(remembered_conversations=0)
    await start_conversation(store, "hello")
    await said(store)
    rows = decrypted(store)

    assert await said(store) == ["hello"]
    assert decrypted(store) == 2 * rows


def rasa_session_start() -> list[Event]:
    """As Rasa's processor logs them: the action's event is stamped after it ran."""
    started = SessionStarted()
    return [ActionExecuted("action_session_start"), started]


async def first_message(
    store: EncryptedSQLTrackerStore, events: list[Event], sender: str = SENDER
) -> None:
    """A new conversation's first message, as Rasa's processor handles it."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    assert not tracker.events, "the conversation was meant to be new"
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def as_dicts(tracker: DialogueStateTracker | None) -> list[dict]:
    """The events as stored: JSON (a remembered event may hold tuples for lists)."""
    assert tracker is not None
    return [json.loads(json.dumps(event.as_dict())) for event in tracker.events]


async def test_a_new_conversation_is_remembered_from_its_first_save(
    open_store: OpenStore,
) -> None:
    store = open_store()
    await first_message(store, rasa_session_start() + turn("hello"))
    before = decrypted(store)

    assert await said(store) == ["hello"]
    assert decrypted(store) == before, "the second message read the rows back"
    assert as_dicts(await store.retrieve(SENDER)) == as_dicts(
        await open_store().retrieve(SENDER)
    )


async def test_a_first_save_rasa_would_read_back_in_part_is_read_from_the_table(
    open_store: OpenStore,
) -> None:
    # Rasa's latest session is the rows stamped no earlier than its SessionStarted;
    # an event stamped before it is not part of it.
    store = open_store()
    early = UserUttered("stamped early", {"name": "share_memory"}, timestamp=100.0)
    events = [
        ActionExecuted("action_session_start", timestamp=300.0),
        SessionStarted(timestamp=200.0),
        early,
        *turn("hello"),
    ]
    await first_message(store, events)

    assert await said(store) == await said(open_store()) == ["hello"]


async def test_a_conversation_looked_up_before_it_existed_is_read_once_written(
    open_store: OpenStore,
) -> None:
    here, elsewhere = open_store(), open_store()
    assert await here.retrieve(SENDER) is None
    await start_conversation(elsewhere, "written by the other replica")

    assert await said(here) == ["written by the other replica"]
    await say(here, "and then here")
    assert await said(open_store()) == ["written by the other replica", "and then here"]


async def test_rasa_reads_a_new_conversations_second_message_from_memory(
    loaded_agent: Agent,
    database_url: str,
    data_key: DataKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = EncryptedSQLTrackerStore(
        domain=loaded_agent.domain, database_url=database_url, data_key=data_key
    )
    store.data_key = CountingKey(data_key)  # type: ignore[assignment]
    monkeypatch.setattr(loaded_agent, "tracker_store", store)
    monkeypatch.setattr(loaded_agent.processor, "tracker_store", store)
    sender = "memory-from-first-save"
    try:
        await loaded_agent.handle_text("hello", sender_id=sender)
        await loaded_agent.handle_text("I feel lonely today", sender_id=sender)
        assert decrypted(store) == 0, "a message read stored rows back"

        fresh = EncryptedSQLTrackerStore(
            domain=loaded_agent.domain, database_url=database_url, data_key=data_key
        )
        assert as_dicts(await store.retrieve(sender)) == as_dicts(
            await fresh.retrieve(sender)
        )
        fresh.engine.dispose()
    finally:
        store.engine.dispose()
