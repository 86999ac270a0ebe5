"""Two Rasa replicas and one action server on one PostgreSQL database and one Redis.

This is production's shape (docs/deploy.md) without containers: any replica may
answer any message, so a conversation's messages are sent to both in turn, and all
at once, and many conversations run side by side. Every conversation's history must
be complete and in order on both replicas, and every reply must reach the sender
who wrote and name that sender's own feeling.

Needs TEST_POSTGRES_URL (a throwaway database is created and dropped) and
TEST_REDIS_URL; without them the module is skipped and says why.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiohttp
import pytest
import yaml

from bot.config import PROJECT_ROOT
from tests.integration.chat_client import (
    CRISIS_CONTACT,
    MEMORIES,
    Turn,
    feeling_markers,
    named_feelings,
    new_session,
    send,
    words_named_back,
)
from tests.integration.stack import Replicas

# The replicas are started once per run (tests/integration/conftest.py); the
# database fault in test_faults.py uses them too.
pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SHARED_LOCK_STORE = "bot.store.lock_store.TendLockStore"
SENDERS_AT_ONCE = 30


def test_endpoints_name_the_shared_lock_store() -> None:
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    lock_store = (endpoints or {}).get("lock_store") or {}
    assert lock_store.get("type") == SHARED_LOCK_STORE, (
        "endpoints.yml must name Tend's lock store, or replicas share no lock:\n"
        f"lock_store:\n  type: {SHARED_LOCK_STORE}"
    )


@pytest.fixture(scope="module")
def markers(replicas: Replicas) -> list[str]:
    """Feeling words Tend names back, one per conversation."""

    async def find() -> list[str]:
        async with new_session() as session:
            return await words_named_back(
                session, replicas.first.rasa_url, feeling_markers()
            )

    words = asyncio.run(find())
    assert len(words) >= SENDERS_AT_ONCE + 2, f"too few marker words: {words}"
    return words


def user_texts(events: list[dict[str, Any]]) -> list[str]:
    return [event["text"] for event in events if event["event"] == "user"]


def whole_turns(events: list[dict[str, Any]]) -> bool:
    """Each message answered before the next was read: no two turns interleaved."""
    turn: list[dict[str, Any]] | None = None
    for event in [*events, {"event": "user"}]:
        if event["event"] == "user":
            if turn is not None:
                actions = [e for e in turn if e["event"] == "action"]
                said = any(e["event"] == "bot" for e in turn)
                if not said or actions[-1].get("name") != "action_listen":
                    return False
            turn = []
        elif turn is not None:
            turn.append(event)
    return True


async def conversation(
    session: aiohttp.ClientSession,
    servers: list[str],
    sender: str,
    script: list[str],
    offset: int = 0,
) -> list[Turn]:
    """Sends `script` in order, each message to the next replica in turn."""
    return [
        await send(session, servers[(offset + n) % len(servers)], sender, text)
        for n, text in enumerate(script)
    ]


def test_one_conversation_alternating_between_replicas_keeps_its_whole_history(
    replicas: Replicas, markers: list[str]
) -> None:
    first, second = replicas.first, replicas.second
    sender = f"replicas-{uuid.uuid4().hex[:10]}"
    feeling, other = markers[0], markers[1]
    script = [
        "hello",
        f"i feel {feeling}",
        MEMORIES[0],
        f"i feel {other}",
        MEMORIES[1],
        "i want to kill myself",
    ]

    async def run() -> list[Turn]:
        async with new_session() as session:
            servers = [first.rasa_url, second.rasa_url]
            return await conversation(session, servers, sender, script)

    turns = asyncio.run(run())
    assert all(turn.answered and turn.addressed_to_sender for turn in turns)
    assert named_feelings(turns[1].said) == {feeling}
    assert named_feelings(turns[3].said) == {other}
    assert CRISIS_CONTACT in turns[5].said
    history_a = first.tracker(sender)["events"]
    history_b = second.tracker(sender)["events"]
    assert history_a == history_b
    assert user_texts(history_a) == script
    assert whole_turns(history_a)


def test_messages_sent_at_once_to_both_replicas_are_answered_one_at_a_time(
    replicas: Replicas,
) -> None:
    first, second = replicas.first, replicas.second
    sender = f"replicas-{uuid.uuid4().hex[:10]}"
    messages = [
        "hello",
        "what is inner child work?",
        "i want to kill myself",
        "menu",
        "are you a therapist?",
        "hello again",
        "i don't want to be alive anymore",
        "thank you",
    ]

    async def run() -> list[Turn]:
        async with new_session() as session:
            servers = [first.rasa_url, second.rasa_url]
            return await asyncio.gather(
                *(
                    send(session, servers[n % 2], sender, text)
                    for n, text in enumerate(messages)
                )
            )

    turns = asyncio.run(run())
    assert all(turn.answered and turn.addressed_to_sender for turn in turns)
    for turn in turns:
        if "alive" in turn.text or "kill" in turn.text:
            assert CRISIS_CONTACT in turn.said, turn
    history = first.tracker(sender)["events"]
    assert sorted(user_texts(history)) == sorted(messages)
    assert whole_turns(history), "two replicas answered this conversation at once"
    assert second.tracker(sender)["events"] == history


def test_many_conversations_across_both_replicas_each_get_their_own_replies(
    replicas: Replicas, markers: list[str]
) -> None:
    first, second = replicas.first, replicas.second
    servers = [first.rasa_url, second.rasa_url]
    people = {
        f"replicas-many-{n:02d}-{uuid.uuid4().hex[:6]}": markers[n + 2]
        for n in range(SENDERS_AT_ONCE)
    }

    def script(feeling: str) -> list[str]:
        return ["hello", f"i feel {feeling}", MEMORIES[0], f"i feel {feeling}"]

    async def run() -> list[list[Turn]]:
        async with new_session() as session:
            return await asyncio.gather(
                *(
                    conversation(session, servers, sender, script(feeling), offset=n)
                    for n, (sender, feeling) in enumerate(people.items())
                )
            )

    everyone = asyncio.run(run())
    for (sender, feeling), turns in zip(people.items(), everyone, strict=True):
        assert all(turn.answered and turn.addressed_to_sender for turn in turns)
        for turn in (turns[1], turns[3]):
            assert named_feelings(turn.said) == {feeling}, (sender, turn.said)
        for turn in turns:
            assert named_feelings(turn.said) <= {feeling}, (sender, turn.said)
        history = second.tracker(sender)["events"]
        assert user_texts(history) == script(feeling)
        assert whole_turns(history)
