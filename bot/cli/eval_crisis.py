"""Measures the crisis detector on a labelled set: `python -m bot.cli.eval_crisis`.

The set is a YAML file with `cases:`, each `{text, expect, category?, young_person?,
note?}` (see tests/data/crisis_cases.yml, the default). Prints, per category and
overall, the crisis recall (share of `expect: crisis` cases read as crisis) and the
false-positive rate (share of `expect: none` cases read as crisis); the confusion of
kinds; the cases that were missed; and the time per message. Writes the figures to
results/crisis_eval.json, one entry per evaluated file. Exits 1 when recall is below
0.99 or the false-positive rate above 0.02.

The case texts are printed to the terminal for the engineer reading the misses;
they never go to a log.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT
from bot.nlu.crisis import CATEGORY_URGENCY, CrisisAssessment, CrisisDetector

DEFAULT_CASES = PROJECT_ROOT / "tests" / "data" / "crisis_cases.yml"
RESULTS_FILE = PROJECT_ROOT / "results" / "crisis_eval.json"
KINDS = ("crisis", "disclosure", "someone_else", "worry", "none")
RECALL_TARGET = 0.99
FALSE_POSITIVE_TARGET = 0.02


@dataclass(frozen=True)
class Case:
    """One labelled message."""

    text: str
    expect: str
    category: str | None
    young_person: bool
    note: str


@dataclass(frozen=True)
class Outcome:
    """A case and what the detector read in it."""

    case: Case
    assessment: CrisisAssessment

    @property
    def kind_right(self) -> bool:
        return self.assessment.kind == self.case.expect

    @property
    def category_right(self) -> bool:
        return self.case.category is None or (
            self.assessment.category == self.case.category
        )


def load_cases(path: Path) -> list[Case]:
    """The cases of a labelled set; a malformed case stops with its number."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for number, raw in enumerate(data.get("cases") or [], start=1):
        if not isinstance(raw, dict) or raw.get("expect") not in KINDS:
            raise SystemExit(
                f"{path}: case {number} needs `text` and `expect` (one of "
                f"{', '.join(KINDS)})."
            )
        cases.append(
            Case(
                text=str(raw.get("text") or ""),
                expect=raw["expect"],
                category=raw.get("category"),
                young_person=bool(raw.get("young_person", False)),
                note=str(raw.get("note") or ""),
            )
        )
    return cases


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    """Recall and false-positive rate per category and overall, and the confusion."""
    crisis = [o for o in outcomes if o.case.expect == "crisis"]
    ordinary = [o for o in outcomes if o.case.expect == "none"]
    per_category: dict[str, dict[str, Any]] = {}
    for category in CATEGORY_URGENCY:
        expected = [o for o in crisis if o.case.category == category]
        caught = [o for o in expected if o.assessment.kind == "crisis"]
        false_alarms = [
            o
            for o in ordinary
            if o.assessment.kind == "crisis" and o.assessment.category == category
        ]
        per_category[category] = {
            "cases": len(expected),
            "recall": _share(len(caught), len(expected)),
            "category_agreement": _share(
                sum(o.assessment.category == category for o in caught), len(caught)
            ),
            "false_positive_rate": _share(len(false_alarms), len(ordinary)),
        }
    caught = [o for o in crisis if o.assessment.kind == "crisis"]
    false_alarms = [o for o in ordinary if o.assessment.kind == "crisis"]
    young = [o for o in outcomes if o.case.young_person]
    confusion = Counter((o.case.expect, o.assessment.kind) for o in outcomes)
    return {
        "cases": len(outcomes),
        "crisis_recall": _share(len(caught), len(crisis)),
        "false_positive_rate": _share(len(false_alarms), len(ordinary)),
        "kind_accuracy": _share(sum(o.kind_right for o in outcomes), len(outcomes)),
        "category_accuracy": _share(
            sum(o.kind_right and o.category_right for o in outcomes),
            sum(o.kind_right for o in outcomes),
        ),
        "young_person_recall": _share(
            sum(o.assessment.young_person for o in young), len(young)
        ),
        "young_person_false": sum(
            o.assessment.young_person and not o.case.young_person for o in outcomes
        ),
        "per_category": per_category,
        "confusion": {
            expected: {got: confusion[(expected, got)] for got in KINDS}
            for expected in KINDS
        },
    }


