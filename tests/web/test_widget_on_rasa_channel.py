"""The widget in Chromium against Rasa's own socket.io channel, configured from
credentials.yml, with an echo in place of the model (tests/web/rasa_socket_echo.py).

This guards the contract between the widget and the installed Rasa without training:
the session room, replies reaching a reloaded page, CORS between the page's port and
Rasa's. tests/integration/test_web_widget.py does the same with the trained bot.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.cli.processes import ManagedProcess, wait_for_http
from tests.integration.stack import free_port
from tests.web.browser import (
    bot_bubbles,
    page_opener,
    page_server,
    stored_conversation,
)
from tests.web.rasa_socket_echo import EXPORT, EXPORT_TEXT

pytestmark = pytest.mark.integration

NO_REPLY = (
    "No reply reached the page through the socket.io channel in credentials.yml. "
    "A likely cause: Rasa 3.6's session_request calls python-socketio's enter_room "
    "without await (RasaHQ/rasa#13027), so with session_persistence the socket never "
    "joins its session's room and every reply is lost. credentials.yml needs a "
    "channel whose session_request awaits enter_room."
)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo page, pointed at the echo server on Rasa's channel code."""
    workdir = tmp_path_factory.mktemp("web-on-rasa-channel")
    rasa_port = free_port()
    env = {
        **os.environ,
        "TEND_ENV_FILE": str(workdir / "missing.env"),
        "BIND_HOST": "127.0.0.1",
        "RASA_PORT": str(rasa_port),
        "WEB_PORT": str(free_port()),
    }
    echo = ManagedProcess(
        "socket.io echo on Rasa's channel",
        [sys.executable, "-m", "tests.web.rasa_socket_echo", str(rasa_port)],
        env,
        workdir / "echo.log",
    )
    echo.start()
    try:
        # The channel's own health route; Rasa's imports take a while.
        wait_for_http(
            f"http://127.0.0.1:{rasa_port}/webhooks/socketio/", echo, timeout=180
        )
        with page_server(env, workdir / "web.log") as url:
            yield url
    finally:
        echo.stop()


@pytest.fixture
def open_page(chromium: Browser) -> Iterator[Callable[..., Page]]:
    with page_opener(chromium) as open_:
        yield open_


def test_replies_reach_the_page_before_and_after_a_reload(
    open_page: Callable[..., Page], page_url: str
) -> None:
    page = open_page()
    page.goto(page_url)
    # Rasa splits a reply at blank lines and puts the buttons on the last part.
    expect(bot_bubbles(page), NO_REPLY).to_have_text(
        ["Hello from the echo.", "What would you like to do?"]
    )
    page.get_by_role("button", name="Check in").click()
    expect(bot_bubbles(page).last).to_have_text("echo: /start_checkin")
    session = stored_conversation(page)["sessionId"]

    page.reload()
    page.get_by_label("Your message to Tend").fill("still here")
    page.keyboard.press("Enter")
    expect(bot_bubbles(page).last).to_have_text("echo: still here")
    assert stored_conversation(page)["sessionId"] == session


def test_the_data_export_arrives_through_the_channel_as_a_download(
    open_page: Callable[..., Page], page_url: str
) -> None:
    page = open_page()
    page.goto(page_url)
    expect(bot_bubbles(page), NO_REPLY).to_have_count(2)
    page.get_by_label("Your message to Tend").fill("export my data")
    page.keyboard.press("Enter")
    expect(bot_bubbles(page).last).to_have_text(EXPORT_TEXT)
    # Rasa 3.6's own output passes the payload's keys to emit() and loses it.
    link = page.get_by_role("link", name="Download your data (tend-my-data.json)")
    with page.expect_download() as offered:
        link.click()
    assert offered.value.suggested_filename == EXPORT["filename"]
    content = Path(offered.value.path()).read_text()
    assert json.loads(content) == json.loads(EXPORT["content"])
