"""Fixtures that start real Tend servers. The model is trained once per run.

Starting a Rasa server takes tens of seconds, so stacks are shared across modules:
`tend_stack` (with the Telegram webhook on a fake Bot API) serves most tests, one
stack without an action server or Telegram serves the tests of their absence, and
the two PostgreSQL + Redis replicas serve both the replica tests and the database
fault (replica A reaches the database through a proxy a test can cut). Tests that
stop or restart a shared server put it back before they end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

from bot.cli.train import ensure_trained
from bot.config import PROJECT_ROOT
from tests.integration.fake_telegram import FakeTelegram, telegram_env
from tests.integration.postgres import (
    POSTGRES_SKIP_REASON,
    REDIS_SKIP_REASON,
    throwaway_database,
)
from tests.integration.stack import Replicas, TendStack, start_stack
from tests.integration.tcp_proxy import TcpProxy


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The trained model; trains only if the data changed since the last training."""
    return ensure_trained()


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    """The Bot API that `tend_stack` talks to (tests use their own chat ids)."""
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture(scope="session")
def tend_stack(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    fake_telegram: FakeTelegram,
) -> Iterator[TendStack]:
    stack = start_stack(
        tmp_path_factory.mktemp("tend-stack"),
        trained_model,
        telegram_env(fake_telegram, "webhook"),
    )
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def stack_without_actions(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TendStack]:
    """A stack whose action server never started, and with no Telegram token."""
    stack = start_stack(
        tmp_path_factory.mktemp("no-actions"), trained_model, with_actions=False
    )
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


@pytest.fixture(scope="session")
def replicas(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Replicas]:
    postgres_url = os.environ.get("TEST_POSTGRES_URL")
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not postgres_url:
        pytest.skip(POSTGRES_SKIP_REASON)
    if not redis_url:
        pytest.skip(REDIS_SKIP_REASON)
    with throwaway_database(postgres_url, "replicas") as database_url:
        shared = {
            "DATABASE_URL": database_url,
            "DATA_KEY": Fernet.generate_key().decode(),
            "LOCK_STORE_URL": redis_url,
        }
        subprocess.run(
            [sys.executable, "-m", "bot.cli.db", "upgrade"],
            cwd=PROJECT_ROOT,
            env={**os.environ, **shared},
            check=True,
            timeout=120,
        )
        url = make_url(database_url)
        with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
            proxied = url.set(host="127.0.0.1", port=proxy.port)
            first_settings = {
                **shared,
                "DATABASE_URL": proxied.render_as_string(hide_password=False),
            }
            # One after the other: both would create Rasa's `events` table at once.
            first = start_stack(
                tmp_path_factory.mktemp("replica-a"), trained_model, first_settings
            )
            try:
                second = start_stack(
                    tmp_path_factory.mktemp("replica-b"),
                    trained_model,
                    {**shared, "ACTION_SERVER_URL": f"{first.action_url}/webhook"},
                    with_actions=False,
                )
                try:
                    yield Replicas(first, second, proxy)
                finally:
                    second.stop()
            finally:
                first.stop()
