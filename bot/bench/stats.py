"""Percentiles and latency summaries of a bench phase's timings."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0..1), linearly interpolated as numpy's default."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be within 0..1, not {fraction}")
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below, above = math.floor(position), math.ceil(position)
    weight = position - below
    return ordered[below] * (1.0 - weight) + ordered[above] * weight


@dataclass(frozen=True)
class LatencySummary:
    """Latency figures of one phase, in milliseconds."""

    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    @classmethod
    def of_seconds(cls, seconds: Sequence[float]) -> LatencySummary:
        if not seconds:
            raise ValueError("no timings to summarise")
        millis = [value * 1000.0 for value in seconds]
        return cls(
            count=len(millis),
            p50_ms=percentile(millis, 0.50),
            p95_ms=percentile(millis, 0.95),
            p99_ms=percentile(millis, 0.99),
            mean_ms=sum(millis) / len(millis),
            max_ms=max(millis),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            key: round(value, 2) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }
