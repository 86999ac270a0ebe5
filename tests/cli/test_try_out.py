"""Tests for bot/cli/try_out.py: `make try` has an action server for the chat."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli import try_out
from bot.config import Settings, read_settings


class Healthy(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def running_action_server() -> Iterator[str]:
    """Something answering /health like `make run`'s action server; its webhook."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Healthy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhook"
    server.shutdown()
    server.server_close()


# Stands in for `python -m rasa_sdk`: answers /health on the port it is given.
STAND_IN = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Healthy(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Healthy).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_for(tmp_path: Path, **values: str) -> Settings:
    return read_settings(environ=values, env_file=tmp_path / "no.env")


def test_a_running_action_server_is_used_not_started(
    tmp_path: Path, running_action_server: str
) -> None:
    config = settings_for(tmp_path, ACTION_SERVER_URL=running_action_server)
    process, webhook = try_out.start_action_server(config, {})
    assert process is None
    assert webhook == running_action_server


def test_without_one_an_action_server_starts_for_the_chat_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setattr(
        try_out,
        "action_server_command",
        lambda p: [sys.executable, "-c", STAND_IN, str(p)],
    )
    monkeypatch.setattr(try_out, "PROJECT_ROOT", tmp_path)  # its log goes there
    config = settings_for(tmp_path, ACTION_PORT=str(port))
    process, webhook = try_out.start_action_server(config, {})
    assert process is not None
    try:
        assert process.running
        assert webhook == f"http://127.0.0.1:{port}/webhook"
        assert try_out.answers(f"http://127.0.0.1:{port}/health")
    finally:
        process.stop()
    assert not process.running
