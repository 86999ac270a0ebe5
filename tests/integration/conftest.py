"""Fixtures that start real Tend servers. The model is trained once per run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli.train import ensure_trained
from tests.integration.stack import TendStack, start_stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The trained model; trains only if the data changed since the last training."""
    return ensure_trained()


@pytest.fixture(scope="session")
def tend_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TendStack]:
    stack = start_stack(tmp_path_factory.mktemp("tend-stack"), trained_model)
    yield stack
    stack.stop()


@pytest.fixture
def stack_factory(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., TendStack]]:
    """Starts stacks with extra settings; stops them all when the test ends."""
    started: list[TendStack] = []

    def start(
        extra_env: dict[str, str] | None = None, with_actions: bool = True
    ) -> TendStack:
        stack = start_stack(
            tmp_path_factory.mktemp("tend-stack"),
            trained_model,
            extra_env,
            with_actions,
        )
        started.append(stack)
        return stack

    yield start
    for stack in started:
        stack.stop()
