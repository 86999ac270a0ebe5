"""Fixtures for the storage tests: a fresh database per test, on SQLite and PostgreSQL.

PostgreSQL runs when TEST_POSTGRES_URL names a server we may create databases on
(e.g. postgresql://postgres@127.0.0.1:5432/test); one throwaway database is made
for the whole run and dropped at the end. Without it those tests are skipped, with
the reason shown in pytest's summary (`-rs`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.store.crypto import DataKey, new_data_key
from bot.store.database import Storage, open_storage
from bot.store.migrations import upgrade_database
from bot.store.tracker_store import EncryptedSQLTrackerStore

POSTGRES_SKIP_REASON = (
    "PostgreSQL storage tests NOT run: set TEST_POSTGRES_URL "
    "(e.g. postgresql://postgres@127.0.0.1:5432/test) to run them."
)


def pytest_report_header(config: pytest.Config) -> str:
    if os.environ.get("TEST_POSTGRES_URL"):
        return "storage tests: SQLite and PostgreSQL (TEST_POSTGRES_URL)"
    return "storage tests: SQLite only; " + POSTGRES_SKIP_REASON


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test run, dropped afterwards."""
    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip(POSTGRES_SKIP_REASON)
    name = f"tend_store_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        admin.dispose()


def _empty_postgres(database_url: str) -> None:
    engine = sa.create_engine(database_url, future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a new SQLite file, or the run's PostgreSQL database wiped."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tend.db'}"
    url = request.getfixturevalue("postgres_database_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def empty_postgres_url(postgres_database_url: str) -> str:
    """The run's PostgreSQL database, wiped: for tests about PostgreSQL alone."""
    _empty_postgres(postgres_database_url)
    return postgres_database_url


@pytest.fixture
def data_key() -> DataKey:
    return DataKey.from_text(new_data_key())


@pytest.fixture
def other_key() -> DataKey:
    return DataKey.from_text(new_data_key())


@pytest.fixture
def upgraded_url(database_url: str) -> str:
    """The database brought to the latest schema by the real migrations."""
    upgrade_database(database_url)
    return database_url


@pytest.fixture
def storage(upgraded_url: str, data_key: DataKey) -> Iterator[Storage]:
    opened = open_storage(upgraded_url, data_key)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def storage_keeping_escalation_text(
    upgraded_url: str, data_key: DataKey
) -> Iterator[Storage]:
    opened = open_storage(upgraded_url, data_key, store_escalation_text=True)
    yield opened
    opened.engine.dispose()


def _raw_database_text(database_url: str) -> str:
    """Everything in the database as an attacker with the files would read it.

    Every row of every table, as text; for SQLite also the bytes of the database
    file and its write-ahead log, decoded leniently.
    """
    engine = sa.create_engine(database_url, future=True)
    parts: list[str] = []
    with engine.connect() as connection:
        for table in sa.inspect(connection).get_table_names():
            rows = connection.execute(sa.text(f'SELECT * FROM "{table}"')).all()
            parts.extend(repr(tuple(row)) for row in rows)
    engine.dispose()
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal"):
            path = Path(f"{url.database}{suffix}")
            if path.exists():
                parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.fixture
def read_raw_database() -> Callable[[str], str]:
    """Reads a database the way someone holding its files (without the key) would."""
    return _raw_database_text


@dataclass
class CountingKey:
    """The store's data key, counting how many rows it decrypts."""

    key: DataKey
    decrypted: int = field(default=0)

    def __getattr__(self, name: str) -> object:
        return getattr(self.key, name)  # everything else is the real key's

    def decrypt(self, token: str) -> str:
        self.decrypted += 1
        return self.key.decrypt(token)


OpenStore = Callable[..., EncryptedSQLTrackerStore]


@pytest.fixture
def open_store(
    request: pytest.FixtureRequest, database_url: str, data_key: DataKey
) -> Iterator[OpenStore]:
    """Opens tracker stores on one database, as separate servers (replicas) would,
    with the test module's `DOMAIN`; each store's key counts what it decrypts."""
    opened: list[EncryptedSQLTrackerStore] = []

    def open_one(
        remembered_conversations: int = 256, **options: Any
    ) -> EncryptedSQLTrackerStore:
        store = EncryptedSQLTrackerStore(
            domain=request.module.DOMAIN,
            database_url=database_url,
            data_key=data_key,
            remembered_conversations=remembered_conversations,
            **options,
        )
        store.data_key = CountingKey(data_key)  # type: ignore[assignment]
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.engine.dispose()
