"""A real Tend stack for integration tests: Rasa server + action server on free ports.

Started with the trained model, its own SQLite database and data key in a temporary
folder, and none of the developer's `.env`. Uses the same command lines as `make run`.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet

from bot.cli.processes import (
    ManagedProcess,
    action_server_command,
    action_server_environment,
    rasa_server_command,
    wait_for_http,
)

if TYPE_CHECKING:  # tcp_proxy imports this module
    from tests.integration.fake_telegram import FakeTelegram
    from tests.integration.tcp_proxy import TcpProxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TendStack:
    """Handles to a running Rasa server (and action server)."""

    rasa_url: str
    action_url: str
    env: dict[str, str]
    auth_token: str
    rasa: ManagedProcess
    actions: ManagedProcess | None
    workdir: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def send(self, sender: str, text: str, timeout: float = 60.0) -> list[dict]:
        """Sends one message over the REST channel; returns Tend's replies."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def tracker(self, sender: str) -> dict:
        """The conversation as Rasa keeps it (HTTP API, with the run's token)."""
        url = f"{self.rasa_url}/conversations/{sender}/tracker?token={self.auth_token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())

    def start_actions(self) -> None:
        if self.actions is not None and not self.actions.running:
            self.actions.start()
            wait_for_http(f"{self.action_url}/health", self.actions, timeout=120)

    def stop_actions(self) -> None:
        if self.actions is not None:
            self.actions.stop()

    def restart_rasa(self) -> None:
        self.rasa.stop()
        self.rasa.start()
        wait_for_http(
            f"{self.rasa_url}/status?token={self.auth_token}", self.rasa, timeout=300
        )

    def stop(self) -> None:
        self.rasa.stop()
        self.stop_actions()


@dataclass
class Replicas:
    """Two Rasa servers on one PostgreSQL database and one Redis; `first` runs the
    action server and reaches the database through `first_database_proxy`."""

    first: TendStack
    second: TendStack
    first_database_proxy: TcpProxy  # tests/integration/tcp_proxy.py


@dataclass(frozen=True)
class TelegramStack:
    """A stack and the fake Bot API it talks to."""

    fake: FakeTelegram
    stack: TendStack


def stack_environment(
    workdir: Path,
    extra_env: dict[str, str] | None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The stack's settings: `base` (this process's environment unless given), its
    own ports, database and key, and `extra_env` over them."""
    rasa_port, action_port = free_port(), free_port()
    env = {
        **(os.environ if base is None else base),
        "TEND_ENV_FILE": str(workdir / "no.env"),
        "BIND_HOST": "127.0.0.1",
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WEB_PORT": str(free_port()),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "DATABASE_URL": f"sqlite:///{workdir / 'tend.db'}",
        "DATA_KEY": Fernet.generate_key().decode(),
        "CRISIS_CONTACT": "the Test Crisis Line on 0800 000 111",
        "THERAPIST_CONTACT": "Dr Test at test-therapy.example",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra_env or {})
    return env


def start_stack(
    workdir: Path,
    model: Path,
    extra_env: dict[str, str] | None = None,
    with_actions: bool = True,
    base: Mapping[str, str] | None = None,
) -> TendStack:
    """Starts the servers and waits until both answer; stops them on failure."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = stack_environment(workdir, extra_env, base)
    token = secrets.token_hex(16)
    rasa_port, action_port = int(env["RASA_PORT"]), int(env["ACTION_PORT"])
    actions = ManagedProcess(
        "action server",
        action_server_command(action_port),
        action_server_environment(env, env["BIND_HOST"]),
        workdir / "actions.log",
    )
    rasa = ManagedProcess(
        "Rasa server",
        rasa_server_command(
            model, rasa_port, "127.0.0.1", token, env.get("CORS_ORIGINS", "*")
        ),
        env,
        workdir / "rasa.log",
    )
    stack = TendStack(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=f"http://127.0.0.1:{action_port}",
        env=env,
        auth_token=token,
        rasa=rasa,
        actions=actions,
        workdir=workdir,
    )
    try:
        # Both at once: the action server is up long before Rasa has loaded the model.
        if with_actions:
            actions.start()
        rasa.start()
        if with_actions:
            wait_for_http(f"{stack.action_url}/health", actions, timeout=120)
        wait_for_http(f"{stack.rasa_url}/status?token={token}", rasa, timeout=300)
    except BaseException:
        stack.stop()
        raise
    return stack
