"""Connecting to Tend's database: engines, the `Storage` handle, `StorageUnavailable`.

Every process builds its engine once (`default_storage()`); SQLite gets WAL mode and
a busy timeout so the Rasa server and the action server can write at the same time.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import settings
from bot.store.crypto import WRONG_KEY_MESSAGE, DataKey, DataKeyError
from bot.store.models import KeyCheck

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_SECONDS = 30
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5

# Errors that mean "the database cannot be reached or used right now", as opposed
# to a mistake in Tend's own queries, which should stay loud.
_UNAVAILABLE_ERRORS = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
)
# PostgreSQL's "relation does not exist": the schema was never upgraded. SQLite
# reports the same as an OperationalError, caught above.
_POSTGRES_UNDEFINED_TABLE = "42P01"


class StorageUnavailable(RuntimeError):
    """The database cannot be reached or used right now; nothing was saved."""


def create_database_engine(database_url: str, *, future: bool = True) -> Engine:
    """An engine for `database_url` (SQLite or PostgreSQL) with Tend's safe defaults.

    Bound values are kept out of error messages and logs (`hide_parameters`), since
    they may hold what a person wrote.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # SQLAlchemy 1.4 opens a new SQLite connection per session on a file
        # (NullPool), each running the PRAGMAs below: a third of the tracker
        # store's time per message (docs/performance.md). A pool keeps them open,
        # as SQLAlchemy 2.0 does by default; sessions never share a connection.
        in_memory = url.database in (None, "", ":memory:")
        engine = sa.create_engine(
            url,
            future=future,
            hide_parameters=True,
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                "check_same_thread": False,
            },
            **({} if in_memory else {"poolclass": sa.pool.QueuePool}),
        )
        sa.event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    return sa.create_engine(
        url,
        future=future,
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS},
    )


def _configure_sqlite_connection(
    dbapi_connection: sqlite3.Connection, connection_record: object
) -> None:
    # WAL lets readers work while one writer writes; the busy timeout makes a second
    # writer wait its turn instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


@dataclass(frozen=True)
class Storage:
    """What the data layer needs: sessions on one engine, the key, the text policy."""

    engine: Engine
    sessions: sessionmaker
    data_key: DataKey
    store_escalation_text: bool = False


def open_storage(
    database_url: str, data_key: DataKey, *, store_escalation_text: bool = False
) -> Storage:
    """Builds a `Storage`; connects lazily, so a database that is down fails later."""
    engine = create_database_engine(database_url)
    return Storage(
        engine=engine,
        sessions=sessionmaker(bind=engine, future=True, expire_on_commit=False),
        data_key=data_key,
        store_escalation_text=store_escalation_text,
    )


@lru_cache(maxsize=1)
def default_storage() -> Storage:
    """The storage named by the settings (`DATABASE_URL`, `DATA_KEY`), built once."""
    config = settings()
    return open_storage(
        config.database_url,
        DataKey.from_text(config.data_key),
        store_escalation_text=config.escalation_store_text,
    )


def _log_unavailable(error: sqlalchemy.exc.SQLAlchemyError) -> None:
    # The driver's own message names the cause (refused, locked, no such table);
    # only its first line is logged, which never holds bound values.
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    logger.warning(
        "Tend's database is unavailable (%s: %s). Check DATABASE_URL and that the "
        "database is running and upgraded (python -m bot.cli.db upgrade).",
        type(cause).__name__,
        lines[0] if lines else "",
    )


@contextmanager
def unavailable_as_storage_error() -> Iterator[None]:
    """Turns "cannot reach the database" errors into one `StorageUnavailable`."""
    try:
        yield
    except sqlalchemy.exc.ProgrammingError as error:
        if getattr(error.orig, "pgcode", None) != _POSTGRES_UNDEFINED_TABLE:
            raise
        _log_unavailable(error)
        raise StorageUnavailable(
            "Tend's tables are missing: run python -m bot.cli.db upgrade."
        ) from error
    except _UNAVAILABLE_ERRORS as error:
        _log_unavailable(error)
        raise StorageUnavailable(
            "Tend's database is unavailable right now; nothing was saved."
        ) from error


@contextmanager
def transaction(storage: Storage) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    with unavailable_as_storage_error(), storage.sessions.begin() as session:
        yield session


def check_data_key(storage: Storage, now: datetime | None = None) -> bool:
    """Checks `DATA_KEY` against the fingerprint stored with the data.

    Records the fingerprint on first use and returns True then; returns False when
    it was already recorded and matches. Raises `DataKeyError` when the data was
    stored with another key.
    """
    try:
        with transaction(storage) as session:
            stored = session.get(KeyCheck, 1)
            if stored is None:
                session.add(
                    KeyCheck(
                        id=1,
                        fingerprint=storage.data_key.fingerprint,
                        created_at=now or datetime.now(timezone.utc),
                    )
                )
                return True
            recorded = stored.fingerprint
    except sqlalchemy.exc.IntegrityError:
        # Another process recorded its fingerprint first: compare with that one.
        with transaction(storage) as session:
            recorded = session.get(KeyCheck, 1).fingerprint
    if recorded != storage.data_key.fingerprint:
        raise DataKeyError(WRONG_KEY_MESSAGE)
    return False
