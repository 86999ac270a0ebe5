"""Many people writing at once: no record is lost or filed under someone else.

Runs on SQLite (WAL mode, busy timeout) and, with TEST_POSTGRES_URL, PostgreSQL.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.store.crypto import DataKey, hash_sender
from bot.store.database import Storage
from bot.store.repository import (
    export_for,
    letters_for,
    record_checkin,
    record_escalation,
    save_letter,
)
from bot.store.tracker_store import EncryptedSQLTrackerStore

SENDERS = 50
LETTERS_EACH = 4


def _run_together(work: Callable[[int], None], count: int) -> None:
    """Runs `work(index)` on `count` threads released at the same moment."""
    start = threading.Barrier(count)

    def started_together(index: int) -> None:
        start.wait()
        work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        for future in [pool.submit(started_together, i) for i in range(count)]:
            future.result()  # re-raises any failure in a thread


def test_fifty_people_writing_at_once_keep_their_own_records(
    storage: Storage, data_key: DataKey
) -> None:
    senders = [hash_sender("rest", f"person-{i}", key=data_key) for i in range(SENDERS)]

    def write(index: int) -> None:
        for n in range(LETTERS_EACH):
            save_letter(storage, senders[index], f"letter {n} from person {index}")
            record_checkin(storage, senders[index], "lonely", f"family-{index}")
        record_escalation(storage, senders[index], "rest", "medical", "crisis")

    _run_together(write, SENDERS)

    for index, sender in enumerate(senders):
        bodies = sorted(letter.body for letter in letters_for(storage, sender))
        assert bodies == [
            f"letter {n} from person {index}" for n in range(LETTERS_EACH)
        ]
        exported = export_for(storage, sender)
        assert {c["family"] for c in exported["checkins"]} == {f"family-{index}"}
        assert len(exported["checkins"]) == LETTERS_EACH
        assert len(exported["escalations"]) == 1


@pytest.fixture
def tracker_store(
    upgraded_url: str, data_key: DataKey
) -> Iterator[EncryptedSQLTrackerStore]:
    store = EncryptedSQLTrackerStore(
        domain=Domain.empty(), database_url=upgraded_url, data_key=data_key
    )
    yield store
    store.engine.dispose()


def test_fifty_conversations_saved_at_once_stay_apart(
    tracker_store: EncryptedSQLTrackerStore,
) -> None:
    def converse(index: int) -> None:
        tracker = DialogueStateTracker.from_events(
            f"conversation-{index}",
            [
                ActionExecuted("action_listen"),
                UserUttered(f"hello from {index}", {"name": "greet"}),
                BotUttered(f"hi {index}"),
            ],
        )
        asyncio.run(tracker_store.save(tracker))

    _run_together(converse, SENDERS)

    for index in range(SENDERS):
        tracker = asyncio.run(tracker_store.retrieve(f"conversation-{index}"))
        assert tracker is not None
        texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
        assert texts == [f"hello from {index}"]
