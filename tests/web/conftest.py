"""Fixtures for the widget's tests: headless Chromium, one per test module.

Per module, not per session: sync Playwright keeps an event loop running in the
main thread while it is open, and pytest-asyncio tests cannot run beside it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.web.browser import running_chromium


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with running_chromium() as browser:
        yield browser
