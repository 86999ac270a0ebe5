"""Tests for bot/config.py: defaults, validation messages, and .env.example."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, SETTING_KEYS, SettingsError, read_settings


def settings_from(env: dict[str, str], tmp_path: Path):
    return read_settings(environ=env, env_file=tmp_path / "missing.env")


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    config = settings_from({}, tmp_path)
    assert (config.rasa_port, config.action_port, config.web_port) == (5005, 5055, 8080)
    assert config.bot_name == "Tend"
    assert config.database_url.startswith("sqlite:///")
    assert config.database_url.endswith("var/tend.db")
    assert config.action_server_url == "http://127.0.0.1:5055/webhook"
    assert "988" in config.crisis_contact


def test_environment_wins_over_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("RASA_PORT=6000\nBOT_NAME=FromFile\n")
    config = read_settings(environ={"RASA_PORT": "7000"}, env_file=env_file)
    assert config.rasa_port == 7000
    assert config.bot_name == "FromFile"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("RASA_PORT", "abc"),
        ("ACTION_PORT", "70000"),
        ("WEB_PORT", "-1"),
        ("ESCALATION_STORE_TEXT", "maybe"),
        ("RETENTION_DAYS", "0"),
        ("DATABASE_URL", "mysql://x"),
        ("TELEGRAM_MODE", "carrier-pigeon"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_bad_value_names_the_key(key: str, value: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=key):
        settings_from({key: value}, tmp_path)


def test_telegram_webhook_mode_needs_a_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_SECRET_TOKEN"):
        settings_from({"TELEGRAM_TOKEN": "123:abc"}, tmp_path)


def test_env_example_documents_every_key_with_its_default(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / ".env.example").read_text()
    documented = dict(re.findall(r"^([A-Z_]+)=(.*)$", text, flags=re.MULTILINE))
    assert set(documented) == set(SETTING_KEYS)
    defaults = settings_from({}, tmp_path)
    example = settings_from(documented, tmp_path)
    assert example == defaults


def test_command_line_check_prints_one_plain_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.config"],
        env={"RASA_PORT": "abc", "TEND_ENV_FILE": str(tmp_path / "none")},
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "RASA_PORT" in lines[0] and "Traceback" not in result.stderr
