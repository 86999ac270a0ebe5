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

For everyday messages it counts the same, as false alarms. Figures go to
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
from bot.nlu.safety_intents import (
    ASK_FIRST,
    FAINT_SIGN,
    STRONG_WORRY,
    WORRY,
    WORRY_LEVEL,
)

RESULTS_FILE = PROJECT_ROOT / "results" / "crisis_model_eval.json"


def reading(parsed: dict[str, Any]) -> str:
    """`escalated`, `asked`, `noted` (a faint sign) or `missed` for one parsed
    message."""
    intent = (parsed.get("intent") or {}).get("name")
    if intent == "crisis":
        return "escalated"
    asks = any(
        entity.get("entity") == WORRY_LEVEL
        and entity.get("value") in (STRONG_WORRY, ASK_FIRST)
        for entity in parsed.get("entities") or []
    )
    if intent == WORRY and asks:
        return "asked"
    return "noted" if parsed.get(FAINT_SIGN) is True else "missed"


async def read_all(model: Path, cases: list[Case]) -> list[str]:
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs each parsed text at DEBUG; keep case texts out of any log.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [reading(await agent.parse_message(case.text)) for case in cases]


def figures(cases: list[Case], readings: list[str]) -> dict[str, Any]:
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
    return {
        "crisis": shares(crisis),
        "everyday": shares([r for c, r in pairs if c.expect == "none"]),
        "per_category": {
            category: shares(
                [r for c, r in pairs if c.expect == "crisis" and c.category == category]
            )
            for category in CATEGORY_URGENCY
        },
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
    readings = asyncio.run(read_all(ensure_trained(), cases))
    result = figures(cases, readings)
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
