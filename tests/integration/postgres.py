"""PostgreSQL for integration tests: throwaway databases and the skip reasons.

`throwaway_database()` makes a database on the shared server named by
TEST_POSTGRES_URL and drops it afterwards, so tests never touch each other's data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

POSTGRES_SKIP_REASON = (
    "NOT run: set TEST_POSTGRES_URL "
    "(e.g. postgresql://postgres@127.0.0.1:5432/test) to run the PostgreSQL tests."
)
REDIS_SKIP_REASON = (
    "NOT run: set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0) "
    "to run the tests that need Redis."
)


@contextmanager
def throwaway_database(admin_url: str, label: str) -> Iterator[str]:
    """A new, empty database on the server of `admin_url`; dropped on exit."""
    name = f"tend_{label}_{uuid.uuid4().hex[:10]}"
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
