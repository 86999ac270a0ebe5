"""Many conversations at once over Rasa's REST channel (asyncio + aiohttp).

Sends and times messages, sums up a run's figures, and picks feeling words that
mark each conversation: Tend names a person's feeling back, so a reply that names
another person's word was sent to the wrong conversation.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.nlu.feelings import load_feelings_lexicon

# The crisis contact tests/integration/stack.py configures.
CRISIS_CONTACT = "the Test Crisis Line on 0800 000 111"
# Answers to the check-in's "when did you first feel this way, as a child?"
MEMORIES = ["when I was about seven", "when I was little", "at school I think"]

# Markers come from the hard feelings, whose check-in asks "when did you first feel
# this way?" (the scripts answer it); words that are also worry signals, or that
# read as something else after "i feel", are left out.
FAMILIES = ("sad", "scared", "mad")
NOT_AS_MARKERS = frozenset(
    {
        "hopeless", "worthless", "trapped", "unsafe", "helpless", "despairing",
        "unlovable", "unworthy", "useless", "powerless", "threatened", "numb",
        "empty", "hollow", "broken", "lost", "small", "flat", "meh", "down",
        "low", "blue", "alone", "cross", "mad", "weak", "stupid", "foolish",
    }
)  # fmt: skip
# How Tend names a feeling back: "It sounds like you feel (really|a bit) lonely."
# Only that sentence: other replies say "notice how you feel and..." or "when you
# feel ready".
_NAMED_BACK = re.compile(r"sounds like you feel (?:really |a bit )?([a-z][a-z-]*)")


@dataclass
class Turn:
    """One message sent and what came back."""

    server: str
    sender: str
    text: str
    status: int = 0
    replies: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def said(self) -> str:
        return "\n".join(str(reply.get("text", "")) for reply in self.replies)

    @property
    def answered(self) -> bool:
        return self.status == 200 and not self.error and bool(self.replies)

    @property
    def addressed_to_sender(self) -> bool:
        return all(reply.get("recipient_id") == self.sender for reply in self.replies)


async def send(
    session: aiohttp.ClientSession, server: str, sender: str, text: str
) -> Turn:
    """POSTs one message to `server`'s REST channel; never raises."""
    turn = Turn(server, sender, text)
    started = time.perf_counter()
    try:
        async with session.post(
            f"{server}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
        ) as response:
            turn.status = response.status
            body = await response.json(content_type=None)
            turn.replies = body if isinstance(body, list) else []
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        turn.error = f"{type(error).__name__}: {error}"
    turn.seconds = time.perf_counter() - started
    return turn


def named_feelings(text: str) -> set[str]:
    """The feeling words Tend named back in `text`."""
    return set(_NAMED_BACK.findall(text))


def feeling_markers() -> list[str]:
    """Single feeling words from the lexicon that can tell conversations apart."""
    lexicon = load_feelings_lexicon()
    return [
        word
        for family in FAMILIES
        for word in lexicon.words_in(family)
        if " " not in word and word not in NOT_AS_MARKERS
    ]


async def words_named_back(
    session: aiohttp.ClientSession, server: str, words: list[str]
) -> list[str]:
    """The words Tend names back when told "i feel <word>", tried all at once.

    Tests use these as markers, so a word the model happens to read as something
    else is left out here rather than failing the test for the wrong reason.
    """

    async def tried(word: str) -> str | None:
        sender = f"marker-{uuid.uuid4().hex[:10]}"
        turn = await send(session, server, sender, f"i feel {word}")
        return word if word in named_feelings(turn.said) else None

    found = await asyncio.gather(*(tried(word) for word in words))
    return [word for word in found if word]


def new_session(
    timeout_seconds: float = 120.0, connections: int = 200
) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=timeout_seconds),
        connector=aiohttp.TCPConnector(limit=connections),
    )


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))
    return ordered[rank]


@dataclass(frozen=True)
class LoadFigures:
    """What a load run measured."""

    conversations: int
    messages: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    max_ms: float

    @property
    def messages_per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    @classmethod
    def of(cls, turns: list[Turn], conversations: int, seconds: float) -> LoadFigures:
        latencies = [turn.seconds * 1000 for turn in turns] or [0.0]
        return cls(
            conversations=conversations,
            messages=len(turns),
            errors=sum(not turn.answered for turn in turns),
            seconds=seconds,
            p50_ms=statistics.median(latencies),
            p95_ms=percentile(latencies, 0.95),
            max_ms=max(latencies),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "conversations": self.conversations,
            "messages": self.messages,
            "errors": self.errors,
            "seconds": round(self.seconds, 1),
            "messages_per_second": round(self.messages_per_second, 1),
            "p50_ms": round(self.p50_ms),
            "p95_ms": round(self.p95_ms),
            "max_ms": round(self.max_ms),
        }

    def summary(self) -> str:
        return (
            f"{self.messages} messages in {self.conversations} conversations, "
            f"{self.seconds:.1f} s, {self.messages_per_second:.1f} msgs/s, "
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, "
            f"max {self.max_ms:.0f} ms, {self.errors} errors"
        )
