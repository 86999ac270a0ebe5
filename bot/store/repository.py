"""Tend's data layer: letters, check-ins, escalation records, export, delete, prune.

Every function takes the `Storage` built once per process (`default_storage()`),
runs in its own transaction and raises `StorageUnavailable` when the database
cannot be used. People are named only by their sender hash
(`bot.store.crypto.hash_sender`); a raw id is refused.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.store.crypto import CONVERSATION_CHANNEL, DataKey, hash_sender
from bot.store.database import Storage, transaction
from bot.store.models import RASA_EVENTS, Checkin, EscalationRecord, Letter

SUMMARY_WINDOWS_DAYS = (7, 30)
INTENSITY_RANGE = range(0, 11)

_SENDER_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredLetter:
    """A letter as the person wrote it, decrypted."""

    id: int
    body: str
    created_at: datetime


@dataclass(frozen=True)
class CheckinSummary:
    """How many check-ins fell in each feeling family, over two recent windows."""

    last_7_days: dict[str, int]
    last_30_days: dict[str, int]


@dataclass(frozen=True)
class RemovedCounts:
    """How many records a delete or a prune removed, per kind."""

    letters: int = 0
    checkins: int = 0
    escalations: int = 0
    conversation_events: int = 0


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _require_sender_hash(sender_hash: str) -> str:
    # A raw chat id here would be stored in the clear: refuse it loudly.
    if not isinstance(sender_hash, str) or not _SENDER_HASH.fullmatch(sender_hash):
        raise ValueError(
            "sender_hash must be the value of hash_sender(channel, sender_id), "
            "never a raw sender id."
        )
    return sender_hash


def save_letter(
    storage: Storage, sender_hash: str, body: str, now: datetime | None = None
) -> int:
    """Stores a letter, encrypted; returns its id."""
    if not body.strip():
        raise ValueError("A letter needs at least one word.")
    letter = Letter(
        sender_hash=_require_sender_hash(sender_hash),
        body_encrypted=storage.data_key.encrypt(body),
        created_at=now or _utc_now(),
    )
    with transaction(storage) as session:
        session.add(letter)
        session.flush()
        return letter.id


def letters_for(
    storage: Storage, sender_hash: str, limit: int | None = None
) -> list[StoredLetter]:
    """The person's letters, decrypted, newest first."""
    query = (
        sa.select(Letter)
        .where(Letter.sender_hash == _require_sender_hash(sender_hash))
        .order_by(Letter.created_at.desc(), Letter.id.desc())
        .limit(limit)
    )
    with transaction(storage) as session:
        rows = session.execute(query).scalars().all()
    return [
        StoredLetter(
            row.id, storage.data_key.decrypt(row.body_encrypted), row.created_at
        )
        for row in rows
    ]


def record_checkin(
    storage: Storage,
    sender_hash: str,
    feeling: str,
    family: str,
    intensity: int | None = None,
    now: datetime | None = None,
) -> int:
    """Stores a feelings check-in; `intensity` is 0-10 or None. Returns its id."""
    if intensity is not None and intensity not in INTENSITY_RANGE:
        raise ValueError(f"intensity must be 0 to 10 or None, not {intensity!r}.")
    checkin = Checkin(
        sender_hash=_require_sender_hash(sender_hash),
        feeling_encrypted=storage.data_key.encrypt(feeling),
        family=family,
        intensity=intensity,
        created_at=now or _utc_now(),
    )
    with transaction(storage) as session:
        session.add(checkin)
        session.flush()
        return checkin.id


def checkin_summary(
    storage: Storage, sender_hash: str, now: datetime | None = None
) -> CheckinSummary:
    """Check-in counts by feeling family over the 7 and 30 days up to `now`."""
    now = now or _utc_now()
    oldest = now - timedelta(days=max(SUMMARY_WINDOWS_DAYS))
    query = sa.select(Checkin.family, Checkin.created_at).where(
        Checkin.sender_hash == _require_sender_hash(sender_hash),
        Checkin.created_at >= oldest,
        Checkin.created_at <= now,
    )
    with transaction(storage) as session:
        rows = session.execute(query).all()
    week_start = now - timedelta(days=7)
    return CheckinSummary(
        last_7_days=dict(Counter(f for f, at in rows if at >= week_start)),
        last_30_days=dict(Counter(f for f, _ in rows)),
    )


def record_escalation(
    storage: Storage,
    sender_hash: str,
    channel: str,
    category: str,
    kind: str,
    message_text: str | None = None,
    now: datetime | None = None,
) -> int:
    """Records that a crisis answer was given, in its own transaction; returns the
    record's id. The message is kept only when `ESCALATION_STORE_TEXT=true`."""
    record = escalation_record(
        storage.data_key,
        storage.store_escalation_text,
        sender_hash,
        channel,
        category,
        kind,
        message_text,
        now,
    )
    with transaction(storage) as session:
        session.add(record)
        session.flush()
        return record.id


