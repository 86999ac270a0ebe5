"""Tests for bot/store/tracker_store.py: Rasa's events, encrypted and keyed by hash."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.store.crypto import CONVERSATION_CHANNEL, DataKey, DataKeyError, hash_sender
from bot.store.database import check_data_key, open_storage
from bot.store.repository import export_for
from bot.store.tracker_store import (
    FORGET_CONVERSATION_ACTION,
    EncryptedSQLTrackerStore,
    asks_to_forget,
)

SENDER = "telegram-chat-7741"
WORDS = "my father shouted and I hid under the bed"

OpenTrackerStore = Callable[..., EncryptedSQLTrackerStore]
ReadRawDatabase = Callable[[str], str]

with warnings.catch_warnings():
    # Rasa warns about slots in every domain it loads; nothing to act on here.
    warnings.simplefilter("ignore", UserWarning)
    DOMAIN = Domain.from_yaml(
        """
version: "3.1"
intents: [share_memory, delete_my_data]
slots:
  feeling:
    type: text
    mappings: [{type: custom}]
"""
    )


@pytest.fixture
def open_tracker_store(
    database_url: str, data_key: DataKey
) -> Iterator[OpenTrackerStore]:
    """Opens tracker stores on the test database (as many as a test needs)."""
    opened: list[EncryptedSQLTrackerStore] = []

    def open_store(key: DataKey = data_key) -> EncryptedSQLTrackerStore:
        store = EncryptedSQLTrackerStore(
            domain=DOMAIN, database_url=database_url, data_key=key
        )
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.engine.dispose()


def _conversation(words: str = WORDS) -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(
            words,
            {"name": "share_memory", "confidence": 0.9},
            parse_data={
                "text": words,
                "intent": {"name": "share_memory", "confidence": 0.9},
                "entities": [],
            },
        ),
        SlotSet("feeling", "scared"),
        BotUttered("Thank you for trusting me with that."),
        ActionExecuted("action_listen"),
    ]


async def _save(
    store: EncryptedSQLTrackerStore, events: list[Event], sender_id: str = SENDER
) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender_id, events, DOMAIN.slots)
    await store.save(tracker)
    return tracker


def _user_texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


async def test_a_conversation_survives_a_restart(
    open_tracker_store: OpenTrackerStore,
) -> None:
    await _save(open_tracker_store(), _conversation())

    restarted = open_tracker_store()
    tracker = await restarted.retrieve(SENDER)

    assert _user_texts(tracker) == [WORDS]
    assert tracker.get_slot("feeling") == "scared"
    assert [e.text for e in tracker.events if isinstance(e, BotUttered)] == [
        "Thank you for trusting me with that."
    ]


async def test_only_new_events_are_added_on_the_next_save(
    open_tracker_store: OpenTrackerStore,
) -> None:
    store = open_tracker_store()
    tracker = await _save(store, _conversation())
    tracker.update(UserUttered("and then it was quiet", {"name": "share_memory"}))
    await store.save(tracker)

    again = await store.retrieve(SENDER)

    assert _user_texts(again) == [WORDS, "and then it was quiet"]


async def test_user_words_and_sender_id_are_not_readable_in_the_events_table(
    open_tracker_store: OpenTrackerStore,
    database_url: str,
    read_raw_database: ReadRawDatabase,
) -> None:
    store = open_tracker_store()
    await _save(store, _conversation())
    store.engine.dispose()

    raw = read_raw_database(database_url)

    assert "hid under the bed" not in raw
    assert "trusting me" not in raw
    assert "scared" not in raw
    assert SENDER not in raw


async def test_events_are_stored_under_the_conversation_hash(
    open_tracker_store: OpenTrackerStore, data_key: DataKey
) -> None:
    store = open_tracker_store()
    await _save(store, _conversation())

    with store.engine.connect() as connection:
        senders = connection.execute(sa.text("SELECT DISTINCT sender_id FROM events"))
        stored = [row[0] for row in senders]

    assert stored == [hash_sender(CONVERSATION_CHANNEL, SENDER, key=data_key)]


async def test_intent_and_action_names_stay_readable_for_rasa(
    open_tracker_store,
) -> None:  # type: ignore[no-untyped-def]
    store = open_tracker_store()
    await _save(store, _conversation())

    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT intent_name, action_name FROM events ORDER BY id")
        ).all()

    assert ("share_memory", None) in rows
    assert (None, "action_listen") in rows


async def test_another_conversation_is_not_returned(
    open_tracker_store: OpenTrackerStore,
) -> None:
    store = open_tracker_store()
    await _save(store, _conversation())
    assert await store.retrieve("someone-else") is None


async def test_reading_with_another_key_raises_data_key_error(
    open_tracker_store: OpenTrackerStore,
    data_key: DataKey,
    other_key: DataKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_tracker_store()
    await _save(store, _conversation())
    # A store with another key hashes differently, so force the same hash to
    # reach the decryption step.
    impostor = open_tracker_store(other_key)
    monkeypatch.setattr(impostor, "conversation_hash", store.conversation_hash)

    with pytest.raises(DataKeyError, match="original DATA_KEY"):
        await impostor.retrieve(SENDER)


def test_starting_with_a_different_key_than_the_data_is_refused(
    upgraded_url: str, data_key: DataKey, other_key: DataKey
) -> None:
    storage = open_storage(upgraded_url, data_key)
    check_data_key(storage)
    storage.engine.dispose()

    with pytest.raises(DataKeyError, match="different key"):
        EncryptedSQLTrackerStore(
            domain=DOMAIN, database_url=upgraded_url, data_key=other_key
        )


def test_a_url_in_endpoints_yml_is_refused_with_the_setting_to_use(
    upgraded_url: str, data_key: DataKey
) -> None:
    with pytest.raises(ValueError, match="DATABASE_URL"):
        EncryptedSQLTrackerStore(host="postgresql://elsewhere/db", data_key=data_key)


# ---- "delete my data" ----------------------------------------------------------


def _forget_turn(restarts: bool) -> list[Event]:
    returned: list[Event] = [BotUttered("Everything you shared here is deleted.")]
    if restarts:
        returned.append(Restarted())
    return [
        UserUttered("delete my data", {"name": "delete_my_data"}),
        ActionExecuted(FORGET_CONVERSATION_ACTION),
        *returned,
        ActionExecuted("action_listen"),
    ]


def test_forget_is_asked_only_by_the_forget_action_followed_by_a_restart() -> None:
    assert asks_to_forget(_forget_turn(restarts=True))
    assert not asks_to_forget(_forget_turn(restarts=False))
    assert not asks_to_forget([ActionExecuted("action_restart"), Restarted()])


async def test_the_forget_action_deletes_the_whole_conversation(
    open_tracker_store: OpenTrackerStore,
    database_url: str,
    read_raw_database: ReadRawDatabase,
) -> None:
    store = open_tracker_store()
    tracker = await _save(store, _conversation())
    for event in _forget_turn(restarts=True):
        tracker.update(event)

    await store.save(tracker)

    assert await store.retrieve_full_tracker(SENDER) is None
    store.engine.dispose()
    assert "delete my data" not in read_raw_database(database_url)


async def test_the_forget_action_leaves_other_conversations_alone(
    open_tracker_store: OpenTrackerStore,
) -> None:
    store = open_tracker_store()
    await _save(store, _conversation("their own words"), "other-person")
    tracker = await _save(store, _conversation())
    for event in _forget_turn(restarts=True):
        tracker.update(event)

    await store.save(tracker)

    assert _user_texts(await store.retrieve("other-person")) == ["their own words"]


async def test_a_forget_action_that_failed_keeps_the_conversation(
    open_tracker_store: OpenTrackerStore,
) -> None:
    store = open_tracker_store()
    tracker = await _save(store, _conversation())
    for event in _forget_turn(restarts=False):
        tracker.update(event)

    await store.save(tracker)

    assert _user_texts(await store.retrieve(SENDER)) == [WORDS, "delete my data"]


@pytest.mark.parametrize("by", ["the forget action", "delete_conversation"])
async def test_a_deleted_conversation_leaves_nothing_in_the_servers_memory(
    open_tracker_store: OpenTrackerStore, by: str
) -> None:
    from bot import shared_dialogue_states as states

    store = open_tracker_store()
    tracker = await _save(store, _conversation())
    await _save(store, _conversation("their own words"), "other-person")
    for sender in (SENDER, "other-person"):  # the dialogue states Rasa worked out
        kept = await store.retrieve(sender)
        assert kept is not None
        states._replays[(sender, ("question",))] = states.Replay(
            kept, DOMAIN, False, False, None
        )
    assert store._remembered.get(SENDER) is not None

    if by == "delete_conversation":
        store.delete_conversation(SENDER)
    else:
        for event in _forget_turn(restarts=True):
            tracker.update(event)
        await store.save(tracker)

    assert store._remembered.get(SENDER) is None
    kept_for = {sender for sender, _ in states._replays}
    assert SENDER not in kept_for
    assert "other-person" in kept_for
    states.forget_dialogue_states("other-person")


async def test_delete_conversation_removes_one_conversation_only(
    open_tracker_store: OpenTrackerStore,
) -> None:
    store = open_tracker_store()
    await _save(store, _conversation())
    await _save(store, _conversation("their own words"), "other-person")

    removed = store.delete_conversation(SENDER)

    assert removed == len(_conversation())
    assert await store.retrieve(SENDER) is None
    assert await store.retrieve("other-person") is not None


# ---- export ------------------------------------------------------------------------


async def test_export_includes_the_conversation_decrypted(
    open_tracker_store: OpenTrackerStore, upgraded_url: str, data_key: DataKey
) -> None:
    store = open_tracker_store()
    await _save(store, _conversation())
    storage = open_storage(upgraded_url, data_key)
    try:
        exported = export_for(
            storage, hash_sender("telegram", "7741", key=data_key), SENDER
        )
    finally:
        storage.engine.dispose()

    conversation = exported["conversation"]
    assert {
        "from": "you",
        "text": WORDS,
        "understood_as": "share_memory",
    }.items() <= conversation[0].items()
    assert conversation[1] | {"at": None} == {
        "at": None,
        "remembered": "feeling",
        "value": "scared",
    }
    assert conversation[2]["text"] == "Thank you for trusting me with that."


# ---- how Rasa loads it -------------------------------------------------------------


def test_rasa_loads_the_store_named_in_endpoints_yml(
    database_url: str, data_key: DataKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa falls back to an in-memory store when a custom one fails to import;
    # this guards against that silent fallback.
    monkeypatch.setattr("bot.store.tracker_store.configured_data_key", lambda: data_key)
    monkeypatch.setattr(
        "bot.store.tracker_store.settings",
        lambda: SimpleNamespace(database_url=database_url, escalation_store_text=False),
    )
    endpoint = EndpointConfig(type="bot.store.tracker_store.EncryptedSQLTrackerStore")

    store = create_tracker_store(endpoint, DOMAIN)

    assert isinstance(store, EncryptedSQLTrackerStore)
    store.engine.dispose()
