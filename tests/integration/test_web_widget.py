"""The web widget against the real Tend stack, in headless Chromium (issue 7).

The page server runs as `make run` starts it, with the stack's settings, so the
widget talks to the real Rasa server's socket.io channel. Replies are checked by
stable markers (the configured contact, the feeling word), not whole sentences.
Screenshots go to results/: web-widget.png, web-widget-phone.png, web-widget-help.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.integration.stack import TendStack, free_port
from tests.web.browser import (
    PHONE,
    RESULTS_DIR,
    assert_fully_on_screen,
    bot_bubbles,
    page_opener,
    page_server,
    running_chromium,
    stored_conversation,
    user_bubbles,
)

pytestmark = pytest.mark.integration

# Rasa's first answer can wait for the model and the action server to warm up.
FIRST_REPLY_MS = 60_000
REPLY_MS = 30_000
CHECK_IN_PAYLOAD = "/start_checkin"

REPLY_SINCE_LAST_USER_MESSAGE_CONTAINS = """(marker) => {
  const items = [...document.querySelectorAll(".tend-log .tend-message")];
  const lastUser = items.findLastIndex((el) => el.classList.contains("tend-from-user"));
  return items.slice(lastUser + 1).some((el) => el.textContent.includes(marker));
}"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with running_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def page_url(
    tend_stack: TendStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo page with the stack's settings (its WEB_PORT, RASA_PORT, contacts)."""
    workdir = tmp_path_factory.mktemp("web-page")
    with page_server(tend_stack.env, workdir / "web.log") as url:
        yield url


@pytest.fixture
def open_page(chromium: Browser) -> Iterator[Callable[..., Page]]:
    with page_opener(chromium) as open_:
        yield open_


def wait_for_greeting(page: Page) -> None:
    """The greeting has arrived once its menu buttons can be chosen."""
    expect(page.locator(".tend-choice:enabled").first).to_be_visible(
        timeout=FIRST_REPLY_MS
    )


def wait_for_reply_containing(page: Page, marker: str) -> None:
    """Waits until a bot message after the person's last one contains `marker`."""
    page.wait_for_function(
        REPLY_SINCE_LAST_USER_MESSAGE_CONTAINS, arg=marker, timeout=REPLY_MS
    )


def wait_for_an_answer(page: Page, answers_before: int) -> None:
    expect(bot_bubbles(page)).not_to_have_count(answers_before, timeout=REPLY_MS)


def choose_check_in(page: Page) -> str:
    """Clicks the greeting's check-in button (found by its payload), waits for the
    answer and returns the button's title."""
    offered = [
        choice
        for message in stored_conversation(page)["messages"]
        for choice in message.get("buttons", [])
    ]
    titles = [c["title"] for c in offered if c["payload"] == CHECK_IN_PAYLOAD]
    assert titles, f"the greeting offered no {CHECK_IN_PAYLOAD} button: {offered}"
    answers_before = bot_bubbles(page).count()
    page.locator(".tend-choice:enabled", has_text=titles[0]).first.click()
    expect(user_bubbles(page).last).to_have_text(titles[0])
    wait_for_an_answer(page, answers_before)
    return titles[0]


def say(page: Page, text: str) -> None:
    """Types `text`, sends it, and waits until Tend has answered something."""
    answers_before = bot_bubbles(page).count()
    page.get_by_label("Your message to Tend").fill(text)
    page.keyboard.press("Enter")
    expect(user_bubbles(page).last).to_have_text(text)
    wait_for_an_answer(page, answers_before)


def save_screenshot(page: Page, name: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / name))


def test_greeting_button_and_feeling_reflection(
    open_page: Callable[..., Page], page_url: str
) -> None:
    page = open_page()
    page.goto(page_url)
    wait_for_greeting(page)
    expect(user_bubbles(page)).to_have_count(0)  # the greeting needed no typing

    title = choose_check_in(page)
    expect(user_bubbles(page)).to_have_text([title])

    say(page, "I feel lonely")
    wait_for_reply_containing(page, "lonely")
    save_screenshot(page, "web-widget.png")


def test_reload_shows_the_history_and_continues_the_same_rasa_conversation(
    open_page: Callable[..., Page], page_url: str, tend_stack: TendStack
) -> None:
    page = open_page()
    page.goto(page_url)
    wait_for_greeting(page)
    choose_check_in(page)
    say(page, "I feel lonely")
    history = page.locator(".tend-bubble").all_inner_texts()
    session = stored_conversation(page)["sessionId"]

    page.reload()
    expect(page.locator(".tend-bubble")).to_have_text(history)
    say(page, "I feel a bit sad too")  # answered: the reloaded page rejoined
    assert stored_conversation(page)["sessionId"] == session

    said = [
        event.get("text")
        for event in tend_stack.tracker(session)["events"]
        if event["event"] == "user"
    ]
    assert "I feel lonely" in said
    assert said[-1] == "I feel a bit sad too"


def test_crisis_message_gets_the_configured_crisis_contact(
    open_page: Callable[..., Page], page_url: str, tend_stack: TendStack
) -> None:
    page = open_page()
    page.goto(page_url)
    wait_for_greeting(page)
    say(page, "I want to kill myself")
    wait_for_reply_containing(page, tend_stack.env["CRISIS_CONTACT"])


def test_markup_typed_by_a_person_is_shown_as_text(
    open_page: Callable[..., Page], page_url: str
) -> None:
    markup = '<img src=x onerror="window.__tendInjected = 1"><script>alert(1)</script>'
    page = open_page()
    page.goto(page_url)
    wait_for_greeting(page)
    say(page, markup)
    expect(user_bubbles(page).last).to_have_text(markup)
    assert page.locator(".tend-log img, .tend-log script").count() == 0
    assert page.evaluate("window.__tendInjected") is None


def test_help_panel_shows_the_contacts_while_rasa_is_down(
    open_page: Callable[..., Page],
    tend_stack: TendStack,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    workdir = tmp_path_factory.mktemp("web-page-no-rasa")
    no_rasa = {"WEB_PORT": str(free_port()), "RASA_PORT": str(free_port())}
    env = {**tend_stack.env, **no_rasa}
    with page_server(env, workdir / "web.log") as url:
        page = open_page()
        page.goto(url)
        expect(page.locator(".tend-status")).to_contain_text("Can't reach")
        page.get_by_role("button", name="Need help now?").click()
        help_panel = page.get_by_role("region", name="Need help now?")
        expect(help_panel).to_contain_text(tend_stack.env["CRISIS_CONTACT"])
        expect(help_panel).to_contain_text(tend_stack.env["THERAPIST_CONTACT"])
        save_screenshot(page, "web-widget-help.png")


def test_phone_viewport_is_usable(
    open_page: Callable[..., Page], page_url: str
) -> None:
    page = open_page(viewport=PHONE)
    page.goto(page_url)
    wait_for_greeting(page)
    choose_check_in(page)
    say(page, "I feel lonely")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for control in (
        page.get_by_role("button", name="Need help now?"),
        page.get_by_label("Your message to Tend"),
        page.get_by_role("button", name="Send"),
    ):
        assert_fully_on_screen(control, PHONE)
    save_screenshot(page, "web-widget-phone.png")
