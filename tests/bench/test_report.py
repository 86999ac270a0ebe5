"""Targets, table, JSON and plot of a bench run (bot/bench/report.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.bench.detectors import CallCost
from bot.bench.load import CrisisResult, PhaseResult
from bot.bench.report import (
    BASELINE,
    TEND,
    BenchReport,
    PeakMemory,
    SystemFigures,
    render_table,
    write_json,
    write_plot,
)
from bot.bench.training import TrainingTimes

WINDOW = 4
TEN_TIMES_FASTER_RETRAIN = TrainingTimes(full_seconds=100.0, wording_only_seconds=10.0)


def figures(
    latency: float,
    throughput: float,
    crisis_latency: float | None = None,
    turns: tuple[float, ...] | None = None,
    escalated: int = 6,
) -> SystemFigures:
    phases = {
        level: PhaseResult(level, (latency,) * 20, throughput * min(level, 2), 0)
        for level in (1, 8, 32)
    }
    return SystemFigures(
        phases=phases,
        crisis=CrisisResult(
            latencies=(crisis_latency or latency,) * 6,
            escalated=escalated,
            sent=6,
            example_other_reply=None if escalated == 6 else "Hello!",
        ),
        turn_latencies=turns if turns is not None else (latency,) * 12,
        turn_window=WINDOW,
        memory=PeakMemory(rasa_server_mib=512.0, action_server_mib=96.5),
    )


def report(
    tend: SystemFigures,
    baseline: SystemFigures | None = None,
    training: TrainingTimes | None = TEN_TIMES_FASTER_RETRAIN,
) -> BenchReport:
    return BenchReport(
        systems={TEND: tend, BASELINE: baseline or figures(0.2, 10.0, escalated=1)},
        turn_marks=(1, 9),
        detectors={"crisis_assess": CallCost(100, 50.0, 45.0, 120.0)},
        training=training,
        baseline_train_seconds=300.0,
        machine={"cpus": 2},
        quick=False,
    )


def verdicts(bench: BenchReport) -> dict[str, bool | None]:
    return {check.name: check.met for check in bench.targets()}


def test_a_fast_tend_meets_every_target() -> None:
    assert set(verdicts(report(figures(0.010, 40.0)))).issuperset(
        {"throughput vs baseline", "sequential p50", "wording-only retrain"}
    )
    assert all(verdicts(report(figures(0.010, 40.0))).values())


def test_throughput_below_one_and_a_half_times_baseline_is_missed() -> None:
    tend = figures(0.010, 14.0)  # baseline saturates at 20 msg/s
    assert verdicts(report(tend))["throughput vs baseline"] is False


def test_sequential_p95_at_sixty_ms_is_missed() -> None:
    met = verdicts(report(figures(0.060, 40.0)))
    assert met["sequential p95"] is False
    assert met["sequential p50"] is False


def test_crisis_slower_than_ordinary_path_is_missed() -> None:
    met = verdicts(report(figures(0.010, 40.0, crisis_latency=0.012)))
    assert met["crisis p95 vs ordinary p95"] is False


def test_a_crisis_message_without_help_is_missed() -> None:
    met = verdicts(report(figures(0.010, 40.0, escalated=5)))
    assert met["crisis messages answered with help"] is False


def test_latency_growing_over_the_conversation_is_missed() -> None:
    turns = (0.010,) * 8 + (0.014,) * 4  # turn 9's window is 1.4x turn 1's
    met = verdicts(report(figures(0.010, 40.0, turns=turns)))
    assert met["turn 9 vs turn 1"] is False


def test_a_conversation_cut_short_is_reported_not_measured() -> None:
    tend = figures(0.010, 40.0, turns=(0.010,) * 6)
    assert tend.latency_at_turn_ms(9) is None
    assert verdicts(report(tend))["turn 9 vs turn 1"] is None


def test_latency_at_a_turn_is_the_median_of_its_window() -> None:
    tend = figures(0.010, 40.0, turns=(0.001, 0.002, 0.003, 0.100, 0.005))
    assert tend.latency_at_turn_ms(1) == pytest.approx(2.5)
    assert tend.latency_at_turn_ms(2) == pytest.approx(4.0)


def test_slow_wording_only_retrain_is_missed() -> None:
    bench = report(figures(0.010, 40.0), training=TrainingTimes(100.0, 25.0))
    assert verdicts(bench)["wording-only retrain"] is False


def test_skipped_training_is_not_counted_as_met() -> None:
    bench = report(figures(0.010, 40.0), training=None)
    assert verdicts(bench)["wording-only retrain"] is None


def test_saturation_throughput_is_the_best_concurrency_level() -> None:
    assert figures(0.010, 40.0).saturation_throughput == pytest.approx(80.0)


def table_row(table: str, label: str) -> list[str]:
    """The cells of the row starting with `label` (cells are 2+ spaces apart)."""
    line = next(line for line in table.splitlines() if line.startswith(label))
    return re.split(r"\s{2,}", line)


def test_table_sets_tend_beside_baseline_and_lists_targets() -> None:
    table = render_table(report(figures(0.010, 40.0)))
    assert table_row(table, "sequential") == [
        "sequential: p50 / p95 / p99 ms",
        "10.0 / 10.0 / 10.0",
        "200.0 / 200.0 / 200.0",
    ]
    assert table_row(table, "crisis answered")[1:] == ["6 of 6", "1 of 6"]
    assert table_row(table, "peak memory: Rasa")[1:] == ["512 MiB", "512 MiB"]
    assert "met          throughput vs baseline: 4.00x (goal >= 1.5x)" in table


def test_table_says_which_targets_were_missed() -> None:
    table = render_table(report(figures(0.060, 40.0)))
    assert "MISSED       sequential p95: 60.0 ms (goal < 60 ms)" in table


def test_json_holds_every_figure_the_docs_quote(tmp_path: Path) -> None:
    path = tmp_path / "results" / "bench.json"
    write_json(report(figures(0.010, 40.0)), path)
    written = json.loads(path.read_text())
    tend = written["systems"]["tend"]
    assert tend["phases"]["8"]["p95_ms"] == 10.0
    assert tend["saturation_throughput_per_s"] == 80.0
    assert tend["crisis"]["answered_with_crisis_help"] == 6
    assert tend["conversation_length"]["latency_at_turn_ms"] == {"1": 10.0, "9": 10.0}
    assert tend["peak_memory_mib"] == {"rasa_server": 512.0, "action_server": 96.5}
    assert written["systems"]["baseline"]["crisis"]["example_other_reply"] == "Hello!"
    assert written["training_seconds"]["tend_wording_only"] == 10.0
    assert written["detectors_us_per_message"]["crisis_assess"]["mean_us"] == 50.0
    assert all(target["met"] for target in written["targets"])


def test_plot_is_written_as_png(tmp_path: Path) -> None:
    path = tmp_path / "bench.png"
    write_plot(report(figures(0.010, 40.0)), path)
    assert path.read_bytes().startswith(b"\x89PNG")
