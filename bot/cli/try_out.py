"""`make try`: train if needed, then talk to Tend in the terminal (`rasa shell`).

For practitioners trying a change. It prepares what a first start needs (the data
key, the database), trains only when the data changed, and starts the action
server unless one is already running (from `make run`), so exercises and every
other custom action work in the chat as they do for real. The action server it
started stops when the chat ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from types import FrameType

from bot.cli.processes import (
    ManagedProcess,
    action_server_command,
    action_server_environment,
    wait_for_http,
)
from bot.cli.run import prepare_database
from bot.cli.train import ensure_trained
from bot.config import PROJECT_ROOT, Settings, read_settings, settings_or_report


def answers(url: str) -> bool:
    """True when `url` answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_action_server(
    config: Settings, env: dict[str, str]
) -> tuple[ManagedProcess | None, str]:
    """The action server to use: the running one, or one started here.

    Returns the process started (None when one was already running) and the
    webhook URL the chat should call.
    """
    if answers(config.action_server_url.removesuffix("/webhook") + "/health"):
        return None, config.action_server_url
    process = ManagedProcess(
        "action server",
        action_server_command(config.action_port),
        action_server_environment(env, "127.0.0.1"),
        PROJECT_ROOT / "var" / "log" / "actions.log",
    ).start()
    local = f"http://127.0.0.1:{config.action_port}"
    try:
        wait_for_http(f"{local}/health", process, timeout=120)
    except BaseException:  # not ready, or the chat was stopped while waiting
        process.stop()
        raise
    return process, f"{local}/webhook"


def free_port() -> int:
    """A port nothing listens on, so the chat can run beside `make run`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shell_command(model: str, port: int) -> list[str]:
    """`rasa shell` with Tend's extensions; its own server is local only."""
    return [
        sys.executable, "-m", "bot.server", "shell",
        "--model", model,
        "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
        "--interface", "127.0.0.1",
        "--port", str(port),
    ]  # fmt: skip


def stop_on_signal(signum: int, frame: FrameType | None) -> None:
    """A closed terminal (SIGHUP) or SIGTERM ends the chat the same way as /stop."""
    raise SystemExit(128 + signum)


def main() -> int:
    if settings_or_report() is None:
        return 2
    prepare_database()
    config = read_settings()  # again: the data key may have just been written
    model = ensure_trained()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Without this, closing the terminal would leave the action server running.
    for hangup in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(hangup, stop_on_signal)
    print("Starting the chat (a minute or so). Type /stop to leave it.")
    try:
        action_server, webhook = start_action_server(config, env)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        chat = subprocess.run(
            shell_command(str(model), free_port()),
            cwd=PROJECT_ROOT,
            env={**env, "ACTION_SERVER_URL": webhook},
            check=False,
        )
    except KeyboardInterrupt:
        return 130
    finally:
        if action_server is not None:
            action_server.stop()
    return chat.returncode


if __name__ == "__main__":
    sys.exit(main())
