"""The conversation lock: memory for one process, Redis shared by replicas.

The Redis tests need TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0); each uses its
own key prefix, so they leave other users of that Redis alone.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.store.crypto import DataKey, new_data_key
from bot.store.lock_store import SharedRedisLockStore, TendLockStore

REDIS_SKIP_REASON = (
    "Redis lock store tests NOT run: set TEST_REDIS_URL "
    "(e.g. redis://127.0.0.1:6379/0) to run them."
)


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip(REDIS_SKIP_REASON)
    return url


@pytest.fixture
def key_prefix(redis_url: str) -> Iterator[str]:
    """A prefix no one else uses; its keys are deleted after the test."""
    prefix = f"tendtest{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.StrictRedis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


# Every replica runs with the same DATA_KEY.
REPLICAS_DATA_KEY = DataKey.from_text(new_data_key())


def replica_store(redis_url: str, key_prefix: str) -> TendLockStore:
    """A lock store as one Rasa replica builds it from endpoints.yml."""
    return TendLockStore(
        EndpointConfig(
            type="bot.store.lock_store.TendLockStore", key_prefix=key_prefix
        ),
        lock_store_url=redis_url,
        data_key=REPLICAS_DATA_KEY,
    )


def shared(store: TendLockStore) -> SharedRedisLockStore:
    assert isinstance(store.store, SharedRedisLockStore)
    return store.store


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_without_a_lock_store_url_the_lock_is_kept_in_memory() -> None:
    store = TendLockStore(lock_store_url="")
    assert isinstance(store.store, InMemoryLockStore)
    assert not store.shared


async def test_in_memory_lock_lets_one_message_at_a_time_through() -> None:
    store = TendLockStore(lock_store_url="")
    inside: list[int] = []
    overlaps: list[int] = []

    async def turn() -> None:
        async with store.lock("someone"):
            if inside:
                overlaps.append(1)
            inside.append(1)
            await asyncio.sleep(0)
            inside.pop()

    await asyncio.gather(*(turn() for _ in range(5)))
    assert overlaps == []


def test_with_a_lock_store_url_the_lock_is_shared_in_redis(
    redis_url: str, key_prefix: str
) -> None:
    store = replica_store(redis_url, key_prefix)
    assert store.shared
    assert store.store.key_prefix == f"{key_prefix}:lock:"


async def test_two_replicas_never_hold_one_conversation_at_once(
    redis_url: str, key_prefix: str
) -> None:
    replicas = [replica_store(redis_url, key_prefix) for _ in range(2)]
    inside: list[int] = []
    overlaps: list[int] = []
    served: list[int] = []

    async def turn(number: int) -> None:
        async with replicas[number % 2].lock("conversation-1"):
            if inside:
                overlaps.append(number)
            inside.append(number)
            await asyncio.sleep(0.01)
            inside.pop()
            served.append(number)

    await asyncio.gather(*(turn(n) for n in range(10)))
    assert overlaps == []
    assert sorted(served) == list(range(10))


def test_tickets_taken_at_once_by_two_replicas_are_all_kept(
    redis_url: str, key_prefix: str
) -> None:
    # Rasa's own RedisLockStore reads, changes and writes the lock in separate
    # commands; taken from many threads at once, some tickets would be lost.
    replicas = [shared(replica_store(redis_url, key_prefix)) for _ in range(2)]

    def take(number: int) -> int:
        return replicas[number % 2].issue_ticket("conversation-2", 60)

    with ThreadPoolExecutor(max_workers=8) as pool:
        tickets = list(pool.map(take, range(40)))

    stored = replicas[0].get_lock("conversation-2")
    assert stored is not None
    assert sorted(tickets) == list(range(40))
    assert sorted(t.number for t in stored.tickets) == list(range(40))


def test_a_lock_expires_in_redis_with_its_last_ticket(
    redis_url: str, key_prefix: str
) -> None:
    store = shared(replica_store(redis_url, key_prefix))
    store.issue_ticket("conversation-3", lock_lifetime=30)
    seconds_left = store.red.ttl(f"{key_prefix}:lock:conversation-3")
    assert 0 < seconds_left <= 30 + 6


async def test_the_lock_is_gone_from_redis_once_the_turn_ends(
    redis_url: str, key_prefix: str
) -> None:
    store = shared(replica_store(redis_url, key_prefix))
    lock_id = store.lock_id_for("conversation-4")
    async with store.lock("conversation-4"):
        assert store.get_lock(lock_id) is not None
    assert store.get_lock(lock_id) is None


async def test_redis_never_sees_the_conversation_id(
    redis_url: str, key_prefix: str
) -> None:
    store = shared(replica_store(redis_url, key_prefix))
    chat_id = "telegram-chat-987654321"
    async with store.lock(chat_id):
        keys = list(store.red.scan_iter(f"{key_prefix}:*"))
        stored = b"".join(key + (store.red.get(key) or b"") for key in keys)
    assert len(keys) == 1
    assert b"987654321" not in stored


async def test_an_unreachable_redis_still_lets_the_message_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = TendLockStore(
        lock_store_url=f"redis://127.0.0.1:{unused_port()}/0",
        data_key=REPLICAS_DATA_KEY,
    )
    answered = False
    with caplog.at_level(logging.WARNING, logger="bot.store.lock_store"):
        async with store.lock("conversation-5"):
            answered = True
    assert answered
    assert "LOCK_STORE_URL" in caplog.text
