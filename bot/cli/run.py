"""`make run`: prepare, train if needed, start every Tend process; Ctrl-C stops them."""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import subprocess
import sys
import time
from types import FrameType

from bot.cli.processes import (
    ManagedProcess,
    action_server_command,
    action_server_environment,
    rasa_server_command,
    wait_for_http,
    web_server_command,
)
from bot.cli.train import ensure_trained
from bot.config import PROJECT_ROOT, read_settings, settings_or_report


def prepare_database() -> None:
    """Creates the data key on first start and upgrades the database schema."""
    for step in (["ensure-key"], ["upgrade"]):
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli.db", *step], cwd=PROJECT_ROOT, check=False
        )
        if result.returncode != 0:
            raise SystemExit(result.returncode)


def main() -> int:
    if settings_or_report() is None:
        return 2
    if importlib.util.find_spec("bot.cli.db") is not None:
        prepare_database()
    config = read_settings()  # again: ensure-key may have just written DATA_KEY
    model = ensure_trained()

    token = secrets.token_hex(24)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    logs = PROJECT_ROOT / "var" / "log"
    processes = [
        ManagedProcess(
            "action server",
            action_server_command(config.action_port),
            action_server_environment(env, config.bind_host),
            logs / "actions.log",
        ),
        ManagedProcess(
            "Rasa server",
            rasa_server_command(
                model, config.rasa_port, config.bind_host, token, config.cors_origins
            ),
            env,
            logs / "rasa.log",
        ),
    ]
    web_available = importlib.util.find_spec("bot.web.server") is not None
    if web_available:
        processes.append(
            ManagedProcess("web page", web_server_command(), env, logs / "web.log")
        )

    def stop_all(signum: int | None = None, frame: FrameType | None = None) -> None:
        for process in reversed(processes):
            process.stop()
        if signum is not None:
            print("\nStopped every Tend process. Goodbye.")
            raise SystemExit(0)

    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    try:
        for process in processes:
            process.start()
        print("Starting the action server and the Rasa server (logs in var/log/)...")
        wait_for_http(
            f"http://127.0.0.1:{config.action_port}/health", processes[0], timeout=120
        )
        wait_for_http(
            f"http://127.0.0.1:{config.rasa_port}/status?token={token}",
            processes[1],
            timeout=300,
        )
        if web_available:
            wait_for_http(f"http://127.0.0.1:{config.web_port}/", processes[2], 60)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        stop_all()
        return 1

    rest = f"{config.rasa_url}/webhooks/rest/webhook"
    print(f"\n{config.bot_name} is running. Press Ctrl-C to stop.\n")
    print(f"  Chat over REST:  curl -s -X POST {rest} \\")
    print('                     -H "Content-Type: application/json" \\')
    print('                     -d \'{"sender": "me", "message": "hello"}\'')
    if web_available:
        print(f"  Web page:        {config.web_url}/")
    if config.telegram_enabled:
        print(f"  Telegram:        on ({config.telegram_mode} mode)")
    else:
        print("  Telegram:        off (set TELEGRAM_TOKEN in .env to turn it on)")
    print("  Terminal chat:   make shell\n")

    while all(process.running for process in processes):
        time.sleep(1)
    stopped = next(p for p in processes if not p.running)
    print(
        f"The {stopped.name} stopped unexpectedly; stopping the rest. "
        f"Its log ends with:\n{stopped.log_tail()}",
        file=sys.stderr,
    )
    stop_all()
    return 1


if __name__ == "__main__":
    sys.exit(main())
