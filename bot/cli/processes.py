"""Starting, watching and stopping Tend's server processes.

One place for the command lines of the Rasa server, the action server and the web
page server, used by `make run` (bot/cli/run.py) and by the integration tests.
Each process gets its own process group so stopping it stops its children too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.config import PROJECT_ROOT

VENV_BIN = Path(sys.executable).parent


def rasa_server_command(
    model: Path, port: int, host: str, auth_token: str, cors: str = "*"
) -> list[str]:
    """The Rasa server with Tend's extensions (bot/server.py)."""
    return [
        sys.executable, "-m", "bot.server", "run",
        "--model", str(model),
        "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        "--interface", host,
        "--port", str(port),
        "--enable-api", f"--auth-token={auth_token}",
        "--cors", cors,
    ]  # fmt: skip


def action_server_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "rasa_sdk",
        "--actions", "actions",
        "--port", str(port),
    ]  # fmt: skip


def web_server_command() -> list[str]:
    return [sys.executable, "-m", "bot.web.server"]


@dataclass
class ManagedProcess:
    """A child process in its own process group, with its output in a log file."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> ManagedProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace_seconds: float = 10.0) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=grace_seconds)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=grace_seconds)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def wait_for_http(
    url: str, process: ManagedProcess, timeout: float = 180.0, ok_status: int = 200
) -> None:
    """Waits until `url` answers `ok_status`, failing early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.running:
            raise RuntimeError(
                f"{process.name} stopped while starting. Its log ({process.log_path}) "
                f"ends with:\n{process.log_tail()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == ok_status:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(
        f"{process.name} did not answer at {url} within {timeout:.0f} s. "
        f"Its log ({process.log_path}) ends with:\n{process.log_tail()}"
    )


# Rasa opens a connection to the action server and may then be busy with other
# people's messages for several seconds before it writes the request (it runs NLU
# on its one event loop). Sanic closes a connection that stays silent longer than
# its keep-alive timeout (5 s by default), and the action then "could not run":
# under a burst of 100 conversations, most check-ins failed that way.
ACTION_SERVER_IDLE_SECONDS = 120


def action_server_environment(env: dict[str, str], bind_host: str) -> dict[str, str]:
    """`env` for the action server: on `bind_host`, patient with a busy Rasa.

    Rasa SDK listens on every interface (0.0.0.0) unless SANIC_HOST says otherwise,
    and anyone who reaches it can run any action for any conversation.
    """
    return {
        "SANIC_HOST": bind_host,
        "SANIC_KEEP_ALIVE_TIMEOUT": str(ACTION_SERVER_IDLE_SECONDS),
        **env,
    }
