"""Fixtures that start real Tend servers. The model is trained once per run.

Starting a Rasa server takes most of a minute, so stacks are shared across modules
and started early, in the background (tests/integration/early_start.py):
`tend_stack` (with the Telegram webhook on a fake Bot API) serves most tests, one
stack without an action server or Telegram serves the tests of their absence, one
polls a second fake Bot API, and the two PostgreSQL + Redis replicas serve both the
replica tests and the database fault (replica A reaches the database through a
proxy a test can cut). Tests that stop or restart a shared server put it back
before they end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

from bot.cli.train import ensure_trained
from bot.config import PROJECT_ROOT
from tests.integration.early_start import EarlyStarts, Start
from tests.integration.fake_telegram import BOT_USERNAME, FakeTelegram, telegram_env
from tests.integration.postgres import (
    POSTGRES_SKIP_REASON,
    REDIS_SKIP_REASON,
    throwaway_database,
)
from tests.integration.stack import Replicas, TelegramStack, TendStack, start_stack
from tests.integration.tcp_proxy import TcpProxy

# The shared stacks' fixtures, each the name of its start below.
SHARED_STACKS = ("tend_stack", "stack_without_actions", "polling_stack", "replicas")
EARLY_STARTS = pytest.StashKey[EarlyStarts]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Begins the stacks the chosen tests need, in the order they first need them."""
    needed = [
        name
        for item in session.items
        for name in SHARED_STACKS
        if name in getattr(item, "fixturenames", ())
    ]
    if not (os.environ.get("TEST_POSTGRES_URL") and os.environ.get("TEST_REDIS_URL")):
        needed = [name for name in needed if name != "replicas"]  # they skip
    if not needed:
        return
    model = ensure_trained()
    workdirs = session.config._tmp_path_factory  # the `tmp_path_factory` fixture's
    starts = EarlyStarts(stack_starts(model, workdirs.mktemp))
    session.config.stash[EARLY_STARTS] = starts
    session.config.add_cleanup(starts.close)
    starts.begin(dict.fromkeys(needed))


def early_starts(request: pytest.FixtureRequest) -> EarlyStarts:
    """The run's early starts; made here when collection began none (a run that
    reaches these fixtures some other way)."""
    config = request.config
    if EARLY_STARTS not in config.stash:
        starts = EarlyStarts(
            stack_starts(ensure_trained(), config._tmp_path_factory.mktemp)
        )
        config.stash[EARLY_STARTS] = starts
        config.add_cleanup(starts.close)
    return config.stash[EARLY_STARTS]


def stack_starts(model: Path, new_dir: Callable[[str], Path]) -> dict[str, Start]:
    """How each shared stack starts; each registers how it stops."""

    def tend(cleanup: ExitStack, environ: dict[str, str]) -> TelegramStack:
        fake = cleanup.enter_context(FakeTelegram())
        stack = start_stack(
            new_dir("tend-stack"), model, telegram_env(fake, "webhook"), base=environ
        )
        cleanup.callback(stack.stop)
        return TelegramStack(fake, stack)

    def without_actions(cleanup: ExitStack, environ: dict[str, str]) -> TendStack:
        stack = start_stack(
            new_dir("no-actions"), model, with_actions=False, base=environ
        )
        cleanup.callback(stack.stop)
        return stack

    def polling(cleanup: ExitStack, environ: dict[str, str]) -> TelegramStack:
        fake = cleanup.enter_context(FakeTelegram(username=BOT_USERNAME))
        stack = start_stack(
            new_dir("polling"), model, telegram_env(fake, "polling"), base=environ
        )
        cleanup.callback(stack.stop)
        return TelegramStack(fake, stack)

    def replicas(cleanup: ExitStack, environ: dict[str, str]) -> Replicas:
        database_url = cleanup.enter_context(
            throwaway_database(environ["TEST_POSTGRES_URL"], "replicas")
        )
        shared = {
            "DATABASE_URL": database_url,
            "DATA_KEY": Fernet.generate_key().decode(),
            "LOCK_STORE_URL": environ["TEST_REDIS_URL"],
        }
        subprocess.run(
            [sys.executable, "-m", "bot.cli.db", "upgrade"],
            cwd=PROJECT_ROOT,
            env={**environ, **shared},
            check=True,
            timeout=120,
        )
        url = make_url(database_url)
        proxy = cleanup.enter_context(
            TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        )
        proxied = url.set(host="127.0.0.1", port=proxy.port)
        first_settings = {
            **shared,
            "DATABASE_URL": proxied.render_as_string(hide_password=False),
        }
        # One after the other: both would create Rasa's `events` table at once.
        first = start_stack(new_dir("replica-a"), model, first_settings, base=environ)
        cleanup.callback(first.stop)
        second = start_stack(
            new_dir("replica-b"),
            model,
            {**shared, "ACTION_SERVER_URL": f"{first.action_url}/webhook"},
            with_actions=False,
            base=environ,
        )
        cleanup.callback(second.stop)
        return Replicas(first, second, proxy)

    return {
        "tend_stack": tend,
        "stack_without_actions": without_actions,
        "polling_stack": polling,
        "replicas": replicas,
    }


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The trained model; trains only if the data changed since the last training."""
    return ensure_trained()


@pytest.fixture(scope="session")
def tend_stack(request: pytest.FixtureRequest) -> TendStack:
    return early_starts(request).result("tend_stack").stack


@pytest.fixture(scope="session")
def fake_telegram(request: pytest.FixtureRequest) -> FakeTelegram:
    """The Bot API that `tend_stack` talks to (tests use their own chat ids)."""
    return early_starts(request).result("tend_stack").fake


@pytest.fixture(scope="session")
def stack_without_actions(request: pytest.FixtureRequest) -> TendStack:
    """A stack whose action server never started, and with no Telegram token."""
    return early_starts(request).result("stack_without_actions")


@pytest.fixture(scope="session")
def polling_stack(request: pytest.FixtureRequest) -> TelegramStack:
    """A stack that fetches its Telegram updates by long polling from its own fake."""
    return early_starts(request).result("polling_stack")


@pytest.fixture(scope="session")
def replicas(request: pytest.FixtureRequest) -> Replicas:
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip(POSTGRES_SKIP_REASON)
    if not os.environ.get("TEST_REDIS_URL"):
        pytest.skip(REDIS_SKIP_REASON)
    return early_starts(request).result("replicas")
