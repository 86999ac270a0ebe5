"""Runs Tend's migrations against DATABASE_URL (or the URL the caller passes).

Only Tend's tables (bot.store.models) are managed here; Rasa's `events` table
lives in the same database but belongs to Rasa, so autogenerate ignores it.
"""

from __future__ import annotations

from logging.config import fileConfig

from sqlalchemy.schema import SchemaItem

from alembic import context
from bot.config import settings
from bot.store.database import create_database_engine
from bot.store.models import Base

config = context.config

# `python -m bot.cli.db` keeps its own logging; the `alembic` command line uses ini's.
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)


def _database_url() -> str:
    return config.attributes.get("database_url") or settings().database_url


def _only_tend_tables(
    item: SchemaItem, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return type_ != "table" or name in Base.metadata.tables


def run_migrations_offline() -> None:
    """Writes the SQL to stdout (`alembic upgrade head --sql`)."""
    context.configure(
        url=_database_url(),
        target_metadata=Base.metadata,
        literal_binds=True,
        include_object=_only_tend_tables,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_database_engine(_database_url())
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                include_object=_only_tend_tables,
                # SQLite cannot ALTER most things; batch mode copies the table.
                render_as_batch=connection.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