def percent(value: float | None) -> str:
    """A share as a percentage six characters wide; "-" when there is none."""
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def print_report(path: Path, result: dict[str, Any], outcomes: list[Outcome]) -> None:
    print(f"Crisis detector on {path} ({result['cases']} cases)\n")
    print(f"  {'category':<16}{'cases':>6}  {'recall':>7}  {'FPR':>7}  same category")
    for category, row in result["per_category"].items():
        print(
            f"  {category:<16}{row['cases']:>6}  {percent(row['recall']):>7}  "
            f"{percent(row['false_positive_rate']):>7}  "
            f"{percent(row['category_agreement'])}"
        )
    print(
        f"  {'all':<16}{'':>6}  {percent(result['crisis_recall']):>7}  "
        f"{percent(result['false_positive_rate']):>7}"
    )
    print(
        f"\n  kind accuracy {percent(result['kind_accuracy'])}, category accuracy "
        f"(kind right) {percent(result['category_accuracy'])}, young-person "
        f"recall {percent(result['young_person_recall'])} "
        f"({result['young_person_false']} said young wrongly)"
    )
    print(f"  {result['microseconds_per_message']:.0f} µs per message on average\n")
    print("  confusion (rows: expected, columns: read as)")
    print("  " + " " * 14 + "".join(f"{kind:>14}" for kind in KINDS))
    for expected, row in result["confusion"].items():
        print(f"  {expected:<14}" + "".join(f"{row[got]:>14}" for got in KINDS))
    misses = [o for o in outcomes if not (o.kind_right and o.category_right)]
    misses.sort(key=lambda o: (o.case.expect != "crisis", o.case.expect, o.case.text))
    if misses:
        print(f"\n  disagreements ({len(misses)}):")
    for outcome in misses:
        case, got = outcome.case, outcome.assessment
        expected = case.expect + (f"/{case.category}" if case.category else "")
        read = got.kind + (f"/{got.category}" if got.category else "")
        print(f"    expected {expected:<24} read {read:<24} {case.text[:110]!r}")


def store_results(results_file: Path, entries: dict[str, Any]) -> None:
    """Adds `entries` (one per evaluated file) to a results file, keeping the
    other files' figures; an unreadable file starts again."""
    results_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        everything = json.loads(results_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        everything = {}
    if not isinstance(everything, dict):
        everything = {}
    everything.update(entries)
    results_file.write_text(json.dumps(everything, indent=2), encoding="utf-8")


def write_results(path: Path, result: dict[str, Any], outcomes: list[Outcome]) -> None:
    """Adds this set's figures to results/crisis_eval.json (one entry per file)."""
    try:
        key = str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        key = str(path)
    misses = [
        {
            **asdict(o.case),
            "read_as": o.assessment.kind,
            "read_category": o.assessment.category,
        }
        for o in outcomes
        if not (o.kind_right and o.category_right)
    ]
    store_results(RESULTS_FILE, {key: {**result, "disagreements": misses}})


def evaluate(path: Path, detector: CrisisDetector) -> tuple[dict[str, Any], list]:
    cases = load_cases(path)
    outcomes = []
    started = time.perf_counter()
    for case in cases:
        outcomes.append(Outcome(case, detector.assess(case.text)))
    elapsed = time.perf_counter() - started
    result = figures(outcomes)
    result["microseconds_per_message"] = elapsed / max(len(cases), 1) * 1e6
    return result, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=Path, default=DEFAULT_CASES)
    args = parser.parse_args(argv)
    if not args.cases.is_file():
        print(f"No case file at {args.cases}.", file=sys.stderr)
        return 2
    detector = CrisisDetector.from_lexicon()
    result, outcomes = evaluate(args.cases, detector)
    print_report(args.cases, result, outcomes)
    write_results(args.cases, result, outcomes)
    recall = result["crisis_recall"]
    false_positives = result["false_positive_rate"]
    passed = (recall is None or recall >= RECALL_TARGET) and (
        false_positives is None or false_positives <= FALSE_POSITIVE_TARGET
    )
    print(
        f"\n  targets: recall >= {RECALL_TARGET}, FPR <= {FALSE_POSITIVE_TARGET}: "
        + ("met" if passed else "NOT met")
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
