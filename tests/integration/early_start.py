"""The run's shared stacks, started in the background as soon as the tests are chosen.

A Rasa server takes most of a minute to load the model (Rasa fits each network on one
example, then traces a prediction), and a full run shares five. One worker thread
starts them one after another, in the order the chosen tests first need them, while
the tests before the integration tests run beside it (CI has two cores). A fixture
waits only for what is not up yet; a start that failed fails that fixture's tests,
as it would have without the head start.

Everything started here is stopped when the run ends. The environment is copied
once, before any test runs: a unit test's `monkeypatch.setenv` must never reach a
stack started beside it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

Start = Callable[[ExitStack, dict[str, str]], Any]


class EarlyStarts:
    """Named starts run on one background thread, each with its own clean-up."""

    def __init__(self, starts: dict[str, Start]) -> None:
        self._starts = starts
        self._environment = dict(os.environ)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stacks")
        self._futures: dict[str, Future[Any]] = {}
        self._cleanups: list[ExitStack] = []

    def begin(self, names: Iterable[str]) -> None:
        """Queues the starts of `names`, in that order, if not queued already."""
        for name in names:
            if name not in self._futures:
                self._futures[name] = self._worker.submit(self._run, name)

    def result(self, name: str) -> Any:
        """What the start of `name` gave, waiting for it if need be."""
        self.begin([name])
        return self._futures[name].result()

    def close(self) -> None:
        """Stops everything started, the latest first; drops starts not yet begun."""
        for future in self._futures.values():
            future.cancel()
        self._worker.shutdown(wait=True)
        while self._cleanups:
            self._cleanups.pop().close()

    def _run(self, name: str) -> Any:
        cleanup = ExitStack()
        try:
            result = self._starts[name](cleanup, dict(self._environment))
        except BaseException:
            cleanup.close()
            raise
        self._cleanups.append(cleanup)
        return result
