"""PostgreSQL for integration tests: throwaway databases and a private server.

`throwaway_database()` makes a database on the shared server named by
TEST_POSTGRES_URL and drops it afterwards. `PrivatePostgres` runs a PostgreSQL server
of the test's own (initdb + pg_ctl in a temporary folder, on a free port, as the
`postgres` user), so a test may stop and start it without touching the shared one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from glob import glob
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.integration.stack import free_port

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


def postgres_binaries() -> Path | None:
    """The folder with initdb and pg_ctl of the newest installed PostgreSQL."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def private_postgres_unavailable_reason() -> str | None:
    """Why a private PostgreSQL cannot be started here, or None if it can."""
    if postgres_binaries() is None:
        return "NOT run: no /usr/lib/postgresql/*/bin/pg_ctl on this machine."
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return "NOT run: starting a private PostgreSQL needs root and runuser."
    return None


class PrivatePostgres:
    """A PostgreSQL server in a temporary folder that a test may stop and start."""

    def __init__(self) -> None:
        binaries = postgres_binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL's initdb/pg_ctl are not installed.")
        self._bin = binaries
        self.port = free_port()
        # Not under pytest's 0700 temporary folder: the postgres user must reach it.
        self.directory = Path(tempfile.mkdtemp(prefix="tend-private-pg-"))
        self.data = self.directory / "data"
        self.log_path = self.directory / "postgres.log"
        shutil.chown(self.directory, user="postgres", group="postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def initialise(self) -> PrivatePostgres:
        self._as_postgres(
            str(self._bin / "initdb"),
            "--pgdata", str(self.data),
            "--auth", "trust",
            "--username", "postgres",
            "--no-sync",
        )  # fmt: skip
        return self

    def start(self) -> None:
        """Starts the server and waits until it accepts connections (pg_ctl -w)."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-k {self.directory} -c fsync=off"
        )
        self._as_postgres(
            str(self._bin / "pg_ctl"),
            "--pgdata", str(self.data),
            "--log", str(self.log_path),
            "--options", options,
            "--wait",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stops the server at once, dropping every connection (pg_ctl -m fast)."""
        self._as_postgres(
            str(self._bin / "pg_ctl"),
            "--pgdata", str(self.data),
            "--mode", "fast",
            "--wait",
            "stop",
        )  # fmt: skip

    def remove(self) -> None:
        """Stops the server if it runs and deletes its folder."""
        subprocess.run(
            [
                "runuser", "-u", "postgres", "--",
                str(self._bin / "pg_ctl"), "--pgdata", str(self.data),
                "--mode", "immediate", "--wait", "stop",
            ],
            check=False,
            capture_output=True,
            timeout=60,
        )  # fmt: skip
        shutil.rmtree(self.directory, ignore_errors=True)
