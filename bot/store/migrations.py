"""Brings a database to Tend's latest schema with Alembic (alembic/versions/)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from alembic import command
from alembic.config import Config
from bot.config import PROJECT_ROOT
from bot.store.database import unavailable_as_storage_error

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"


def alembic_config(database_url: str) -> Config:
    """Alembic's configuration for `database_url`, leaving the caller's logging be."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade_database(database_url: str) -> None:
    """Applies every migration not yet applied; creates a SQLite file's folder."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    with unavailable_as_storage_error():
        command.upgrade(alembic_config(database_url), "head")
