"""The load generator: conversations sent to Rasa's REST channel with asyncio + aiohttp.

Every phase is bounded twice, by a message count and by a time limit, and talks to
127.0.0.1 only. Warm-up messages are sent and answered but not counted. A latency is
the time from sending one message to having all of Tend's replies to it (the REST
channel answers once every action of the turn has run).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

REST_WEBHOOK = "/webhooks/rest/webhook"


@dataclass(frozen=True)
class PhaseResult:
    """The measured messages of one phase (warm-up left out)."""

    concurrency: int
    latencies: tuple[float, ...]  # seconds
    throughput: float  # messages answered per second while at full concurrency
    errors: int


@dataclass(frozen=True)
class CrisisResult:
    """Crisis messages sent mid-conversation: latency, and whether help was given."""

    latencies: tuple[float, ...]
    escalated: int
    sent: int
    example_other_reply: str | None  # what was said instead of the crisis answer


@dataclass
class RestChat:
    """Sends messages to one Rasa server's REST channel over one aiohttp session."""

    base_url: str
    session: aiohttp.ClientSession
    timeout_seconds: float = 60.0
    errors: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        # The bench must never send anything off this machine.
        if urlsplit(self.base_url).hostname != "127.0.0.1":
            raise ValueError(f"the bench talks to 127.0.0.1 only, not {self.base_url}")

    async def send(self, sender: str, text: str) -> tuple[float, list[dict]]:
        """Returns (seconds to the answer, Tend's replies); raises on a failed turn."""
        started = time.perf_counter()
        async with self.session.post(
            self.base_url + REST_WEBHOOK,
            json={"sender": sender, "message": text},
            timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
        ) as response:
            replies = await response.json(content_type=None)
            if response.status != 200:
                raise RuntimeError(f"the REST channel answered {response.status}")
        return time.perf_counter() - started, replies or []


async def run_conversations(
    chat: RestChat,
    texts: Sequence[str],
    *,
    concurrency: int,
    warmup_messages: int,
    max_messages: int,
    max_seconds: float,
    sender_prefix: str,
) -> PhaseResult:
    """`concurrency` people each going through `texts`, visit after visit."""
    completions: list[tuple[float, float]] = []  # (finished at, latency)
    errors = 0
    target = warmup_messages + max_messages
    started = time.perf_counter()
    deadline = started + max_seconds
    stopped_at: float | None = None
    visit_numbers = itertools.count()

    def should_stop() -> bool:
        nonlocal stopped_at
        if stopped_at is None and (
            len(completions) + errors >= target or time.perf_counter() >= deadline
        ):
            stopped_at = time.perf_counter()
        return stopped_at is not None

    async def person() -> None:
        nonlocal errors
        while not should_stop():
            sender = f"{sender_prefix}-{next(visit_numbers)}"
            for text in texts:
                if should_stop():
                    return
                try:
                    latency, _ = await chat.send(sender, text)
                except (
                    aiohttp.ClientError,
                    asyncio.TimeoutError,
                    ValueError,
                    RuntimeError,
                ):
                    errors += 1
                    break  # this conversation is broken; start a new one
                completions.append((time.perf_counter(), latency))

    await asyncio.gather(*(person() for _ in range(concurrency)))
    assert stopped_at is not None
    measured = completions[warmup_messages:]
    # Throughput counts only what finished before the stop, while every person was
    # still sending: the drain at the end runs below the phase's concurrency.
    warmed_up = 0 < warmup_messages <= len(completions)
    window_start = completions[warmup_messages - 1][0] if warmed_up else started
    in_window = sum(1 for finished, _ in measured if finished <= stopped_at)
    window = stopped_at - window_start
    return PhaseResult(
        concurrency=concurrency,
        latencies=tuple(latency for _, latency in measured),
        throughput=in_window / window if measured and window > 0 else 0.0,
        errors=errors,
    )


async def run_long_conversation(
    chat: RestChat, texts: Sequence[str], *, turns: int, max_seconds: float, sender: str
) -> tuple[float, ...]:
    """One conversation of up to `turns` messages; the latency of each turn in order."""
    latencies: list[float] = []
    deadline = time.perf_counter() + max_seconds
    for text in itertools.islice(itertools.cycle(texts), turns):
        if time.perf_counter() >= deadline:
            break
        latency, _ = await chat.send(sender, text)
        latencies.append(latency)
    return tuple(latencies)


async def run_crisis_messages(
    chat: RestChat,
    opener: str,
    crisis_texts: Sequence[str],
    *,
    repeats: int,
    escalation_marker: str,
    sender_prefix: str,
) -> CrisisResult:
    """Each crisis text, `repeats` times, as the second message of a new conversation.

    A reply counts as the crisis answer when it contains `escalation_marker` (the
    crisis contact the stack was started with).
    """
    latencies: list[float] = []
    escalated = 0
    other_reply: str | None = None
    for number, text in enumerate(crisis_texts * repeats):
        sender = f"{sender_prefix}-{number}"
        await chat.send(sender, opener)
        latency, replies = await chat.send(sender, text)
        latencies.append(latency)
        said = " ".join(str(reply.get("text", "")) for reply in replies)
        if escalation_marker in said:
            escalated += 1
        elif other_reply is None:
            other_reply = said or "(no reply)"
    return CrisisResult(
        latencies=tuple(latencies),
        escalated=escalated,
        sent=len(latencies),
        example_other_reply=other_reply,
    )
