"""Percentiles and latency summaries (bot/bench/stats.py)."""

from __future__ import annotations

import pytest

from bot.bench.stats import LatencySummary, percentile


def test_percentile_interpolates_between_ranks_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0.5) == pytest.approx(25.0)
    assert percentile(values, 0.95) == pytest.approx(38.5)


def test_percentile_ignores_input_order() -> None:
    assert percentile([40.0, 10.0, 30.0, 20.0], 0.25) == pytest.approx(17.5)


def test_percentile_ends_are_min_and_max() -> None:
    values = [3.0, 1.0, 2.0]
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 1.0) == 3.0


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([7.0], 0.99) == 7.0


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_percentile_refuses_fraction_outside_zero_to_one(fraction: float) -> None:
    with pytest.raises(ValueError, match="fraction"):
        percentile([1.0], fraction)


def test_percentile_refuses_no_values() -> None:
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_summary_converts_seconds_to_milliseconds() -> None:
    summary = LatencySummary.of_seconds([0.010] * 99 + [0.110])
    assert summary.count == 100
    assert summary.p50_ms == pytest.approx(10.0)
    assert summary.p99_ms == pytest.approx(11.0)
    assert summary.max_ms == pytest.approx(110.0)
    assert summary.mean_ms == pytest.approx(11.0)


def test_summary_dict_rounds_milliseconds_to_hundredths() -> None:
    summary = LatencySummary.of_seconds([0.0123456])
    assert summary.as_dict()["p50_ms"] == 12.35
    assert summary.as_dict()["count"] == 1
