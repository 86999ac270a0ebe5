"""Starts what the widget's browser tests drive: Debian's Chromium and the page server.

Chromium is the system one (`/usr/bin/chromium`); nothing is downloaded. When it is
missing or cannot start, the test fails with a message saying so: a browser test
that silently skips would hide a widget nobody has checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from bot.cli.processes import ManagedProcess, wait_for_http, web_server_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 667}
RESULTS_DIR = Path(__file__).resolve().parents[2] / "results"

# The conversation the widget keeps in localStorage (key "tend-widget:<Rasa URL>").
STORED_CONVERSATION = """() => {
  const key = Object.keys(localStorage).find((k) => k.startsWith("tend-widget:"));
  return key ? JSON.parse(localStorage.getItem(key)) : null;
}"""


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's headless Chromium, or a failed test that says what is wrong."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run bin/bootstrap or "
            "`apt-get install chromium`. The widget's browser tests need it.",
            pytrace=False,
        )
    try:
        return playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        pytest.fail(
            f"Chromium at {CHROMIUM} could not start, so the widget was not tested:\n"
            f"{error}",
            pytrace=False,
        )


@contextmanager
def running_chromium() -> Iterator[Browser]:
    """Chromium for as long as the block runs (a fixture's whole scope)."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def page_server(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Runs `python -m bot.web.server` as `make run` does; yields the page's URL.

    `env` must name WEB_PORT, and RASA_PORT for the Rasa server the page points at.
    """
    url = f"http://127.0.0.1:{env['WEB_PORT']}"
    server = ManagedProcess("web page", web_server_command(), env, log_path)
    server.start()
    try:
        wait_for_http(f"{url}/healthz", server, timeout=60)
        yield url
    finally:
        server.stop()


@contextmanager
def page_opener(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Opens pages in fresh contexts (fresh storage); fails on uncaught script errors.

    `widget_config` is JavaScript for a `window.TendConfig` set before the page runs.
    """
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_page(viewport: dict[str, int] = DESKTOP, widget_config: str = "") -> Page:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        if widget_config:
            context.add_init_script(f"window.TendConfig = {widget_config};")
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"the page raised script errors: {errors}"


def stored_conversation(page: Page) -> dict:
    return page.evaluate(STORED_CONVERSATION)


def bot_bubbles(page: Page) -> Locator:
    return page.locator(".tend-from-bot .tend-bubble")


def user_bubbles(page: Page) -> Locator:
    return page.locator(".tend-from-user .tend-bubble")


def assert_fully_on_screen(control: Locator, viewport: dict[str, int]) -> None:
    """The control is shown whole inside the viewport, large enough to tap."""
    box = control.bounding_box()
    assert box is not None, f"{control} is not shown"
    assert box["x"] >= 0, f"{control} starts left of the screen"
    assert box["y"] >= 0, f"{control} starts above the screen"
    assert box["x"] + box["width"] <= viewport["width"], f"{control} overflows right"
    assert box["y"] + box["height"] <= viewport["height"], f"{control} is below"
    assert box["height"] >= 32, f"{control} is too small to tap"
