"""The one place that reads Tend's settings from the environment and `.env`.

Every setting is read once, validated and returned as a frozen `Settings`. A bad value
raises `SettingsError` with one plain line naming the key; `python -m bot.config`
prints that line and exits non-zero, which is how `make run` stops early.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULT_CRISIS_CONTACT = (
    "your local emergency number (112 in Europe, 911 in the US) or a crisis line "
    "such as 988 in the US or Samaritans on 116 123 in the UK and Ireland"
)
DEFAULT_THERAPIST_CONTACT = (
    "a licensed, trauma-informed therapist near you (your doctor can refer you)"
)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the key and the fix."""


@dataclass(frozen=True)
class Settings:
    """Validated configuration for every Tend process."""

    bot_name: str
    bind_host: str
    rasa_port: int
    action_port: int
    web_port: int
    action_server_url: str
    database_url: str
    crisis_contact: str
    therapist_contact: str
    child_contact: str
    data_key: str
    escalation_store_text: bool
    retention_days: int
    max_message_chars: int
    cors_origins: str
    lock_store_url: str
    telegram_token: str
    telegram_secret_token: str
    telegram_mode: str
    telegram_api_url: str
    telegram_webhook_url: str
    telegram_bot_username: str
    log_level: str

    @property
    def rasa_url(self) -> str:
        return f"http://{self.bind_host}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.bind_host}:{self.web_port}"

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)

    def contacts(self) -> dict[str, str]:
        """The values responses may name as placeholders, e.g. `{crisis_contact}`."""
        return {
            "bot_name": self.bot_name,
            "crisis_contact": self.crisis_contact,
            "therapist_contact": self.therapist_contact,
            "child_contact": self.child_contact,
        }


def _text(default: str) -> Callable[[str, str | None], str]:
    def parse(key: str, raw: str | None) -> str:
        return default if raw is None or raw.strip() == "" else raw.strip()

    return parse


def _port(default: int) -> Callable[[str, str | None], int]:
    def parse(key: str, raw: str | None) -> int:
        if raw is None or raw.strip() == "":
            return default
        if not raw.strip().isdigit() or not 1 <= int(raw) <= 65535:
            raise SettingsError(
                f"{key} must be a port number from 1 to 65535, not {raw!r}. "
                f"Fix it in .env or the environment (default {default})."
            )
        return int(raw)

    return parse


def _whole_number(default: int, minimum: int) -> Callable[[str, str | None], int]:
    def parse(key: str, raw: str | None) -> int:
        if raw is None or raw.strip() == "":
            return default
        if not raw.strip().isdigit() or int(raw) < minimum:
            raise SettingsError(
                f"{key} must be a whole number of at least {minimum}, not {raw!r}. "
                f"Fix it in .env or the environment (default {default})."
            )
        return int(raw)

    return parse


def _flag(default: bool) -> Callable[[str, str | None], bool]:
    def parse(key: str, raw: str | None) -> bool:
        if raw is None or raw.strip() == "":
            return default
        value = raw.strip().lower()
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(
            f"{key} must be true or false, not {raw!r}. "
            "Fix it in .env or the environment."
        )

    return parse


def _choice(default: str, allowed: tuple[str, ...]) -> Callable[[str, str | None], str]:
    def parse(key: str, raw: str | None) -> str:
        if raw is None or raw.strip() == "":
            return default
        if raw.strip().lower() not in allowed:
            raise SettingsError(
                f"{key} must be one of {', '.join(allowed)}, not {raw!r}. "
                "Fix it in .env or the environment."
            )
        return raw.strip().lower()

    return parse


def _database_url(key: str, raw: str | None) -> str:
    if raw is None or raw.strip() == "":
        return f"sqlite:///{PROJECT_ROOT / 'var' / 'tend.db'}"
    url = raw.strip()
    if not url.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg2://")):
        raise SettingsError(
            f"{key} must start with sqlite:/// or postgresql://, not {url!r}. "
            "Fix it in .env or the environment."
        )
    return url


def _log_level(key: str, raw: str | None) -> str:
    level = (raw or "INFO").strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(
            f"{key} must be DEBUG, INFO, WARNING or ERROR, not {raw!r}. "
            "Fix it in .env or the environment."
        )
    return level


# Every key Tend reads, its parser and (through the parser) its default.
# `.env.example` documents each one; tests/test_config.py checks the two agree.
_PARSERS: dict[str, Callable[[str, str | None], object]] = {
    "BOT_NAME": _text("Tend"),
    "BIND_HOST": _text("127.0.0.1"),
    "RASA_PORT": _port(5005),
    "ACTION_PORT": _port(5055),
    "WEB_PORT": _port(8080),
    "ACTION_SERVER_URL": _text(""),
    "DATABASE_URL": _database_url,
    "CRISIS_CONTACT": _text(DEFAULT_CRISIS_CONTACT),
    "THERAPIST_CONTACT": _text(DEFAULT_THERAPIST_CONTACT),
    "CHILD_CONTACT": _text(""),
    "DATA_KEY": _text(""),
    "ESCALATION_STORE_TEXT": _flag(False),
    "RETENTION_DAYS": _whole_number(365, 1),
    "MAX_MESSAGE_CHARS": _whole_number(4000, 1),
    "CORS_ORIGINS": _text("*"),
    "LOCK_STORE_URL": _text(""),
    "TELEGRAM_TOKEN": _text(""),
    "TELEGRAM_SECRET_TOKEN": _text(""),
    "TELEGRAM_MODE": _choice("webhook", ("webhook", "polling")),
    "TELEGRAM_API_URL": _text("https://api.telegram.org"),
    "TELEGRAM_WEBHOOK_URL": _text(""),
    "TELEGRAM_BOT_USERNAME": _text(""),
    "LOG_LEVEL": _log_level,
}

SETTING_KEYS: tuple[str, ...] = tuple(_PARSERS)


def env_file_path() -> Path:
    return Path(os.environ.get("TEND_ENV_FILE", PROJECT_ROOT / ".env"))


def read_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Settings:
    """Reads and validates settings: the process environment wins over `.env`."""
    source: dict[str, str | None] = {}
    path = env_file if env_file is not None else env_file_path()
    if path.is_file():
        source.update(dotenv_values(path))
    source.update(os.environ if environ is None else environ)

    values = {key: parse(key, source.get(key)) for key, parse in _PARSERS.items()}
    if not values["ACTION_SERVER_URL"]:
        values["ACTION_SERVER_URL"] = (
            f"http://127.0.0.1:{values['ACTION_PORT']}/webhook"
        )
    webhook = values["TELEGRAM_MODE"] == "webhook"
    if webhook and values["TELEGRAM_TOKEN"] and not values["TELEGRAM_SECRET_TOKEN"]:
        raise SettingsError(
            "TELEGRAM_SECRET_TOKEN must be set when TELEGRAM_TOKEN is set in "
            "webhook mode, so Tend can tell Telegram's calls from anyone else's."
        )
    names = {f.name for f in fields(Settings)}
    return Settings(**{k.lower(): v for k, v in values.items() if k.lower() in names})


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this process, read on first use and then kept."""
    return read_settings()


def settings_or_report() -> Settings | None:
    """The settings, or None after printing the one plain line that says what is
    wrong (every command starts with this, so a mistake reads the same everywhere)."""
    try:
        return read_settings()
    except SettingsError as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return None


def main() -> int:
    """Validates the configuration; prints one plain line on failure."""
    return 0 if settings_or_report() is not None else 2


if __name__ == "__main__":
    sys.exit(main())
