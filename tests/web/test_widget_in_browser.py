"""The widget in real headless Chromium, against a scripted stand-in for Rasa.

The stand-in (tests/web/fake_rasa_socket.py) lets these tests send what the real bot
rarely says: markup, unsafe links, silence. tests/integration/test_web_widget.py
drives the same page against the real Rasa server.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.integration.stack import free_port
from tests.web.browser import (
    PHONE,
    assert_fully_on_screen,
    bot_bubbles,
    page_opener,
    page_server,
    stored_conversation,
    user_bubbles,
)
from tests.web.fake_rasa_socket import FakeRasaSocket

pytestmark = pytest.mark.integration

CRISIS_CONTACT = "the Test Crisis Line on [0800 000 111](tel:0800000111)"
THERAPIST_CONTACT = "Dr Test at test-therapy.example"
CHILD_CONTACT = "Test Childline on 0800 1111"

MARKUP_FROM_PERSON = '<img src=x onerror="window.__tendInjected = 1">'
MARKUP_FROM_BOT = (
    "<script>window.__tendInjected = 2</script> **kind** words, "
    "[help](https://example.org/help), [call](tel:0800000111), "
    "[bad](javascript:window.__tendInjected=3), [data](data:text/html,hi)"
)
# The "my data" export as Tend's socket.io channel sends it (actions/my_data.py);
# the letter holds markup that must never run.
EXPORTED = {
    "letters": [{"text": '<img src=x onerror="window.__tendInjected = 4"> dear me'}]
}
EXPORT_TEXT = "Here is everything I keep about you, as a file you can save."


def export_payload(filename: str) -> dict[str, Any]:
    return {
        "custom": {
            "type": "data_export",
            "filename": filename,
            "mime_type": "application/json",
            "content": json.dumps(EXPORTED, indent=2),
        }
    }


CHOICES = [
    ("Check in with my feelings", "/start_checkin"),
    ("Find a safe place", "/start_safe_place"),
    ("Write to my younger self", "/start_letter"),
]
SCRIPT: dict[str, list[dict[str, Any]]] = {
    "hello": [
        {"text": "Hi, I'm Tend. I'm a self-help companion, not a therapist."},
        {
            "text": "What would you like to do?",
            "quick_replies": [
                {"content_type": "text", "title": title, "payload": payload}
                for title, payload in CHOICES
            ],
        },
    ],
    "/start_checkin": [{"text": "How are you feeling right now?"}],
    "I feel lonely": [{"text": "It sounds like you feel **lonely**."}],
    MARKUP_FROM_PERSON: [{"text": MARKUP_FROM_BOT}],
    "export my data": [{"text": EXPORT_TEXT}, export_payload("tend-my-data.json")],
    "export with a bad file name": [export_payload("../../.bashrc")],
    "a custom payload for someone else": [{"custom": {"type": "confetti"}}],
}


def page_env(rasa_port: int, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TEND_ENV_FILE": str(workdir / "missing.env"),
        "BIND_HOST": "127.0.0.1",
        "RASA_PORT": str(rasa_port),
        "WEB_PORT": str(free_port()),
        "CRISIS_CONTACT": CRISIS_CONTACT,
        "THERAPIST_CONTACT": THERAPIST_CONTACT,
        "CHILD_CONTACT": CHILD_CONTACT,
    }


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[FakeRasaSocket]:
    with FakeRasaSocket(SCRIPT) as fake:
        yield fake


@pytest.fixture(scope="module")
def page_url(
    fake_rasa: FakeRasaSocket, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("web-page")
    rasa_port = int(urlsplit(fake_rasa.url).port or 0)
    with page_server(page_env(rasa_port, workdir), workdir / "web.log") as url:
        yield url


@pytest.fixture(scope="module")
def offline_page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The page pointed at a port where no Rasa server listens."""
    workdir = tmp_path_factory.mktemp("web-page-offline")
    with page_server(page_env(free_port(), workdir), workdir / "web.log") as url:
        yield url


