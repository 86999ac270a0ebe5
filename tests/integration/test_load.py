"""100 conversations at once, 10 turns each, against one Rasa server and action server
(the shared stack).

Every conversation names its own feeling word over and over, so each reply can be
checked: Tend must name that sender's feeling back ("It sounds like you feel
lonely."), never another sender's, and address every reply to the sender who wrote.
Half the conversations send a crisis message (in the middle or at the end), which
must be answered with the configured crisis contact. Zero errors are allowed.

The figures (messages, seconds, messages per second, p50/p95 latency) are printed
(`pytest -s`) and written to results/load.json.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import aiohttp
import pytest

from bot.config import PROJECT_ROOT
from tests.integration.chat_client import (
    CRISIS_CONTACT,
    MEMORIES,
    LoadFigures,
    Turn,
    feeling_markers,
    named_feelings,
    new_session,
    send,
    words_named_back,
)
from tests.integration.stack import TendStack

# 33 s here (84 s for twice the turns, 2026-11-28); 2000 messages once took 11.6 minutes
# (two shared cores, a training alongside), past pytest's 600 s default. Ten turns
# keep a hundred people at once and the mid-conversation crises, in half the time.
pytestmark = pytest.mark.timeout(1800)

CONVERSATIONS = 100
TURNS = 10
CHECK_INS = 4  # a feeling and its "when did it start" answer: 8 turns, + hello + 1
CRISIS_MESSAGES = [
    "i want to kill myself",
    "I don't want to be alive anymore",
    "i took a whole bottle of pills",
]
RESULTS = PROJECT_ROOT / "results" / "load.json"


def script_for(number: int, feeling: str) -> list[str]:
    """10 turns: hello, four check-ins on `feeling`, a last word; crisis for half."""
    turns = ["hello"]
    for check_in in range(CHECK_INS):
        turns += [f"i feel {feeling}", MEMORIES[check_in % len(MEMORIES)]]
    turns.append("thank you, that helped")
    crisis = CRISIS_MESSAGES[number % len(CRISIS_MESSAGES)]
    if number % 4 == 0:
        turns[-1] = crisis
    elif number % 4 == 1:
        turns[TURNS // 2] = crisis  # an "i feel" turn, mid-conversation
    assert len(turns) == TURNS
    return turns


async def converse(
    session: aiohttp.ClientSession, server: str, sender: str, script: list[str]
) -> list[Turn]:
    """One person's conversation: each message sent once the last was answered."""
    return [await send(session, server, sender, text) for text in script]


def check_conversation(feeling: str, script: list[str], turns: list[Turn]) -> list[str]:
    """What went wrong in one conversation, in words (empty when nothing did)."""
    problems: list[str] = []
    crisis_seen = False
    for text, turn in zip(script, turns, strict=True):
        where = f"{turn.sender} {text!r}"
        if not turn.answered:
            problems.append(f"{where}: no answer ({turn.status} {turn.error})")
            continue
        if not turn.addressed_to_sender:
            problems.append(f"{where}: a reply addressed to someone else")
        named = named_feelings(turn.said)
        if named - {feeling}:
            problems.append(f"{where}: named another sender's feeling {named}")
        if text in CRISIS_MESSAGES:
            crisis_seen = True
            if CRISIS_CONTACT not in turn.said:
                problems.append(f"{where}: crisis not escalated: {turn.said!r}")
        elif text.startswith("i feel") and not crisis_seen and feeling not in named:
            problems.append(f"{where}: feeling not named back: {turn.said!r}")
    return problems


async def test_a_hundred_conversations_at_once_lose_and_mix_up_nothing(
    tend_stack: TendStack,
) -> None:
    server = tend_stack.rasa_url
    async with new_session() as session:
        words = await words_named_back(session, server, feeling_markers())
        assert len(words) >= CONVERSATIONS, f"only {len(words)} usable: {words}"
        conversations = {
            f"load-{number:03d}-{uuid.uuid4().hex[:6]}": (
                words[number],
                script_for(number, words[number]),
            )
            for number in range(CONVERSATIONS)
        }

        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                converse(session, server, sender, script)
                for sender, (_, script) in conversations.items()
            )
        )
        seconds = time.perf_counter() - started

    turns = [turn for conversation in results for turn in conversation]
    figures = LoadFigures.of(turns, CONVERSATIONS, seconds)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures.as_dict(), indent=2) + "\n")
    print(
        f"\nLoad: {figures.summary()} (written to {RESULTS.relative_to(PROJECT_ROOT)})"
    )

    problems = [
        problem
        for (feeling, script), conversation in zip(
            conversations.values(), results, strict=True
        )
        for problem in check_conversation(feeling, script, conversation)
    ]
    assert figures.messages == CONVERSATIONS * TURNS
    assert not problems, f"{len(problems)} problems, first ones:\n" + "\n".join(
        problems[:15]
    )
    assert figures.errors == 0
