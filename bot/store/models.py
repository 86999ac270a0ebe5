"""Tend's tables, as SQLAlchemy models; Alembic (alembic/versions/) creates them.

A person appears only as `sender_hash` (see `bot.store.crypto.hash_sender`), never by
their id. Text a person wrote is stored only as a Fernet token (`*_encrypted`).
Rasa's own `events` table is described at the end, for the queries Tend runs on it
(prune, export); Rasa creates that table itself.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

# Named constraints, so later migrations can refer to them on every dialect.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION))

SENDER_HASH_LENGTH = 64  # hex of HMAC-SHA256


class UtcDateTime(TypeDecorator):
    """Stores UTC without a zone (SQLite has none) and hands back aware UTC times."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: sa.engine.Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Tend stores only timezone-aware times (use UTC).")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(
        self, value: datetime | None, dialect: sa.engine.Dialect
    ) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Letter(Base):
    """A letter a person wrote to their younger self; the body is encrypted."""

    __tablename__ = "letters"

    id = sa.Column(sa.Integer, primary_key=True)
    sender_hash = sa.Column(sa.String(SENDER_HASH_LENGTH), nullable=False, index=True)
    body_encrypted = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(UtcDateTime(), nullable=False, index=True)


class Checkin(Base):
    """One feelings check-in: the feeling named (encrypted), its family, how strong.

    The family (e.g. "sad") stays readable so check-ins can be counted; the feeling
    is the person's own word, so it is stored like any other text they wrote.
    """

    __tablename__ = "checkins"

    id = sa.Column(sa.Integer, primary_key=True)
    sender_hash = sa.Column(sa.String(SENDER_HASH_LENGTH), nullable=False, index=True)
    feeling_encrypted = sa.Column(sa.Text, nullable=False)
    family = sa.Column(sa.String(64), nullable=False)
    intensity = sa.Column(sa.SmallInteger, nullable=True)
    created_at = sa.Column(UtcDateTime(), nullable=False, index=True)


class EscalationRecord(Base):
    """That a crisis answer was given: when, where, what kind; text only if allowed.

    `message_encrypted` is filled only when `ESCALATION_STORE_TEXT=true`.
    """

    __tablename__ = "escalations"

    id = sa.Column(sa.Integer, primary_key=True)
    sender_hash = sa.Column(sa.String(SENDER_HASH_LENGTH), nullable=False, index=True)
    channel = sa.Column(sa.String(64), nullable=False)
    category = sa.Column(sa.String(64), nullable=False)
    kind = sa.Column(sa.String(64), nullable=False)
    message_encrypted = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(UtcDateTime(), nullable=False, index=True)


class KeyCheck(Base):
    """The fingerprint of the `DATA_KEY` the data is stored with (a single row).

    Lets Tend refuse to start with another key instead of writing records that the
    old ones cannot be matched with.
    """

    __tablename__ = "key_check"

    id = sa.Column(sa.Integer, primary_key=True)
    fingerprint = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(UtcDateTime(), nullable=False)


# Rasa's tracker store table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent), in
# its own metadata so Alembic neither creates nor drops it. `timestamp` is Unix time.
RASA_EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
