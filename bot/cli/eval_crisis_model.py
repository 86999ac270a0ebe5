"""What the trained model does with crisis messages (`make eval` runs it).

`bot.cli.eval_crisis` measures the word lists alone. A person meets the whole NLU
pipeline, where DIET backs the lists up: a confident learnt "crisis" that the lists
missed becomes a strong worry, and Tend asks directly about thoughts of ending life.
This reads each labelled case through the trained model and counts, per category:

- escalated: the message got the `crisis` intent (the crisis reply, every time);
- asked: it got a strong `worry_signal` (the direct, kind question), or a crisis
  phrase often innocent alone (`ask_first`: the question that fits it first);
- missed: neither; of those, noted: a faint sign (the reader somewhat sure), which
  Tend counts with the worries, so a second one in the conversation brings the
  direct question.

For everyday messages it counts the same, as false alarms, and also how many got
the reply for someone else's danger or a past experience (a gentler false alarm).
For the other kinds (someone else's danger, a past experience, a worry) it counts
how many got their own reply, and how many the crisis reply or the question (not
wrong for a person, but not what was written). Figures go to
results/crisis_model_eval.json; case texts are printed for the engineer, never logged.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bot.cli.eval_crisis import (
    DEFAULT_CASES,
    Case,
    load_cases,
    percent,
    store_results,
)
from bot.cli.train import ensure_trained
from bot.config import PROJECT_ROOT
from bot.nlu.crisis import CATEGORY_URGENCY
from bot.nlu.crisis_model import OTHER_KINDS
from bot.nlu.safety_intents import (
    ASK_FIRST,
    DISCLOSURE,
    FAINT_SIGN,
    SOMEONE_ELSE,
    STRONG_WORRY,
    WORRY,
    WORRY_LEVEL,
)

RESULTS_FILE = PROJECT_ROOT / "results" / "crisis_model_eval.json"


# The reply a message got, as `reply` names it, for each other kind's own reply.
_OTHER_REPLIES = {SOMEONE_ELSE: "someone_else", DISCLOSURE: "disclosure"}


def reply(parsed: dict[str, Any]) -> str:
    """Which safety reply one parsed message got: `escalated`, `asked`,
    `someone_else`, `disclosure`, `worry` (the lists' worry: heard, and counted),
    `noted` (a faint sign: counted, nothing said) or `missed` (an ordinary
    reply)."""
    intent = (parsed.get("intent") or {}).get("name")
    if intent == "crisis":
        return "escalated"
    asks = any(
        entity.get("entity") == WORRY_LEVEL
        and entity.get("value") in (STRONG_WORRY, ASK_FIRST)
        for entity in parsed.get("entities") or []
    )
    if intent == WORRY:
        return "asked" if asks else "worry"
    if intent in _OTHER_REPLIES:
        return _OTHER_REPLIES[intent]
    return "noted" if parsed.get(FAINT_SIGN) is True else "missed"


def crisis_reading(got: str) -> str:
    """`escalated`, `asked`, `noted` (a faint sign) or `missed` for one `reply`:
    what a crisis needs, so every other reply is `missed`."""
    return got if got in ("escalated", "asked", "noted") else "missed"


def reading(parsed: dict[str, Any]) -> str:
    """The `crisis_reading` of one parsed message."""
    return crisis_reading(reply(parsed))


async def read_all(model: Path, cases: list[Case]) -> list[str]:
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs each parsed text at DEBUG; keep case texts out of any log.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [reply(await agent.parse_message(case.text)) for case in cases]


def figures(cases: list[Case], replies: list[str]) -> dict[str, Any]:
    """The figures for each kind, from each case's `reply`."""
    readings = [crisis_reading(got) for got in replies]

    def shares(picked: list[str]) -> dict[str, float | None]:
        counts = Counter(picked)
        total = len(picked)

        def share(count: int) -> float | None:
            return count / total if total else None

        # `missed` keeps its meaning from before faint signs were noted: neither
        # escalated nor asked. `noted` is the part of it Tend counts.
        return {
            "escalated": share(counts["escalated"]),
            "asked": share(counts["asked"]),
            "missed": share(counts["missed"] + counts["noted"]),
            "noted": share(counts["noted"]),
            "cases": total,
        }

    pairs = list(zip(cases, readings, strict=True))
    crisis = [r for c, r in pairs if c.expect == "crisis"]

    def replies_to(kind: str) -> list[str]:
        return [got for c, got in zip(cases, replies, strict=True) if c.expect == kind]

    everyday = replies_to("none")
    return {
        "crisis": shares(crisis),
        "everyday": {
            **shares([r for c, r in pairs if c.expect == "none"]),
            "other_reply": _share_of(everyday, ("someone_else", "disclosure")),
        },
        "other_kinds": {
            kind: other_kind_shares(replies_to(kind), kind) for kind in OTHER_KINDS
        },
        "per_category": {
            category: shares(
                [r for c, r in pairs if c.expect == "crisis" and c.category == category]
            )
            for category in CATEGORY_URGENCY
        },
    }


def _share_of(replies: list[str], wanted: tuple[str, ...]) -> float | None:
    return sum(got in wanted for got in replies) / len(replies) if replies else None


def other_kind_shares(replies: list[str], kind: str) -> dict[str, float | None]:
    """For messages of one other kind: the share given that kind's reply; the
    crisis reply or the question; an ordinary reply (a faint sign included); and,
    of those, a faint sign (counted with the worries; how a worry the learnt
    reader is sure of is read)."""
    return {
        "own_reply": _share_of(replies, (kind,)),
        "crisis_or_asked": _share_of(replies, ("escalated", "asked")),
        "ordinary": _share_of(replies, ("missed", "noted")),
        "noted": _share_of(replies, ("noted",)),
        "cases": len(replies),
    }


def print_report(
    path: Path, result: dict[str, Any], misses: list[Case], alarms: list[Case]
) -> None:
    print(
        f"Trained model on {path} (crisis cases: escalated / asked directly / missed)"
    )
    print(
        f"\n  {'category':<15} {'cases':>5} {'escalated':>10} {'asked':>8} "
        f"{'missed':>8} {'(noted)':>8}"
    )
    rows = {**result["per_category"], "all crisis": result["crisis"]}
    for name, row in rows.items():
        print(
            f"  {name:<15} {row['cases']:>5} {percent(row['escalated']):>10} "
            f"{percent(row['asked']):>8} {percent(row['missed']):>8} "
            f"{percent(row['noted']):>8}"
        )
    everyday = result["everyday"]
    print(
        f"\n  everyday messages ({everyday['cases']}): escalated "
        f"{percent(everyday['escalated'])}, "
        f"asked directly {percent(everyday['asked'])}, "
        f"noted as a faint sign {percent(everyday['noted'])}"
    )
    print(
        "  (noted: missed, but counted as a faint sign; a second worry or faint sign"
        " in the conversation brings the direct question)"
    )
    print(
        "  everyday messages given the reply for someone else's danger or a past "
        f"experience: {percent(everyday['other_reply'])}"
    )
    print(
        f"\n  {'other kinds':<15} {'cases':>5} {'own reply':>10} {'crisis/asked':>13}"
        f" {'ordinary':>9} {'(noted)':>8}"
    )
    for kind, row in result["other_kinds"].items():
        print(
            f"  {kind:<15} {row['cases']:>5} {percent(row['own_reply']):>10} "
            f"{percent(row['crisis_or_asked']):>13} {percent(row['ordinary']):>9}"
            f" {percent(row['noted']):>8}"
        )
    if misses:
        print(f"\n  crisis messages missed ({len(misses)}):")
        for case in misses:
            print(f"    {case.category or '-':<15} {case.text[:100]!r}")
    if alarms:
        print(f"\n  everyday messages given the crisis reply ({len(alarms)}):")
        for case in alarms:
            print(f"    {case.note or '-':<15} {case.text[:100]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=Path, default=DEFAULT_CASES)
    args = parser.parse_args(argv)
    cases = load_cases(args.cases)
    replies = asyncio.run(read_all(ensure_trained(), cases))
    result = figures(cases, replies)
    readings = [crisis_reading(got) for got in replies]
    misses = [
        case
        for case, read in zip(cases, readings, strict=True)
        if case.expect == "crisis" and read in ("missed", "noted")
    ]
    alarms = [
        case
        for case, read in zip(cases, readings, strict=True)
        if case.expect == "none" and read == "escalated"
    ]
    print_report(args.cases, result, misses, alarms)
    store_results(RESULTS_FILE, {args.cases.name: result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
