"""Conversation locks for the Rasa server: shared in Redis, or kept in this process.

Rasa answers one message per conversation at a time: before it reads a conversation
it takes a ticket from that conversation's lock and waits for its turn. With one Rasa
process, Rasa's in-memory lock store is enough. With several replicas behind a load
balancer, the lock must be shared, or two replicas could answer the same person at
once and one of them would save a conversation the other had already moved on.
`LOCK_STORE_URL` (e.g. `redis://redis:6379/1`) turns the shared lock on.

Rasa's own `RedisLockStore` reads a lock, changes it and writes it back as separate
commands, so two replicas taking a ticket at the same moment can both read the same
lock and one write wipes out the other's ticket. `SharedRedisLockStore` makes each of
those changes one Redis transaction (WATCH/MULTI/EXEC, retried on conflict), lets a
lock expire with its last ticket (a replica that dies mid-turn leaves nothing
behind), and if Redis cannot be reached it keeps answering with this replica's own
lock and logs a warning, rather than leaving the person without a reply. Redis never
sees a chat id: a lock is kept under the same sender hash as the conversation's
events (`hash_sender`, keyed with `DATA_KEY`, so every replica needs the same key).

Named in endpoints.yml: `lock_store: {type: bot.store.lock_store.TendLockStore}`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from bot.config import settings
from bot.store.crypto import (
    CONVERSATION_CHANNEL,
    DataKey,
    configured_data_key,
    hash_sender,
)

logger = logging.getLogger(__name__)

# How often a message waiting for its turn looks again. Rasa waits a whole second,
# which a person who sends two messages quickly would feel.
TURN_POLL_SECONDS = 0.05
# A Redis that does not answer should cost a message seconds, not Rasa's default 10 s.
REDIS_CONNECT_TIMEOUT_SECONDS = 2.0
REDIS_SOCKET_TIMEOUT_SECONDS = 5.0
# Kept a little past the last ticket's expiry, so clocks a little apart do no harm.
EXPIRY_MARGIN_SECONDS = 5.0

Result = TypeVar("Result")


class SharedRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store: atomic changes, hashed ids, a local fallback.

    `lock()`, the one method Rasa calls, takes Rasa's conversation id; the methods
    below it work on the lock id, the conversation's sender hash.
    """

    def __init__(
        self,
        url: str,
        data_key: DataKey,
        key_prefix: str | None = None,
        socket_timeout: float = REDIS_SOCKET_TIMEOUT_SECONDS,
    ) -> None:
        super().__init__(key_prefix=key_prefix, socket_timeout=socket_timeout)
        self._data_key = data_key
        # Rasa's constructor takes host and port; a URL also carries the database
        # number, the password and TLS (rediss://).
        self.red = redis.StrictRedis.from_url(
            url,
            socket_timeout=socket_timeout,
            socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS,
        )
        self._local = InMemoryLockStore()

    def _change(
        self,
        lock_id: str,
        change: Callable[[TicketLock | None], tuple[TicketLock | None, Result]],
    ) -> Result:
        """Reads, changes and writes one lock as one Redis transaction."""
        key = self.key_prefix + lock_id

        def attempt(pipe: redis.client.Pipeline) -> Result:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            changed, result = change(lock)
            pipe.multi()
            if changed is None or not changed.tickets:
                pipe.delete(key)
            else:
                last_expiry = max(ticket.expires for ticket in changed.tickets)
                expires_at = math.ceil(last_expiry + EXPIRY_MARGIN_SECONDS)
                pipe.set(key, changed.dumps(), exat=expires_at)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, lock_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take_ticket(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(lock_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(lock_id, take_ticket)
        except redis.RedisError as error:
            raise LockError(f"Could not take a ticket in Redis: {error}") from error

    def update_lock(self, lock_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(lock_id, drop_expired)

    def finish_serving(self, lock_id: str, ticket_number: int) -> None:
        def drop_ticket(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(lock_id, drop_ticket)

    def cleanup(self, lock_id: str, ticket_number: int) -> None:
        # One transaction: the lock is deleted when its last ticket goes, and only
        # then (Rasa checks "is anyone waiting?" and deletes in separate steps).
        self.finish_serving(lock_id, ticket_number)

    def lock_id_for(self, conversation_id: str) -> str:
        """The name a conversation's lock has in Redis: its sender hash."""
        return hash_sender(CONVERSATION_CHANNEL, conversation_id, key=self._data_key)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = TURN_POLL_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Waits for this conversation's turn across replicas (or in this one)."""
        lock_id = self.lock_id_for(conversation_id)
        try:
            ticket = self.issue_ticket(lock_id, lock_lifetime)
        except LockError as error:
            logger.warning(
                "The Redis lock store (LOCK_STORE_URL) cannot be reached (%s); "
                "answering with this replica's own lock. Check that Redis is running.",
                type(error.__cause__).__name__,
            )
            async with self._local.lock(
                lock_id, lock_lifetime, wait_time_in_seconds
            ) as local_lock:
                yield local_lock
            return
        try:
            yield await self._acquire_lock(lock_id, ticket, wait_time_in_seconds)
        finally:
            self._release(lock_id, ticket)

    def _release(self, lock_id: str, ticket: int) -> None:
        try:
            self.cleanup(lock_id, ticket)
        except redis.RedisError as error:
            # The reply has been sent; the ticket expires by itself in Redis.
            logger.warning(
                "Could not release a conversation lock in Redis (%s); it expires "
                "within the lock lifetime.",
                type(error).__name__,
            )


class TendLockStore(LockStore):
    """The lock store endpoints.yml names: Redis with LOCK_STORE_URL, else memory."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        lock_store_url: str | None = None,
        data_key: DataKey | None = None,
    ) -> None:
        url = lock_store_url if lock_store_url is not None else _configured_url()
        options: dict[str, Any] = endpoint_config.kwargs if endpoint_config else {}
        self.store: LockStore = (
            SharedRedisLockStore(
                url,
                data_key or configured_data_key(),
                key_prefix=options.get("key_prefix"),
            )
            if url
            else InMemoryLockStore()
        )
        super().__init__()

    @property
    def shared(self) -> bool:
        """True when replicas share this lock (Redis)."""
        return isinstance(self.store, SharedRedisLockStore)

    # Rasa takes locks only through `lock()`; the rest is LockStore's contract.

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = TURN_POLL_SECONDS,
    ) -> Any:
        return self.store.lock(conversation_id, lock_lifetime, wait_time_in_seconds)

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        return self.store.issue_ticket(conversation_id, lock_lifetime)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self.store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.store.save_lock(lock)

    def update_lock(self, conversation_id: str) -> None:
        self.store.update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.store.finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self.store.cleanup(conversation_id, ticket_number)


def _configured_url() -> str:
    return settings().lock_store_url
