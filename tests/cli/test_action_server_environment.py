"""The action server's environment: on the bind host, patient with a busy Rasa."""

from __future__ import annotations

from bot.cli.processes import ACTION_SERVER_IDLE_SECONDS, action_server_environment


def test_the_action_server_listens_on_the_bind_host_only() -> None:
    env = action_server_environment({"PATH": "/usr/bin"}, "127.0.0.1")
    assert env["SANIC_HOST"] == "127.0.0.1"
    assert env["PATH"] == "/usr/bin"


def test_a_new_connection_may_wait_for_a_busy_rasa() -> None:
    env = action_server_environment({}, "127.0.0.1")
    assert int(env["SANIC_KEEP_ALIVE_TIMEOUT"]) == ACTION_SERVER_IDLE_SECONDS > 5


def test_what_the_operator_set_wins() -> None:
    env = action_server_environment(
        {"SANIC_HOST": "10.0.0.5", "SANIC_KEEP_ALIVE_TIMEOUT": "30"}, "127.0.0.1"
    )
    assert env["SANIC_HOST"] == "10.0.0.5"
    assert env["SANIC_KEEP_ALIVE_TIMEOUT"] == "30"