def escalation_record(
    data_key: DataKey,
    store_text: bool,
    sender_hash: str,
    channel: str,
    category: str,
    kind: str,
    message_text: str | None = None,
    now: datetime | None = None,
) -> EscalationRecord:
    """A new escalation row, to add in the caller's transaction.

    The message is kept (encrypted) only when `store_text` is set
    (`ESCALATION_STORE_TEXT=true`); otherwise it is dropped here, whatever the caller
    passes.
    """
    keep_text = store_text and message_text
    return EscalationRecord(
        sender_hash=_require_sender_hash(sender_hash),
        channel=channel or "unknown",
        category=category,
        kind=kind,
        message_encrypted=data_key.encrypt(message_text) if keep_text else None,
        created_at=now or _utc_now(),
    )


def export_for(
    storage: Storage, sender_hash: str, conversation_id: str | None = None
) -> dict[str, Any]:
    """Everything Tend stores about a person, decrypted, as JSON-able data.

    With `conversation_id` (Rasa's sender id) the conversation kept by the tracker
    store is included too: the messages, what Tend understood, what it remembered.
    """
    sender_hash = _require_sender_hash(sender_hash)
    key = storage.data_key
    with transaction(storage) as session:
        letters = session.execute(
            sa.select(Letter)
            .where(Letter.sender_hash == sender_hash)
            .order_by(Letter.created_at, Letter.id)
        ).scalars()
        checkins = session.execute(
            sa.select(Checkin)
            .where(Checkin.sender_hash == sender_hash)
            .order_by(Checkin.created_at, Checkin.id)
        ).scalars()
        escalations = session.execute(
            sa.select(EscalationRecord)
            .where(EscalationRecord.sender_hash == sender_hash)
            .order_by(EscalationRecord.created_at, EscalationRecord.id)
        ).scalars()
        exported: dict[str, Any] = {
            "exported_at": _utc_now().isoformat(),
            "letters": [
                {
                    "written_at": row.created_at.isoformat(),
                    "text": key.decrypt(row.body_encrypted),
                }
                for row in letters
            ],
            "checkins": [
                {
                    "at": row.created_at.isoformat(),
                    "feeling": key.decrypt(row.feeling_encrypted),
                    "family": row.family,
                    "intensity": row.intensity,
                }
                for row in checkins
            ],
            "escalations": [
                {
                    "at": row.created_at.isoformat(),
                    "channel": row.channel,
                    "category": row.category,
                    "kind": row.kind,
                    "message": (
                        key.decrypt(row.message_encrypted)
                        if row.message_encrypted
                        else None
                    ),
                }
                for row in escalations
            ],
        }
        if conversation_id is not None:
            exported["conversation"] = _conversation_export(
                session, storage, conversation_id
            )
    return exported


def _conversation_export(
    session: Session, storage: Storage, conversation_id: str
) -> list[dict[str, Any]]:
    if not sa.inspect(session.connection()).has_table(RASA_EVENTS.name):
        return []
    conversation_hash = hash_sender(
        CONVERSATION_CHANNEL, conversation_id, key=storage.data_key
    )
    rows = session.execute(
        sa.select(RASA_EVENTS.c.timestamp, RASA_EVENTS.c.data)
        .where(RASA_EVENTS.c.sender_id == conversation_hash)
        .order_by(RASA_EVENTS.c.id)
    ).all()
    entries = []
    for timestamp, token in rows:
        event = json.loads(storage.data_key.decrypt(token))
        at = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc).isoformat()
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            entries.append(
                {
                    "at": at,
                    "from": "you",
                    "text": event.get("text"),
                    "understood_as": intent.get("name"),
                }
            )
        elif event.get("event") == "bot":
            entries.append({"at": at, "from": "Tend", "text": event.get("text")})
        elif event.get("event") == "slot":
            entries.append(
                {"at": at, "remembered": event.get("name"), "value": event.get("value")}
            )
    return entries


def delete_everything_for(storage: Storage, sender_hash: str) -> RemovedCounts:
    """Deletes the person's letters, check-ins and escalation records.

    The conversation itself (Rasa's events) is deleted by the tracker store when
    the delete action runs; see `bot.store.tracker_store`.
    """
    sender_hash = _require_sender_hash(sender_hash)
    with transaction(storage) as session:
        counts = {
            name: session.execute(
                sa.delete(model).where(model.sender_hash == sender_hash)
            ).rowcount
            for name, model in (
                ("letters", Letter),
                ("checkins", Checkin),
                ("escalations", EscalationRecord),
            )
        }
    return RemovedCounts(**counts)


def prune(
    storage: Storage, older_than_days: int, now: datetime | None = None
) -> RemovedCounts:
    """Deletes every record and conversation event older than `older_than_days`."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1.")
    cutoff = (now or _utc_now()) - timedelta(days=older_than_days)
    with transaction(storage) as session:
        counts = {
            name: session.execute(
                sa.delete(model).where(model.created_at < cutoff)
            ).rowcount
            for name, model in (
                ("letters", Letter),
                ("checkins", Checkin),
                ("escalations", EscalationRecord),
            )
        }
        counts["conversation_events"] = (
            session.execute(
                sa.delete(RASA_EVENTS).where(
                    RASA_EVENTS.c.timestamp < cutoff.timestamp()
                )
            ).rowcount
            if sa.inspect(session.connection()).has_table(RASA_EVENTS.name)
            else 0
        )
    return RemovedCounts(**counts)
