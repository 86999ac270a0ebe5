"""Tests for bot/web/server.py: the demo page, its injected configuration, its files."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import given
from hypothesis import strategies as st

from bot.config import PROJECT_ROOT, Settings, read_settings
from bot.web.server import (
    CHAT_CONTAINER,
    SOCKET_IO_CLIENT,
    create_app,
    script_safe_json,
)

CONFIG_ELEMENT = re.compile(
    r'<script id="tend-config" type="application/json">(.*?)</script>', re.DOTALL
)

ClientFor = Callable[..., Awaitable[TestClient]]


def settings_from(env: dict[str, str], tmp_path: Path) -> Settings:
    return read_settings(environ=env, env_file=tmp_path / "missing.env")


@pytest.fixture
async def client_for() -> AsyncIterator[ClientFor]:
    """Starts the page server in-process for given settings; closes it afterwards."""
    clients: list[TestClient] = []

    async def start(config: Settings, rasa_url: str | None = None) -> TestClient:
        client = TestClient(TestServer(create_app(config, rasa_url)))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


async def page_config(client: TestClient, **request: str) -> dict:
    response = await client.get("/", headers=request)
    assert response.status == 200
    match = CONFIG_ELEMENT.search(await response.text())
    assert match, "the page has no tend-config element"
    return json.loads(match.group(1))


class ElementCounter(HTMLParser):
    """Counts start tags by name, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1


async def test_page_gives_the_widget_the_configured_contacts(
    client_for: ClientFor, tmp_path: Path
) -> None:
    config = settings_from(
        {
            "CRISIS_CONTACT": "the Test Crisis Line on 0800 000 111",
            "THERAPIST_CONTACT": "Dr Test",
            "CHILD_CONTACT": "Test Childline",
            "RASA_PORT": "5111",
        },
        tmp_path,
    )
    widget = await page_config(await client_for(config))
    assert widget["contacts"] == {
        "crisis": "the Test Crisis Line on 0800 000 111",
        "therapist": "Dr Test",
        "child": "Test Childline",
    }
    assert widget["serverUrl"] == "http://127.0.0.1:5111"
    assert widget["title"] == "Talk with Tend"


async def test_settings_cannot_break_out_of_the_config_element(
    client_for: ClientFor, tmp_path: Path
) -> None:
    hostile = "</script><script>alert(1)</script><!-- & more"
    config = settings_from(
        {"CRISIS_CONTACT": hostile, "BOT_NAME": "<b>Tend</b>"}, tmp_path
    )
    client = await client_for(config)
    page = await (await client.get("/")).text()
    counter = ElementCounter()
    counter.feed(page)
    # The config element and the two widget scripts, and nothing a setting added.
    assert counter.counts.get("script") == 3
    assert counter.counts.get("b") is None
    widget = await page_config(client)
    assert widget["contacts"]["crisis"] == hostile
    assert widget["botName"] == "<b>Tend</b>"


@given(st.text())
def test_script_safe_json_round_trips_without_markup_characters(value: str) -> None:
    encoded = script_safe_json({"value": value})
    assert json.loads(encoded) == {"value": value}
    assert not set("<>&") & set(encoded)


async def test_page_runs_only_its_own_scripts_and_connects_only_to_rasa(
    client_for: ClientFor, tmp_path: Path
) -> None:
    client = await client_for(settings_from({"RASA_PORT": "5111"}, tmp_path))
    policy = (await client.get("/")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == (
        "'self' http://127.0.0.1:5111 ws://127.0.0.1:5111"
    )
    assert "unsafe-inline" not in policy


async def test_rasa_url_option_wins_over_settings(
    client_for: ClientFor, tmp_path: Path
) -> None:
    client = await client_for(
        settings_from({}, tmp_path), rasa_url="https://bot.example.org/"
    )
    assert (await page_config(client))["serverUrl"] == "https://bot.example.org"
    policy = (await client.get("/")).headers["Content-Security-Policy"]
    assert "wss://bot.example.org" in policy


async def test_wildcard_bind_host_points_the_browser_at_the_host_it_used(
    client_for: ClientFor, tmp_path: Path
) -> None:
    config = settings_from({"BIND_HOST": "0.0.0.0", "RASA_PORT": "5999"}, tmp_path)
    widget = await page_config(await client_for(config), Host="tend.local:8080")
    assert widget["serverUrl"] == "http://tend.local:5999"


async def test_widget_mounts_into_an_element_the_page_has(
    client_for: ClientFor, tmp_path: Path
) -> None:
    client = await client_for(settings_from({}, tmp_path))
    page = await (await client.get("/")).text()
    assert CHAT_CONTAINER.startswith("#")
    assert f'id="{CHAT_CONTAINER[1:]}"' in page


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/tend-widget.js", "application/javascript"),
        ("/static/tend-widget.css", "text/css"),
        ("/static/page.css", "text/css"),
    ],
)
async def test_widget_files_are_served_with_their_type_and_no_sniffing(
    client_for: ClientFor, tmp_path: Path, path: str, content_type: str
) -> None:
    response = await (await client_for(settings_from({}, tmp_path))).get(path)
    assert response.status == 200
    assert response.content_type in {content_type, "text/javascript"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_static_route_serves_nothing_outside_the_static_folder(
    client_for: ClientFor, tmp_path: Path
) -> None:
    client = await client_for(settings_from({}, tmp_path))
    for path in ("/static/../server.py", "/static/%2e%2e/server.py"):
        response = await client.get(path)
        assert response.status in {403, 404}
        assert "create_app" not in await response.text()


async def test_health_says_whether_the_socket_io_client_was_built(
    client_for: ClientFor, tmp_path: Path
) -> None:
    response = await (await client_for(settings_from({}, tmp_path))).get("/healthz")
    assert await response.json() == {
        "status": "ok",
        "socket_io_client": SOCKET_IO_CLIENT.is_file(),
    }


def run_page_server(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.web.server", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_server_says_plainly_when_its_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"TEND_ENV_FILE": str(tmp_path / "missing.env"), "PATH": "/usr/bin"}
        result = run_page_server(env, "--port", str(port))
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr
    assert "WEB_PORT" in result.stderr


def test_server_stops_with_one_line_on_a_bad_setting(tmp_path: Path) -> None:
    env = {"TEND_ENV_FILE": str(tmp_path / "missing.env"), "WEB_PORT": "eighty"}
    result = run_page_server(env)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert len(lines) == 1
    assert "WEB_PORT" in lines[0]
