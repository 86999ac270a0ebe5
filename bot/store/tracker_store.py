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

Recently used conversations stay in this process's memory (decrypted, never on
disk), so a message reads and decrypts only the rows added since the last one
instead of the whole history. A new conversation is remembered from its first
save: the table held none of its rows when it was looked up, so what the first
save writes is the whole conversation. Before memory is used, one query checks
that the table still holds exactly the remembered rows (their count and highest
id): rows added elsewhere are read, and if any remembered row is gone (e.g.
"delete my data" or `make prune`) the conversation is read from the table again,
so nothing deleted comes back.

A long session is handed to Rasa as a window (`bot/store/recent_window.py`): a
summary carrying the slots and the active form over, then the last turns, so the
cost of a message does not grow with the length of the conversation. The table
keeps every event; `retrieve_full_tracker` reads them all. `recent_window: false`
under `tracker_store` in endpoints.yml hands Rasa the whole session instead.

Named in endpoints.yml:
`tracker_store: {type: bot.store.tracker_store.EncryptedSQLTrackerStore}`.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    Restarted,
    SessionStarted,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Query, Session, sessionmaker

from bot.config import settings
from bot.policies.safety import SLOT_CATEGORY
from bot.shared_dialogue_states import forget_dialogue_states
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
from bot.store.escalations import CRISIS_KIND, escalations_in
from bot.store.models import KeyCheck
from bot.store.recent_window import Window, handed_out, next_window, windowed
from bot.store.repository import escalation_record

logger = logging.getLogger(__name__)

# The action behind "delete my data"; it returns `Restarted()` once it has deleted
# the person's letters, check-ins and escalation records.
FORGET_CONVERSATION_ACTION = "action_delete_my_data"


# How many conversations the Rasa server keeps in memory between messages (the
# least recently used is let go first). 0 turns the memory off.
REMEMBERED_CONVERSATIONS = 256


