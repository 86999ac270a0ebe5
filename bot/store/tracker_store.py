"""Rasa's SQL tracker store, with every event encrypted and the sender id hashed.

Rasa keeps each conversation event in its `events` table: the event itself as JSON
in `data` (with the person's words), plus `sender_id`, `type_name`, `timestamp`,
`intent_name` and `action_name`. Here `data` is a Fernet token made with `DATA_KEY`
and `sender_id` is `hash_sender(CONVERSATION_CHANNEL, sender_id)`; the same hash is
computed on every lookup, so conversations are found again. `intent_name` and
`action_name` hold only names from the domain (e.g. `greet`, `action_listen`, a slot
name), never a person's words, and stay readable as Rasa writes them.

"Delete my data": when the action named `FORGET_CONVERSATION_ACTION` succeeds it
returns a `Restarted` event; on the next save this store deletes every stored event
of that conversation and stores none of the new ones. Deleting here, inside the
Rasa server, is what makes it stick: the action server cannot delete these rows
itself, since Rasa would write the conversation back when it saves the tracker.

Named in endpoints.yml:
`tracker_store: {type: bot.store.tracker_store.EncryptedSQLTrackerStore}`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, Restarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Query, Session, sessionmaker

from bot.config import settings
from bot.store.crypto import (
    CONVERSATION_CHANNEL,
    DataKey,
    configured_data_key,
    hash_sender,
)
from bot.store.database import (
    check_data_key,
    create_database_engine,
    open_storage,
    unavailable_as_storage_error,
)
from bot.store.models import KeyCheck

logger = logging.getLogger(__name__)

# The action behind "delete my data"; it returns `Restarted()` once it has deleted
# the person's letters, check-ins and escalation records.
FORGET_CONVERSATION_ACTION = "action_delete_my_data"


def asks_to_forget(events: Iterable[Event]) -> bool:
    """True when the forget action ran and then restarted the conversation."""
    forget_action_running = False
    for event in events:
        if isinstance(event, ActionExecuted):
            forget_action_running = event.action_name == FORGET_CONVERSATION_ACTION
        elif isinstance(event, Restarted) and forget_action_running:
            return True
    return False


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` on `DATABASE_URL` that stores events encrypted, ids hashed."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        database_url: str | None = None,
        data_key: DataKey | None = None,
        **kwargs: Any,
    ) -> None:
        if host:
            raise ValueError(
                "EncryptedSQLTrackerStore reads its database from DATABASE_URL; "
                "remove `url:` from the tracker_store section of endpoints.yml."
            )
        self.data_key = data_key if data_key is not None else configured_data_key()
        # Tend's own engine (not the parent's): same settings as the data layer,
        # SQLite in WAL mode, bound values kept out of logs. `future=False` because
        # Rasa's inherited queries use the 1.x Query API.
        url = database_url or settings().database_url
        self.engine = create_database_engine(url, future=False)
        with unavailable_as_storage_error():
            # Rasa's `events` table is Rasa's to create (Tend's tables are Alembic's).
            self.Base.metadata.create_all(self.engine)
            if sa.inspect(self.engine).has_table(KeyCheck.__tablename__):
                self._refuse_a_different_key(url)
        self.sessionmaker = sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    def _refuse_a_different_key(self, database_url: str) -> None:
        storage = open_storage(database_url, self.data_key)
        try:
            check_data_key(storage)
        finally:
            storage.engine.dispose()

    def conversation_hash(self, sender_id: str) -> str:
        """The value stored in `events.sender_id` for Rasa's conversation id."""
        return hash_sender(CONVERSATION_CHANNEL, sender_id, key=self.data_key)

    def _event_query(
        self, session: Session, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Query:
        # Every inherited lookup (retrieve, count of stored events) comes through
        # here with Rasa's id; the rows hold its hash.
        return super()._event_query(
            session,
            self.conversation_hash(sender_id),
            fetch_events_from_all_sessions=fetch_events_from_all_sessions,
        )

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._event_query(
                session,
                sender_id,
                fetch_events_from_all_sessions=fetch_events_from_all_sessions,
            ).all()
            events = [json.loads(self.data_key.decrypt(row.data)) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the tracker's new events, encrypted; forgets it when asked to."""
        await self.stream_events(tracker)
        conversation_hash = self.conversation_hash(tracker.sender_id)
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if asks_to_forget(new_events):
                removed = self._delete_events(session, conversation_hash)
                session.commit()
                logger.info("Deleted a conversation on request (%d events).", removed)
                return
            for event in new_events:
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=conversation_hash,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(
                            data.get("parse_data", {})
                            .get("intent", {})
                            .get(INTENT_NAME_KEY)
                        ),
                        action_name=data.get("name"),
                        data=self.data_key.encrypt(json.dumps(data)),
                    )
                )
            session.commit()

    def delete_conversation(self, sender_id: str) -> int:
        """Deletes every stored event of a conversation; returns how many."""
        with self.session_scope() as session:
            removed = self._delete_events(session, self.conversation_hash(sender_id))
            session.commit()
        return removed

    def _delete_events(self, session: Session, conversation_hash: str) -> int:
        return (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == conversation_hash)
            .delete(synchronize_session=False)
        )