@pytest.fixture
def open_page(chromium: Browser) -> Iterator[Callable[..., Page]]:
    with page_opener(chromium) as open_:
        yield open_


def greeted_session(page: Page, fake: FakeRasaSocket) -> str:
    """Waits for the greeting's choices and returns the page's session id."""
    expect(page.get_by_role("button", name=CHOICES[0][0])).to_be_enabled()
    return stored_conversation(page)["sessionId"]


def send(page: Page, text: str) -> None:
    page.get_by_label("Your message to Tend").fill(text)
    page.keyboard.press("Enter")


def test_greeting_arrives_unprompted_with_its_choices(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    session = greeted_session(page, fake_rasa)
    expect(bot_bubbles(page).first).to_contain_text("not a therapist")
    expect(page.locator(".tend-choice")).to_have_text([t for t, _ in CHOICES])
    expect(user_bubbles(page)).to_have_count(0)
    assert fake_rasa.messages_in(session) == ["hello"]


def test_choosing_a_button_sends_its_payload_and_shows_its_title(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    session = greeted_session(page, fake_rasa)
    page.get_by_role("button", name="Check in with my feelings").click()
    expect(user_bubbles(page)).to_have_text(["Check in with my feelings"])
    expect(bot_bubbles(page).last).to_have_text("How are you feeling right now?")
    assert fake_rasa.messages_in(session) == ["hello", "/start_checkin"]
    for choice in page.locator(".tend-choice").all():
        expect(choice).to_be_disabled()


def test_typed_feeling_is_reflected_back_in_bold(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    greeted_session(page, fake_rasa)
    send(page, "I feel lonely")
    expect(user_bubbles(page).last).to_have_text("I feel lonely")
    expect(bot_bubbles(page).last.locator("strong")).to_have_text("lonely")
    expect(page.locator(".tend-typing")).to_be_hidden()
    expect(page.get_by_label("Your message to Tend")).to_have_value("")


def test_reload_shows_the_history_and_carries_on_the_same_session(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    session = greeted_session(page, fake_rasa)
    page.get_by_role("button", name="Check in with my feelings").click()
    send(page, "I feel lonely")
    expect(bot_bubbles(page).last).to_contain_text("lonely")
    history = page.locator(".tend-bubble").all_inner_texts()

    page.reload()
    fake_rasa.wait_until(
        lambda: fake_rasa.session_requests().count(session) >= 1,
        "the reloaded page to ask for its stored session",
    )
    expect(page.locator(".tend-bubble")).to_have_text(history)
    send(page, "I feel lonely")
    fake_rasa.wait_until(
        lambda: fake_rasa.messages_in(session).count("I feel lonely") == 2,
        "the second message in the same session",
    )
    assert fake_rasa.messages_in(session).count("hello") == 1  # no second greeting
    assert stored_conversation(page)["sessionId"] == session


def test_start_over_clears_the_history_and_starts_a_new_session(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    first = greeted_session(page, fake_rasa)
    send(page, "I feel lonely")
    expect(bot_bubbles(page).last).to_contain_text("lonely")

    page.get_by_role("button", name="Start over").click()
    second = greeted_session(page, fake_rasa)
    assert second != first
    expect(user_bubbles(page)).to_have_count(0)
    expect(page.get_by_text("I feel lonely")).to_have_count(0)
    assert fake_rasa.messages_in(second) == ["hello"]
    stored = stored_conversation(page)
    assert [m["from"] for m in stored["messages"]] == ["bot", "bot"]


def test_markup_from_the_person_and_the_bot_stays_text(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    greeted_session(page, fake_rasa)
    send(page, MARKUP_FROM_PERSON)
    reply = bot_bubbles(page).last
    expect(reply).to_contain_text("<script>window.__tendInjected = 2</script>")

    for visit in ("as received", "as restored after a reload"):
        expect(user_bubbles(page).last).to_have_text(MARKUP_FROM_PERSON)
        expect(reply.locator("strong")).to_have_text("kind")
        assert page.locator(".tend-log img, .tend-log script").count() == 0, visit
        assert page.evaluate("window.__tendInjected") is None, visit
        links = reply.locator("a")
        expect(links).to_have_count(2)
        assert links.nth(0).get_attribute("href") == "https://example.org/help"
        assert links.nth(0).get_attribute("target") == "_blank"
        assert "noopener" in (links.nth(0).get_attribute("rel") or "")
        assert links.nth(1).get_attribute("href") == "tel:0800000111"
        # Unsafe links keep their words and lose their address.
        expect(reply).to_contain_text("bad, data")
        page.reload()


def test_the_data_export_is_a_download_link_not_raw_json(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    greeted_session(page, fake_rasa)
    send(page, "export my data")
    link = page.get_by_role("link", name="Download your data (tend-my-data.json)")
    expect(link).to_be_visible()
    expect(bot_bubbles(page).last).to_have_text(EXPORT_TEXT)
    assert (link.get_attribute("href") or "").startswith("blob:")
    expect(page.locator(".tend-log")).not_to_contain_text("letters")
    assert page.locator(".tend-log img").count() == 0
    assert page.evaluate("window.__tendInjected") is None

    with page.expect_download() as offered:
        link.click()
    download = offered.value
    assert download.suggested_filename == "tend-my-data.json"
    assert json.loads(Path(download.path()).read_text()) == EXPORTED


def test_a_downloaded_file_is_not_kept_in_the_browser(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    greeted_session(page, fake_rasa)
    send(page, "export my data")
    expect(page.locator(".tend-download")).to_have_count(1)
    assert "dear me" not in json.dumps(stored_conversation(page))

    page.reload()
    expect(page.locator(".tend-download")).to_have_count(0)
    expect(bot_bubbles(page).last).to_contain_text(
        "tend-my-data.json was offered here to download"
    )


def test_an_unsafe_file_name_and_other_payloads_are_not_used(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    session = greeted_session(page, fake_rasa)
    send(page, "a custom payload for someone else")
    send(page, "export with a bad file name")
    link = page.locator(".tend-download")
    expect(link).to_have_count(1)  # the confetti payload showed nothing
    expect(link).to_have_attribute("download", "tend-my-data.json")
    expect(page.locator(".tend-log")).not_to_contain_text("confetti")
    assert fake_rasa.messages_in(session)[-2:] == [
        "a custom payload for someone else",
        "export with a bad file name",
    ]


def test_typing_indicator_shows_while_waiting_then_a_kind_note_if_no_reply(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page(widget_config="{replyTimeoutSeconds: 2}")
    page.goto(page_url)
    session = greeted_session(page, fake_rasa)
    expect(page.locator(".tend-typing")).to_be_hidden()
    send(page, "words the script has no answer for")
    expect(page.locator(".tend-typing")).to_be_visible()
    expect(page.locator(".tend-typing")).to_contain_text("Tend is writing")
    expect(page.locator(".tend-note")).to_contain_text("hasn't answered")
    expect(page.locator(".tend-typing")).to_be_hidden()
    assert fake_rasa.messages_in(session)[-1] == "words the script has no answer for"


def test_help_opens_with_the_contacts_while_rasa_is_down(
    open_page: Callable[..., Page], offline_page_url: str
) -> None:
    page = open_page()
    page.goto(offline_page_url)
    expect(page.locator(".tend-status")).to_contain_text("Can't reach Tend")
    help_button = page.get_by_role("button", name="Need help now?")
    help_button.click()
    help_panel = page.get_by_role("region", name="Need help now?")
    expect(help_panel).to_be_visible()
    expect(help_panel.get_by_role("heading")).to_be_focused()
    expect(help_panel).to_contain_text("Right now: the Test Crisis Line on 0800 000")
    expect(help_panel).to_contain_text(CHILD_CONTACT)
    expect(help_panel).to_contain_text(THERAPIST_CONTACT)
    expect(help_panel.get_by_role("link", name="0800 000 111")).to_have_attribute(
        "href", "tel:0800000111"
    )
    expect(help_button).to_have_attribute("aria-expanded", "true")

    page.keyboard.press("Escape")
    expect(help_panel).to_be_hidden()
    expect(help_button).to_be_focused()


def test_keyboard_reaches_every_control_in_a_sensible_order(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    session = greeted_session(page, fake_rasa)
    describe_focus = """() => {
      const el = document.activeElement;
      return el.getAttribute("aria-label") || el.textContent.trim() || el.tagName;
    }"""
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(page.evaluate(describe_focus))
        if order[-1] == "TEXTAREA":
            break
    assert order == [
        "Skip to the chat",
        "Need help now?",
        "Start over",
        "Conversation with Tend",
        *[title for title, _ in CHOICES],
        "TEXTAREA",
    ]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.keyboard.type("I feel lonely")
    page.keyboard.press("Enter")
    fake_rasa.wait_until(
        lambda: "I feel lonely" in fake_rasa.messages_in(session),
        "the message typed with the keyboard",
    )


def test_conversation_is_a_polite_live_log(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page()
    page.goto(page_url)
    greeted_session(page, fake_rasa)
    log = page.get_by_role("log", name="Conversation with Tend")
    expect(log).to_have_attribute("aria-live", "polite")
    # A screen reader hears who said each message.
    expect(log.locator(".tend-from-bot").first).to_contain_text("Tend said:")


def test_phone_viewport_keeps_every_control_on_screen(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    page = open_page(viewport=PHONE)
    page.goto(page_url)
    greeted_session(page, fake_rasa)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for control in (
        page.get_by_role("button", name="Need help now?"),
        page.get_by_role("button", name="Start over"),
        page.get_by_label("Your message to Tend"),
        page.get_by_role("button", name="Send"),
    ):
        assert_fully_on_screen(control, PHONE)
    page.get_by_role("button", name="Find a safe place").click()
    expect(user_bubbles(page)).to_have_text(["Find a safe place"])


@contextmanager
def another_site(page_html: str) -> Iterator[str]:
    """Serves one page from its own origin on 127.0.0.1; yields its URL.

    A real server, not a routed request: Chromium lets only a page that itself came
    from this machine load scripts from 127.0.0.1.
    """

    class HostPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page_html.encode()
            self.send_response(200)
            # No charset, as on many older sites: the browser then guesses.
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), HostPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_one_script_tag_and_a_config_object_embed_the_widget_elsewhere(
    open_page: Callable[..., Page], page_url: str, fake_rasa: FakeRasaSocket
) -> None:
    host_page = f"""<!doctype html><html lang="en"><head><title>Another site</title>
<script>window.TendConfig = {{serverUrl: "{fake_rasa.url}",
  contacts: {{crisis: "the Embed Crisis Line on 0800 222 333"}},
  colors: {{accent: "#5a4b8a"}}}};</script>
<script src="{page_url}/static/tend-widget.js"></script></head>
<body><h1>Another site</h1></body></html>"""
    page = open_page()
    with another_site(host_page) as url:
        page.goto(url)
    launcher = page.get_by_role("button", name="Talk with Tend")
    expect(launcher).to_be_visible()
    widget = page.locator(".tend-widget")
    expect(widget).to_have_css("position", "fixed")  # its stylesheet loaded itself
    assert (
        widget.evaluate("el => getComputedStyle(el).getPropertyValue('--tend-accent')")
        == "#5a4b8a"
    )

    launcher.click()
    message_box = page.get_by_label("Your message to Tend")
    expect(message_box).to_be_focused()
    # The host page declares no charset: the widget's own text must survive that.
    expect(message_box).to_have_attribute("placeholder", "Write a message\u2026")
    greeted_session(page, fake_rasa)  # the socket.io client loaded itself too
    page.get_by_role("button", name="Need help now?").click()
    expect(page.get_by_role("region", name="Need help now?")).to_contain_text(
        "the Embed Crisis Line on 0800 222 333"
    )
    page.keyboard.press("Escape")  # closes help
    page.keyboard.press("Escape")  # closes the chat
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
