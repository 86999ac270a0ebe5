"""Fixtures for the action tests: the real domain, a fresh dispatcher, and storage.

Actions that save reach the database through `default_storage()`. In these tests it
is never the developer's own database: unless a test asks for `storage` (a fresh,
migrated database: SQLite, and PostgreSQL when TEST_POSTGRES_URL is set, as in
tests/store) or `storage_down`, saving fails as if the database were down.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

import actions.checkin
import actions.letter
import actions.my_data
import actions.person
from bot.config import PROJECT_ROOT
from bot.store.crypto import DataKey, hash_sender, new_data_key
from bot.store.database import Storage, StorageUnavailable, open_storage
from bot.store.migrations import upgrade_database

# The storage tests' databases: a new SQLite file, or PostgreSQL wiped.
from tests.store.conftest import database_url, postgres_database_url  # noqa: F401

# Every actions module that saves or reads the person's records.
STORING_MODULES = (actions.checkin, actions.letter, actions.my_data)
# The sender id of trackers built by tests/actions/trackers.py (no input channel).
TEST_SENDER = "test-person"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as the action server receives it (forms, slots, responses)."""
    return yaml.safe_load(Path(PROJECT_ROOT / "domain.yml").read_text())


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def use_storage(monkeypatch: pytest.MonkeyPatch, storage: Storage) -> None:
    """Points every storing action at `storage`; people are hashed with its key."""
    for module in STORING_MODULES:
        monkeypatch.setattr(module, "default_storage", lambda: storage)
    monkeypatch.setattr(
        actions.person,
        "hash_sender",
        functools.partial(hash_sender, key=storage.data_key),
    )


@pytest.fixture(autouse=True)
def no_database_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> Storage:
        raise StorageUnavailable("No database in this test: ask for `storage`.")

    for module in STORING_MODULES:
        monkeypatch.setattr(module, "default_storage", unavailable)


@pytest.fixture
def data_key() -> DataKey:
    return DataKey.from_text(new_data_key())


@pytest.fixture
def storage(
    database_url: str,  # noqa: F811 (the fixture imported above)
    data_key: DataKey,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Storage]:
    """A migrated, empty database that the storing actions use."""
    upgrade_database(database_url)
    opened = open_storage(database_url, data_key)
    use_storage(monkeypatch, opened)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def storage_down(
    tmp_path: Path, data_key: DataKey, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Storage]:
    """Storage whose database cannot be opened (its folder does not exist)."""
    down = open_storage(f"sqlite:///{tmp_path / 'missing' / 'tend.db'}", data_key)
    use_storage(monkeypatch, down)
    yield down
    down.engine.dispose()


@pytest.fixture
def test_person(data_key: DataKey) -> str:
    """The sender hash the actions compute for the test trackers' person."""
    return hash_sender(None, TEST_SENDER, key=data_key)
