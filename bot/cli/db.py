"""`python -m bot.cli.db ensure-key | upgrade | prune`: Tend's database chores.

- `ensure-key` writes a new `DATA_KEY` to `.env` when there is none (first start).
- `upgrade` brings `DATABASE_URL` to the latest schema and checks `DATA_KEY` is the
  key the data was stored with.
- `prune` deletes what is older than `RETENTION_DAYS` (`make prune`).

Each prints at most one line. Exit codes: 0 done, 2 configuration or key problem,
3 database unavailable.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings, SettingsError, env_file_path, read_settings
from bot.store.crypto import DataKey, DataKeyError, new_data_key
from bot.store.database import StorageUnavailable, check_data_key, open_storage
from bot.store.migrations import upgrade_database
from bot.store.repository import prune

EXIT_CONFIGURATION = 2
EXIT_UNAVAILABLE = 3

_DATA_KEY_LINE = re.compile(r"^\s*(export\s+)?DATA_KEY\s*=.*$", re.MULTILINE)


def ensure_key(config: Settings, env_file: Path) -> str | None:
    """Creates `DATA_KEY` in `env_file` if unset; returns the line to print, if any."""
    if config.data_key:
        DataKey.from_text(config.data_key)  # a malformed key must stop the start
        return None
    line = f"DATA_KEY={new_data_key()}"
    if env_file.is_file():
        text = env_file.read_text(encoding="utf-8")
        if _DATA_KEY_LINE.search(text):
            text = _DATA_KEY_LINE.sub(lambda _: line, text, count=1)
        else:
            text = text + ("" if text.endswith("\n") or not text else "\n") + line
        # Readable by the owner only from now on: the key unlocks every letter.
        env_file.chmod(0o600)
        env_file.write_text(text + ("" if text.endswith("\n") else "\n"), "utf-8")
    else:
        env_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return (
        f"Created a new DATA_KEY in {env_file}: keep a copy somewhere safe, "
        "without it stored letters and conversations cannot be read."
    )


def upgrade(config: Settings) -> str:
    """Applies migrations, then checks or records the key fingerprint."""
    upgrade_database(config.database_url)
    storage = open_storage(config.database_url, DataKey.from_text(config.data_key))
    try:
        check_data_key(storage)
    finally:
        storage.engine.dispose()
    return "Tend's database is up to date."


def prune_old_records(config: Settings, days: int | None) -> str:
    """Deletes records older than `days` (default `RETENTION_DAYS`)."""
    older_than = days or config.retention_days
    storage = open_storage(config.database_url, DataKey.from_text(config.data_key))
    try:
        removed = prune(storage, older_than)
    finally:
        storage.engine.dispose()
    return (
        f"Deleted what was older than {older_than} days: letters {removed.letters}, "
        f"check-ins {removed.checkins}, escalation records {removed.escalations}, "
        f"conversation events {removed.conversation_events}."
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.db", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ensure-key", help="create DATA_KEY in .env if it is missing")
    commands.add_parser("upgrade", help="bring DATABASE_URL to the latest schema")
    prune_command = commands.add_parser("prune", help="delete records past retention")
    prune_command.add_argument(
        "--days", type=int, default=None, help="default: RETENTION_DAYS"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    # One line per outcome: the failure is printed below, not logged as well.
    logging.basicConfig(level=logging.ERROR)
    try:
        config = read_settings()
        if arguments.command == "ensure-key":
            message = ensure_key(config, env_file_path())
        elif arguments.command == "upgrade":
            message = upgrade(config)
        else:
            if arguments.days is not None and arguments.days < 1:
                raise SettingsError("--days must be at least 1.")
            message = prune_old_records(config, arguments.days)
    except (SettingsError, DataKeyError) as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return EXIT_CONFIGURATION
    except StorageUnavailable as error:
        url = make_url(read_settings().database_url)
        cause = getattr(error.__cause__, "orig", None) or error.__cause__ or error
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        print(
            f"Tend's database is unavailable ({reason}): check that it is running and "
            f"that DATABASE_URL ({url.render_as_string(hide_password=True)}) is right.",
            file=sys.stderr,
        )
        return EXIT_UNAVAILABLE
    if message:
        print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