@dataclass
class _RememberedConversation:
    """The latest session's events as last read or written here, and the rows they
    came from: the first and highest row id, and how many rows."""

    events: list[Event]
    first_row_id: int
    last_row_id: int
    rows: int
    # How the older part of a long session is summarised for Rasa (recent_window).
    window: Window | None = None


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
        remembered_conversations: int = REMEMBERED_CONVERSATIONS,
        recent_window: bool = True,
        store_escalation_text: bool | None = None,
        **kwargs: Any,
    ) -> None:
        if host:
            raise ValueError(
                "EncryptedSQLTrackerStore reads its database from DATABASE_URL; "
                "remove `url:` from the tracker_store section of endpoints.yml."
            )
        self.data_key = data_key if data_key is not None else configured_data_key()
        self.store_escalation_text = (
            settings().escalation_store_text
            if store_escalation_text is None
            else store_escalation_text
        )
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
        self._remembered: OrderedDict[str, _RememberedConversation] = OrderedDict()
        self._remembered_limit = remembered_conversations
        self._recent_window = recent_window
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
        if fetch_events_from_all_sessions:
            with self.session_scope() as session:
                rows = self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=True
                ).all()
                events = self._decrypted(rows)
        else:
            events = self._recent_events(sender_id)
        if self.domain and events:
            return DialogueStateTracker.from_events(
                sender_id, events, self.domain.slots
            )
        return None

    def _decrypted(self, rows: Sequence[Any]) -> list[Event]:
        return deserialise_events(
            [json.loads(self.data_key.decrypt(row.data)) for row in rows]
        )

    def _recent_events(self, sender_id: str) -> list[Event]:
        """The latest session as Rasa needs it to answer: a long one windowed."""
        events = self._latest_session_events(sender_id)
        if not self.domain or not self._recent_window:
            return events
        remembered = self._remembered.get(sender_id)
        window = next_window(
            events, self.domain.slots, remembered.window if remembered else None
        )
        if remembered is not None:
            remembered.window = window
        return windowed(events, window)

    def _latest_session_events(self, sender_id: str) -> list[Event]:
        """The latest session's events, from memory where the table still agrees."""
        conversation_hash = self.conversation_hash(sender_id)
        remembered = self._remembered.get(sender_id)
        with self.session_scope() as session:
            if remembered is not None:
                events = self._remembered_and_newer(
                    session, conversation_hash, remembered
                )
                if events is not None:
                    self._remembered.move_to_end(sender_id)
                    return events
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=False
            ).all()
            events = self._decrypted(rows)
        self._forget(sender_id)
        if rows:
            self._remember(
                sender_id,
                _RememberedConversation(
                    list(events), rows[0].id, rows[-1].id, len(rows)
                ),
            )
        else:
            # Nothing stored yet: the save that ends this message knows the rows.
            self._remember(sender_id, _RememberedConversation([], 0, 0, 0))
        return events

    def _remembered_and_newer(
        self,
        session: Session,
        conversation_hash: str,
        remembered: _RememberedConversation,
    ) -> list[Event] | None:
        """The remembered events plus any rows added since; None if rows are gone."""
        in_session = (self.SQLEvent.sender_id == conversation_hash) & (
            self.SQLEvent.id >= remembered.first_row_id
        )
        rows, last_row_id = (
            session.query(
                sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id)
            )
            .filter(in_session)
            .one()
        )
        if rows == remembered.rows and (
            rows == 0 or last_row_id == remembered.last_row_id
        ):
            return list(remembered.events)
        newer = (
            session.query(self.SQLEvent)
            .filter(in_session, self.SQLEvent.id > remembered.last_row_id)
            .order_by(self.SQLEvent.id)
            .all()
        )
        # Rows are only ever added to a session. Fewer than remembered plus newer
        # means a remembered row was deleted: read everything again.
        if rows != remembered.rows + len(newer):
            return None
        new_events = self._decrypted(newer)
        if any(isinstance(event, SessionStarted) for event in new_events):
            return None  # a new session began elsewhere: read it as Rasa would
        remembered.events.extend(new_events)
        remembered.rows, remembered.last_row_id = rows, last_row_id
        return list(remembered.events)

    def _remember(self, sender_id: str, conversation: _RememberedConversation) -> None:
        if self._remembered_limit <= 0:
            return
        self._remembered[sender_id] = conversation
        self._remembered.move_to_end(sender_id)
        while len(self._remembered) > self._remembered_limit:
            self._remembered.popitem(last=False)

    def _forget(self, sender_id: str) -> None:
        self._remembered.pop(sender_id, None)

    def _forget_deleted(self, sender_id: str) -> None:
        """Nothing of a deleted conversation stays in this server's memory."""
        self._forget(sender_id)
        forget_dialogue_states(sender_id)

    def _additional_events(
        self, session: Session, tracker: DialogueStateTracker
    ) -> Iterable[Event]:
        """The tracker's events not yet stored (Rasa counts rows when it must)."""
        window_length = handed_out(tracker.events)
        if window_length is not None:
            return list(tracker.events)[window_length:]
        remembered = self._remembered.get(tracker.sender_id)
        if remembered is None or len(tracker.events) < len(remembered.events):
            return super()._additional_events(session, tracker)
        return list(tracker.events)[len(remembered.events) :]

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the tracker's new events, encrypted; forgets it when asked to."""
        await self.stream_events(tracker)
        conversation_hash = self.conversation_hash(tracker.sender_id)
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if asks_to_forget(new_events):
                removed = self._delete_events(session, conversation_hash)
                session.commit()
                self._forget_deleted(tracker.sender_id)
                logger.info("Deleted a conversation on request (%d events).", removed)
                return
            rows = [self._row(event, conversation_hash) for event in new_events]
            session.add_all(rows)
            session.flush()  # gives the rows their ids
            row_ids = [row.id for row in rows]
            self._record_escalations(session, tracker, new_events)
            session.commit()
        remembered = self._remembered.get(tracker.sender_id)
        if remembered is not None and remembered.rows == 0:
            self._remember_first_save(tracker.sender_id, new_events, row_ids)
        elif remembered is None or any(
            isinstance(event, SessionStarted) for event in new_events
        ):
            # Read from the table next time (where a new session starts, as Rasa would).
            self._forget(tracker.sender_id)
        elif row_ids:
            remembered.events.extend(new_events)
            remembered.rows += len(row_ids)
            remembered.last_row_id = max(row_ids)

    def _remember_first_save(
        self, sender_id: str, events: list[Event], row_ids: list[int]
    ) -> None:
        """Remembers a conversation's first rows as Rasa would read them back.

        Rasa's latest session is the rows stamped no earlier than the latest
        `SessionStarted` (`SQLTrackerStore._event_query`); Rasa stamps
        `action_session_start` just before it, so that row is left out. When the
        rows Rasa would read are the last ones written, they are remembered; in any
        other order the table is read next time.
        """
        if not row_ids:
            return  # still nothing stored: keep waiting for the first rows
        starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
        start = max(starts, default=None)
        read = [start is None or event.timestamp >= start for event in events]
        first = read.index(True) if True in read else len(read)
        if first == len(read) or not all(read[first:]):
            self._forget(sender_id)
            return
        self._remember(
            sender_id,
            _RememberedConversation(
                list(events[first:]), row_ids[first], max(row_ids), len(read) - first
            ),
        )

    def _record_escalations(
        self, session: Session, tracker: DialogueStateTracker, new_events: list[Event]
    ) -> None:
        """Adds an escalation record for each crisis answer among the new events.

        In a savepoint: if the record cannot be written (say, the database was never
        upgraded), the conversation's events are still saved.
        """
        given = escalations_in(
            new_events,
            category_before=tracker.get_slot(SLOT_CATEGORY),
            channel_before=tracker.get_latest_input_channel(),
        )
        if not given:
            return
        try:
            with session.begin_nested():
                session.add_all(
                    escalation_record(
                        self.data_key,
                        self.store_escalation_text,
                        hash_sender(
                            escalation.channel, tracker.sender_id, self.data_key
                        ),
                        channel=escalation.channel,
                        category=escalation.category,
                        kind=CRISIS_KIND,
                        message_text=escalation.message_text,
                    )
                    for escalation in given
                )
        except sa.exc.SQLAlchemyError as error:
            logger.warning(
                "Could not record an escalation (%s); the conversation is saved.",
                type(error).__name__,
            )

    def _row(self, event: Event, conversation_hash: str) -> Any:
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=conversation_hash,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=(
                data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
            ),
            action_name=data.get("name"),
            data=self.data_key.encrypt(json.dumps(data)),
        )

    def delete_conversation(self, sender_id: str) -> int:
        """Deletes every stored event of a conversation; returns how many."""
        with self.session_scope() as session:
            removed = self._delete_events(session, self.conversation_hash(sender_id))
            session.commit()
        self._forget_deleted(sender_id)
        return removed

    def _delete_events(self, session: Session, conversation_hash: str) -> int:
        return (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == conversation_hash)
            .delete(synchronize_session=False)
        )
