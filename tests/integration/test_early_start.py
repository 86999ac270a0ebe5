"""The background starts behind the shared stacks (no servers started here)."""

from __future__ import annotations

import os
import threading
from contextlib import ExitStack

import pytest

from tests.integration.early_start import EarlyStarts


def test_starts_run_in_the_order_begun_on_one_thread_and_stop_latest_first() -> None:
    events: list[str] = []
    threads: set[str] = set()

    def start(name: str):
        def run(cleanup: ExitStack, _environ: dict[str, str]) -> str:
            threads.add(threading.current_thread().name)
            events.append(f"start {name}")
            cleanup.callback(events.append, f"stop {name}")
            return name.upper()

        return run

    starts = EarlyStarts({"a": start("a"), "b": start("b")})
    starts.begin(["b", "a"])
    assert starts.result("a") == "A"
    assert starts.result("b") == "B"
    starts.close()
    assert events == ["start b", "start a", "stop a", "stop b"]
    assert len(threads) == 1 and threading.current_thread().name not in threads


def test_a_failed_start_raises_where_it_is_needed_and_cleans_up_after_itself() -> None:
    stopped: list[str] = []

    def broken(cleanup: ExitStack, _environ: dict[str, str]) -> None:
        cleanup.callback(stopped.append, "half-started server")
        raise RuntimeError("the model would not load")

    starts = EarlyStarts({"broken": broken})
    starts.begin(["broken"])
    with pytest.raises(RuntimeError, match="would not load"):
        starts.result("broken")
    assert stopped == ["half-started server"]
    starts.close()


def test_the_environment_is_the_one_when_the_starts_were_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEND_EARLY_START_PROBE", "before")
    starts = EarlyStarts({"env": lambda _cleanup, environ: dict(environ)})
    monkeypatch.setenv("TEND_EARLY_START_PROBE", "changed by a unit test")
    assert starts.result("env")["TEND_EARLY_START_PROBE"] == "before"
    assert os.environ["TEND_EARLY_START_PROBE"] == "changed by a unit test"
    starts.close()
