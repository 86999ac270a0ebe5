"""The bench's figures: the targets they are checked against, the printed table,
`results/bench.json` and the small plot `results/bench.png`."""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench.detectors import CallCost
from bot.bench.load import CrisisResult, PhaseResult
from bot.bench.stats import LatencySummary
from bot.bench.training import TrainingTimes

TEND, BASELINE = "tend", "baseline"


@dataclass(frozen=True)
class PeakMemory:
    """Peak resident memory of one system's two servers, in MiB (None: unreadable)."""

    rasa_server_mib: float | None
    action_server_mib: float | None


@dataclass(frozen=True)
class SystemFigures:
    """Everything measured through one system's servers (Tend's or the baseline's)."""

    phases: Mapping[int, PhaseResult]  # by number of concurrent conversations
    crisis: CrisisResult
    turn_latencies: tuple[float, ...]  # seconds, turn 1 first, of one conversation
    turn_window: int  # "latency at turn N": median of turns N .. N + window - 1
    memory: PeakMemory

    @property
    def sequential(self) -> LatencySummary:
        return LatencySummary.of_seconds(self.phases[1].latencies)

    @property
    def saturation_throughput(self) -> float:
        """The most messages a second any concurrency level reached."""
        return max(phase.throughput for phase in self.phases.values())

    def latency_at_turn_ms(self, turn: int) -> float | None:
        window = self.turn_latencies[turn - 1 : turn - 1 + self.turn_window]
        if len(window) < self.turn_window:
            return None  # the conversation hit its time limit before this turn
        return statistics.median(window) * 1000.0

    def as_dict(self, turn_marks: Sequence[int]) -> dict[str, Any]:
        return {
            "phases": {
                str(concurrency): {
                    "concurrent_conversations": concurrency,
                    **LatencySummary.of_seconds(phase.latencies).as_dict(),
                    "throughput_per_s": round(phase.throughput, 2),
                    "errors": phase.errors,
                }
                for concurrency, phase in sorted(self.phases.items())
                if phase.latencies
            },
            "saturation_throughput_per_s": round(self.saturation_throughput, 2),
            "crisis": {
                **LatencySummary.of_seconds(self.crisis.latencies).as_dict(),
                "answered_with_crisis_help": self.crisis.escalated,
                "sent": self.crisis.sent,
                "example_other_reply": self.crisis.example_other_reply,
            },
            "conversation_length": {
                "turn_window": self.turn_window,
                "latency_at_turn_ms": {
                    str(turn): _rounded(self.latency_at_turn_ms(turn))
                    for turn in turn_marks
                },
                "every_turn_ms": [round(s * 1000.0, 2) for s in self.turn_latencies],
            },
            "peak_memory_mib": {
                "rasa_server": self.memory.rasa_server_mib,
                "action_server": self.memory.action_server_mib,
            },
        }


@dataclass(frozen=True)
class TargetCheck:
    """One of the targets in docs/performance.md, and whether this run met it."""

    name: str
    goal: str
    value: str
    met: bool | None  # None: not measured in this run


@dataclass(frozen=True)
class BenchReport:
    """One bench run: both systems, the detectors, training, and the machine."""

    systems: Mapping[str, SystemFigures]
    turn_marks: tuple[int, ...]
    detectors: Mapping[str, CallCost]
    training: TrainingTimes | None
    baseline_train_seconds: float | None
    machine: Mapping[str, Any]
    quick: bool

    def targets(self) -> list[TargetCheck]:
        tend, baseline = self.systems[TEND], self.systems[BASELINE]
        ratio = tend.saturation_throughput / baseline.saturation_throughput
        sequential = tend.sequential
        crisis_p95 = LatencySummary.of_seconds(tend.crisis.latencies).p95_ms
        first, last = self.turn_marks[0], self.turn_marks[-1]
        at_first = tend.latency_at_turn_ms(first)
        at_last = tend.latency_at_turn_ms(last)
        growth = at_last / at_first if at_first and at_last is not None else None
        checks = [
            TargetCheck(
                "throughput vs baseline",
                ">= 1.5x",
                f"{ratio:.2f}x",
                ratio >= 1.5,
            ),
            TargetCheck(
                "sequential p50",
                "< 25 ms",
                f"{sequential.p50_ms:.1f} ms",
                sequential.p50_ms < 25,
            ),
            TargetCheck(
                "sequential p95",
                "< 60 ms",
                f"{sequential.p95_ms:.1f} ms",
                sequential.p95_ms < 60,
            ),
            TargetCheck(
                "crisis p95 vs ordinary p95",
                "<= ordinary",
                f"{crisis_p95:.1f} vs {sequential.p95_ms:.1f} ms",
                crisis_p95 <= sequential.p95_ms,
            ),
            TargetCheck(
                "crisis messages answered with help",
                "all",
                f"{tend.crisis.escalated} of {tend.crisis.sent}",
                tend.crisis.escalated == tend.crisis.sent,
            ),
            TargetCheck(
                f"turn {last} vs turn {first}",
                "<= 1.3x",
                f"{growth:.2f}x" if growth is not None else "not reached",
                growth <= 1.3 if growth is not None else None,
            ),
        ]
        if self.training is None:
            checks.append(
                TargetCheck("wording-only retrain", ">= 5x faster", "skipped", None)
            )
        else:
            speedup = self.training.full_seconds / self.training.wording_only_seconds
            checks.append(
                TargetCheck(
                    "wording-only retrain",
                    ">= 5x faster",
                    f"{speedup:.1f}x",
                    speedup >= 5,
                )
            )
        return checks

    def as_dict(self) -> dict[str, Any]:
        return {
            "quick": self.quick,
            "machine": dict(self.machine),
            "systems": {
                name: figures.as_dict(self.turn_marks)
                for name, figures in self.systems.items()
            },
            "detectors_us_per_message": {
                name: cost.as_dict() for name, cost in self.detectors.items()
            },
            "training_seconds": {
                "tend_full": _rounded(self.training and self.training.full_seconds),
                "tend_wording_only": _rounded(
                    self.training and self.training.wording_only_seconds
                ),
                "baseline_last_full": _rounded(self.baseline_train_seconds),
            },
            "targets": [
                {"name": t.name, "goal": t.goal, "value": t.value, "met": t.met}
                for t in self.targets()
            ],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MiB"


def render_table(report: BenchReport) -> str:
    """The figures as a plain-text table, Tend beside the baseline, then the targets."""
    tend, baseline = report.systems[TEND], report.systems[BASELINE]
    rows: list[tuple[str, str, str]] = []
    for concurrency in sorted(tend.phases):
        label = "sequential" if concurrency == 1 else f"{concurrency} concurrent"
        pair = [
            LatencySummary.of_seconds(s.phases[concurrency].latencies)
            for s in (tend, baseline)
        ]
        rows.append(
            (
                f"{label}: p50 / p95 / p99 ms",
                *(f"{s.p50_ms:.1f} / {s.p95_ms:.1f} / {s.p99_ms:.1f}" for s in pair),
            )
        )
    rows.append(
        (
            "throughput at saturation",
            *(f"{s.saturation_throughput:.1f} msg/s" for s in (tend, baseline)),
        )
    )
    crisis = [LatencySummary.of_seconds(s.crisis.latencies) for s in (tend, baseline)]
    rows.append(
        (
            "crisis message: p50 / p95 ms",
            *(f"{c.p50_ms:.1f} / {c.p95_ms:.1f}" for c in crisis),
        )
    )
    rows.append(
        (
            "crisis answered with help",
            *(f"{s.crisis.escalated} of {s.crisis.sent}" for s in (tend, baseline)),
        )
    )
    for turn in report.turn_marks:
        rows.append(
            (
                f"turn {turn} of one conversation: ms",
                *(_ms(s.latency_at_turn_ms(turn)) for s in (tend, baseline)),
            )
        )
    rows.append(
        (
            "peak memory: Rasa server",
            *(_mib(s.memory.rasa_server_mib) for s in (tend, baseline)),
        )
    )
    rows.append(
        (
            "peak memory: action server",
            *(_mib(s.memory.action_server_mib) for s in (tend, baseline)),
        )
    )
    if report.training is not None:
        rows.append(("full train", f"{report.training.full_seconds:.0f} s", ""))
        rows.append(
            (
                "retrain after a wording change",
                f"{report.training.wording_only_seconds:.0f} s",
                "",
            )
        )
    if report.baseline_train_seconds is not None:
        rows.append(
            ("baseline full train (last)", "", f"{report.baseline_train_seconds:.0f} s")
        )
    for name, cost in report.detectors.items():
        rows.append(
            (
                f"{name} (alone): mean / p99 us",
                f"{cost.mean_us:.0f} / {cost.p99_us:.0f}",
                "",
            )
        )
    lines = _aligned([("", "Tend", "baseline (stock Rasa)"), *rows])
    lines.append("")
    lines.append("Targets:")
    for check in report.targets():
        verdict = {True: "met", False: "MISSED", None: "not measured"}[check.met]
        lines.append(f"  {verdict:12} {check.name}: {check.value} (goal {check.goal})")
    return "\n".join(lines)


def _aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def write_json(report: BenchReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.as_dict(), indent=2) + "\n")


def write_plot(report: BenchReport, path: Path) -> None:
    """Left: latency by load, Tend beside the baseline. Right: cost by turn."""
    import matplotlib

    matplotlib.use("Agg")  # no display here; only a file is written
    import matplotlib.pyplot as plt

    figure, (by_load, by_turn) = plt.subplots(1, 2, figsize=(10, 3.6), dpi=100)
    tend, baseline = report.systems[TEND], report.systems[BASELINE]
    levels = sorted(tend.phases)
    labels = [("seq" if c == 1 else f"{c} conc") for c in levels] + ["crisis"]
    for offset, (name, figures) in zip(
        (-0.2, 0.2), ((TEND, tend), (BASELINE, baseline)), strict=True
    ):
        summaries = [
            LatencySummary.of_seconds(figures.phases[c].latencies) for c in levels
        ] + [LatencySummary.of_seconds(figures.crisis.latencies)]
        positions = [i + offset for i in range(len(summaries))]
        by_load.bar(
            positions, [s.p50_ms for s in summaries], width=0.4, label=f"{name} p50"
        )
        by_load.vlines(
            positions,
            [s.p50_ms for s in summaries],
            [s.p95_ms for s in summaries],
            colors="black",
            linewidth=1,
        )
    by_load.set_xticks(range(len(labels)), labels)
    by_load.set_ylabel("ms per message (bar p50, line to p95)")
    by_load.set_yscale("log")
    by_load.legend(fontsize=8)
    for name, figures in ((TEND, tend), (BASELINE, baseline)):
        by_turn.plot(
            range(1, len(figures.turn_latencies) + 1),
            _running_median(figures.turn_latencies, figures.turn_window),
            label=name,
            linewidth=1,
        )
    by_turn.set_xlabel("turn of one conversation")
    by_turn.set_ylabel(f"ms (median of {tend.turn_window} turns)")
    by_turn.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)


def _running_median(seconds: Sequence[float], window: int) -> list[float]:
    return [
        statistics.median(seconds[max(0, i - window + 1) : i + 1]) * 1000.0
        for i in range(len(seconds))
    ]
