"""Tests for bot/cli/db.py: `ensure-key`, `upgrade` and `prune` as `make` runs them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.cli.db import EXIT_CONFIGURATION, EXIT_UNAVAILABLE, main
from bot.config import read_settings
from bot.store.crypto import DataKey, hash_sender, new_data_key
from bot.store.database import open_storage
from bot.store.repository import letters_for, save_letter


@pytest.fixture
def env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private .env for the command, with DATA_KEY unset in the environment."""
    path = tmp_path / ".env"
    monkeypatch.setenv("TEND_ENV_FILE", str(path))
    monkeypatch.delenv("DATA_KEY", raising=False)
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    yield path


@pytest.fixture
def configured_database(
    env_file: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    env_file.write_text(f"DATA_KEY={new_data_key()}\n", encoding="utf-8")
    return database_url


def test_ensure_key_creates_a_key_once_and_says_so_in_one_line(
    env_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ensure-key"]) == 0
    first = capsys.readouterr().out
    key_text = read_settings().data_key

    assert main(["ensure-key"]) == 0
    second = capsys.readouterr().out

    assert len(first.strip().splitlines()) == 1
    assert "DATA_KEY" in first
    assert second == ""
    assert DataKey.from_text(key_text)  # a usable key
    assert read_settings().data_key == key_text  # and not replaced the second time


def test_ensure_key_makes_a_new_env_file_readable_by_its_owner_only(
    env_file: Path,
) -> None:
    main(["ensure-key"])
    assert env_file.stat().st_mode & 0o077 == 0


def test_ensure_key_makes_an_existing_env_file_readable_by_its_owner_only(
    env_file: Path,
) -> None:
    env_file.write_text("BOT_NAME=Tend\n", "utf-8")
    env_file.chmod(0o644)

    main(["ensure-key"])

    assert env_file.stat().st_mode & 0o077 == 0


def test_ensure_key_fills_an_empty_data_key_line_and_keeps_the_rest(
    env_file: Path,
) -> None:
    env_file.write_text("BOT_NAME=Tend\nDATA_KEY=\nRASA_PORT=5005\n", "utf-8")

    main(["ensure-key"])

    lines = env_file.read_text("utf-8").splitlines()
    assert lines[0] == "BOT_NAME=Tend"
    assert lines[1].startswith("DATA_KEY=") and len(lines[1]) > len("DATA_KEY=")
    assert lines[2] == "RASA_PORT=5005"


def test_ensure_key_refuses_a_malformed_key(
    env_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env_file.write_text("DATA_KEY=not-a-key\n", "utf-8")

    assert main(["ensure-key"]) == EXIT_CONFIGURATION
    assert "DATA_KEY is not a valid key" in capsys.readouterr().err
    assert env_file.read_text("utf-8") == "DATA_KEY=not-a-key\n"


def test_upgrade_prepares_an_empty_database(
    configured_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["upgrade"]) == 0
    assert capsys.readouterr().out.strip() == "Tend's database is up to date."


def test_upgrade_with_a_different_key_than_the_data_stops_with_the_fix(
    configured_database: str,
    env_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["upgrade"])
    env_file.write_text(f"DATA_KEY={new_data_key()}\n", "utf-8")

    assert main(["upgrade"]) == EXIT_CONFIGURATION
    assert "Put the original DATA_KEY back" in capsys.readouterr().err


def test_upgrade_of_an_unreachable_database_says_so_in_one_line(
    env_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://tend:secret@127.0.0.1:1/tend")
    env_file.write_text(f"DATA_KEY={new_data_key()}\n", "utf-8")

    assert main(["upgrade"]) == EXIT_UNAVAILABLE
    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1
    assert "DATABASE_URL" in error
    assert "secret" not in error


def test_prune_deletes_what_is_older_than_retention_days(
    configured_database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "30")
    main(["upgrade"])
    key = DataKey.from_text(read_settings().data_key)
    storage = open_storage(configured_database, key)
    person = hash_sender("rest", "anna", key=key)
    now = datetime.now(timezone.utc)
    save_letter(storage, person, "old", now=now - timedelta(days=31))
    save_letter(storage, person, "new", now=now - timedelta(days=29))
    capsys.readouterr()

    assert main(["prune"]) == 0

    assert "older than 30 days: letters 1," in capsys.readouterr().out
    assert [letter.body for letter in letters_for(storage, person)] == ["new"]
    storage.engine.dispose()
