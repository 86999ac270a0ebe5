"""Tests for alembic/ and bot/store/migrations.py: the schema comes from migrations."""

from __future__ import annotations

import sqlalchemy as sa

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from bot.store.migrations import alembic_config, upgrade_database
from bot.store.models import RASA_EVENTS, Base

TEND_TABLES = {"letters", "checkins", "escalations", "key_check"}


def _tables(database_url: str) -> set[str]:
    engine = sa.create_engine(database_url, future=True)
    with engine.connect() as connection:
        names = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    return names


def _current_revision(database_url: str) -> str | None:
    engine = sa.create_engine(database_url, future=True)
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return revision


def test_upgrade_from_empty_creates_tends_tables_at_the_latest_revision(
    database_url: str,
) -> None:
    assert _tables(database_url) == set()

    upgrade_database(database_url)

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    assert _tables(database_url) >= TEND_TABLES
    assert _current_revision(database_url) == head


def test_migrations_create_exactly_what_the_models_describe(upgraded_url: str) -> None:
    engine = sa.create_engine(upgraded_url, future=True)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": Base.metadata}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_an_upgraded_database_changes_nothing(upgraded_url: str) -> None:
    before = _current_revision(upgraded_url)
    upgrade_database(upgraded_url)
    assert _current_revision(upgraded_url) == before
    assert _tables(upgraded_url) >= TEND_TABLES


def test_upgrade_leaves_rasas_events_table_alone(database_url: str) -> None:
    engine = sa.create_engine(database_url, future=True)
    RASA_EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(RASA_EVENTS).values(sender_id="x", type_name="user")
        )
    engine.dispose()

    upgrade_database(database_url)

    engine = sa.create_engine(database_url, future=True)
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(RASA_EVENTS))
        assert count.scalar_one() == 1
    engine.dispose()


def test_downgrade_to_base_removes_tends_tables(upgraded_url: str) -> None:
    command.downgrade(alembic_config(upgraded_url), "base")
    assert not TEND_TABLES & _tables(upgraded_url)
