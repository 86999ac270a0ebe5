"""Tests for bot/store/repository.py and bot/store/database.py: the data layer."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.store.crypto import DataKey, DataKeyError, hash_sender
from bot.store.database import (
    Storage,
    StorageUnavailable,
    check_data_key,
    open_storage,
)
from bot.store.migrations import upgrade_database
from bot.store.models import RASA_EVENTS
from bot.store.repository import (
    checkin_summary,
    delete_everything_for,
    export_for,
    letters_for,
    prune,
    record_checkin,
    record_escalation,
    save_letter,
)

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=timezone.utc)
LETTER = "Dear little Sam, you were so brave on the stairs that night."


@pytest.fixture
def sam(data_key: DataKey) -> str:
    return hash_sender("telegram", "1001", key=data_key)


@pytest.fixture
def alex(data_key: DataKey) -> str:
    return hash_sender("telegram", "1002", key=data_key)


def _days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _count(storage: Storage, table: str) -> int:
    with storage.engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


# ---- letters -------------------------------------------------------------------


def test_letters_come_back_decrypted_newest_first(storage: Storage, sam: str) -> None:
    save_letter(storage, sam, "first", now=_days_ago(2))
    save_letter(storage, sam, "second", now=_days_ago(1))

    letters = letters_for(storage, sam)

    assert [letter.body for letter in letters] == ["second", "first"]
    assert letters[0].created_at == _days_ago(1)


def test_letters_for_one_person_exclude_everyone_elses(
    storage: Storage, sam: str, alex: str
) -> None:
    save_letter(storage, sam, "mine")
    save_letter(storage, alex, "theirs")
    assert [letter.body for letter in letters_for(storage, sam)] == ["mine"]


def test_letter_text_is_not_readable_in_the_database(
    storage: Storage,
    sam: str,
    upgraded_url: str,
    read_raw_database: Callable[[str], str],
) -> None:
    save_letter(storage, sam, LETTER)
    storage.engine.dispose()

    raw = read_raw_database(upgraded_url)

    assert sam in raw  # the row is really there, under the hash
    assert "brave on the stairs" not in raw
    assert "little Sam" not in raw


def test_a_raw_sender_id_is_refused(storage: Storage) -> None:
    with pytest.raises(ValueError, match="hash_sender"):
        save_letter(storage, "1001", LETTER)


def test_an_empty_letter_is_refused(storage: Storage, sam: str) -> None:
    with pytest.raises(ValueError):
        save_letter(storage, sam, "   ")


# ---- the key -------------------------------------------------------------------


def test_reading_letters_with_another_key_raises_data_key_error(
    storage: Storage, sam: str, upgraded_url: str, other_key: DataKey
) -> None:
    save_letter(storage, sam, LETTER)
    with_other_key = open_storage(upgraded_url, other_key)
    try:
        with pytest.raises(DataKeyError, match="original DATA_KEY"):
            letters_for(with_other_key, sam)
    finally:
        with_other_key.engine.dispose()


def test_key_check_records_the_first_key_and_accepts_it_again(
    storage: Storage,
) -> None:
    assert check_data_key(storage) is True
    assert check_data_key(storage) is False


def test_key_check_refuses_a_different_key(
    storage: Storage, upgraded_url: str, other_key: DataKey
) -> None:
    check_data_key(storage)
    with_other_key = open_storage(upgraded_url, other_key)
    try:
        with pytest.raises(DataKeyError, match="different key"):
            check_data_key(with_other_key)
    finally:
        with_other_key.engine.dispose()


# ---- check-ins -----------------------------------------------------------------


def test_checkin_summary_counts_families_over_7_and_30_days(
    storage: Storage, sam: str, alex: str
) -> None:
    for days_ago, family in [
        (0, "sad"),
        (6.9, "sad"),
        (7.1, "scared"),
        (29.9, "sad"),
        (30.1, "angry"),  # outside both windows
    ]:
        record_checkin(storage, sam, "lonely", family, now=_days_ago(days_ago))
    record_checkin(storage, alex, "glad", "happy", now=_days_ago(1))
    record_checkin(storage, sam, "hopeful", "happy", now=NOW + timedelta(hours=1))

    summary = checkin_summary(storage, sam, now=NOW)

    assert summary.last_7_days == {"sad": 2}
    assert summary.last_30_days == {"sad": 3, "scared": 1}


def test_checkin_summary_is_empty_for_someone_new(storage: Storage, sam: str) -> None:
    summary = checkin_summary(storage, sam, now=NOW)
    assert summary.last_7_days == {}
    assert summary.last_30_days == {}


def test_checkin_feeling_is_not_readable_in_the_database(
    storage: Storage,
    sam: str,
    upgraded_url: str,
    read_raw_database: Callable[[str], str],
) -> None:
    record_checkin(storage, sam, "heartbroken", "sad", intensity=7)
    storage.engine.dispose()

    raw = read_raw_database(upgraded_url)

    assert "heartbroken" not in raw
    assert export_for(storage, sam)["checkins"][0]["feeling"] == "heartbroken"


def test_checkin_intensity_may_be_left_out(storage: Storage, sam: str) -> None:
    record_checkin(storage, sam, "tired", "sad", intensity=None, now=NOW)
    assert export_for(storage, sam)["checkins"][0]["intensity"] is None


def test_checkin_intensity_outside_0_to_10_is_refused(
    storage: Storage, sam: str
) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        record_checkin(storage, sam, "tired", "sad", intensity=11)


# ---- escalations ---------------------------------------------------------------


def test_escalation_message_is_dropped_unless_storing_text_is_allowed(
    storage: Storage, sam: str
) -> None:
    record_escalation(
        storage, sam, "telegram", "self_harm", "crisis", message_text="words"
    )
    assert export_for(storage, sam)["escalations"][0]["message"] is None


def test_escalation_message_is_kept_encrypted_when_allowed(
    storage_keeping_escalation_text: Storage,
    sam: str,
    upgraded_url: str,
    read_raw_database: Callable[[str], str],
) -> None:
    storage = storage_keeping_escalation_text
    record_escalation(
        storage, sam, "rest", "suicide", "crisis", message_text="I can't go on"
    )
    storage.engine.dispose()

    assert export_for(storage, sam)["escalations"][0]["message"] == "I can't go on"
    assert "go on" not in read_raw_database(upgraded_url)


# ---- export and delete -----------------------------------------------------------


def test_export_holds_everything_about_the_person_and_nothing_else(
    storage_keeping_escalation_text: Storage, sam: str, alex: str
) -> None:
    storage = storage_keeping_escalation_text
    save_letter(storage, sam, LETTER, now=_days_ago(3))
    record_checkin(storage, sam, "lonely", "sad", intensity=6, now=_days_ago(2))
    record_escalation(
        storage, sam, "telegram", "abuse", "crisis_disclosure", "it", _days_ago(1)
    )
    save_letter(storage, alex, "not Sam's", now=_days_ago(1))

    exported = export_for(storage, sam)

    assert exported["letters"] == [
        {"written_at": _days_ago(3).isoformat(), "text": LETTER}
    ]
    assert exported["checkins"] == [
        {
            "at": _days_ago(2).isoformat(),
            "feeling": "lonely",
            "family": "sad",
            "intensity": 6,
        }
    ]
    assert exported["escalations"] == [
        {
            "at": _days_ago(1).isoformat(),
            "channel": "telegram",
            "category": "abuse",
            "kind": "crisis_disclosure",
            "message": "it",
        }
    ]
    assert "not Sam's" not in json.dumps(exported)


def test_export_is_plain_json(storage: Storage, sam: str) -> None:
    save_letter(storage, sam, LETTER)
    record_checkin(storage, sam, "calm", "peaceful")
    exported = export_for(storage, sam)
    assert json.loads(json.dumps(exported)) == exported


def test_delete_everything_removes_one_persons_records_only(
    storage: Storage, sam: str, alex: str
) -> None:
    for person in (sam, alex):
        save_letter(storage, person, LETTER)
        record_checkin(storage, person, "lonely", "sad")
        record_escalation(storage, person, "rest", "suicide", "crisis")

    removed = delete_everything_for(storage, sam)

    assert (removed.letters, removed.checkins, removed.escalations) == (1, 1, 1)
    assert export_for(storage, sam) | {"exported_at": None} == {
        "exported_at": None,
        "letters": [],
        "checkins": [],
        "escalations": [],
    }
    alex_export = export_for(storage, alex)
    assert len(alex_export["letters"]) == 1
    assert len(alex_export["checkins"]) == 1
    assert len(alex_export["escalations"]) == 1


# ---- prune -----------------------------------------------------------------------


def test_prune_removes_only_what_is_older_than_the_retention_period(
    storage: Storage, sam: str
) -> None:
    save_letter(storage, sam, "old", now=_days_ago(366))
    save_letter(storage, sam, "recent", now=_days_ago(364))
    record_checkin(storage, sam, "lonely", "sad", now=_days_ago(400))
    record_escalation(storage, sam, "rest", "suicide", "crisis", now=_days_ago(366))

    removed = prune(storage, older_than_days=365, now=NOW)

    assert (removed.letters, removed.checkins, removed.escalations) == (1, 1, 1)
    assert [letter.body for letter in letters_for(storage, sam)] == ["recent"]
    assert _count(storage, "checkins") == 0
    assert _count(storage, "escalations") == 0


def test_prune_removes_old_conversation_events_too(storage: Storage) -> None:
    RASA_EVENTS.metadata.create_all(storage.engine)
    with storage.engine.begin() as connection:
        connection.execute(
            sa.insert(RASA_EVENTS),
            [
                {"sender_id": "h", "type_name": "user", "timestamp": ts}
                for ts in (_days_ago(366).timestamp(), _days_ago(1).timestamp())
            ],
        )

    removed = prune(storage, older_than_days=365, now=NOW)

    assert removed.conversation_events == 1
    assert _count(storage, "events") == 1


def test_prune_works_before_rasa_has_created_its_table(storage: Storage) -> None:
    assert prune(storage, older_than_days=30, now=NOW).conversation_events == 0


# ---- an unavailable database -----------------------------------------------------


@pytest.mark.parametrize(
    "unreachable_url",
    [
        "sqlite:////nonexistent-folder/tend.db",
        "postgresql://postgres@127.0.0.1:1/tend",
    ],
    ids=["sqlite-missing-folder", "postgresql-nobody-listening"],
)
def test_an_unreachable_database_raises_storage_unavailable(
    unreachable_url: str, data_key: DataKey, sam: str
) -> None:
    unreachable = open_storage(unreachable_url, data_key)
    with pytest.raises(StorageUnavailable):
        save_letter(unreachable, sam, LETTER)
    with pytest.raises(StorageUnavailable):
        letters_for(unreachable, sam)


def test_a_database_without_tends_tables_raises_storage_unavailable(
    database_url: str, data_key: DataKey, sam: str
) -> None:
    not_upgraded = open_storage(database_url, data_key)
    try:
        with pytest.raises(StorageUnavailable):
            save_letter(not_upgraded, sam, LETTER)
    finally:
        not_upgraded.engine.dispose()


@pytest.mark.postgres
def test_storage_reconnects_after_postgresql_drops_its_connections(
    empty_postgres_url: str, data_key: DataKey, sam: str
) -> None:
    upgrade_database(empty_postgres_url)
    storage = open_storage(empty_postgres_url, data_key)
    save_letter(storage, sam, "before the restart")
    database = make_url(empty_postgres_url).database
    admin = sa.create_engine(empty_postgres_url, future=True)
    with admin.connect() as connection:
        terminated = connection.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": database},
        ).all()
    admin.dispose()
    assert terminated  # the pooled connection really was cut

    save_letter(storage, sam, "after the restart")

    assert len(letters_for(storage, sam)) == 2
    storage.engine.dispose()
