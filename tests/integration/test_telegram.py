"""Tend on Telegram end to end: the real Rasa server and model, a fake Bot API.

Updates are posted to `/webhooks/telegram/webhook` exactly as Telegram posts them (or
served from the fake's `getUpdates` in polling mode); Tend's answers are read from the
calls the fake Telegram server recorded. Assertions use stable markers (the configured
contacts, the feeling word, the channel's own notes), not whole sentences.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram import NON_TEXT_REPLY
from bot.config import PROJECT_ROOT
from tests.integration.fake_telegram import (
    BOT_USERNAME,
    SECRET,
    FakeTelegram,
    RecordedCall,
    message_update,
    press_update,
    telegram_env,
)
from tests.integration.stack import TelegramStack, TendStack

# Chat ids 5001-5099 here; other modules use other ids on the shared fake and stack.
WAIT_SECONDS = 90.0


def text_update(
    fake: FakeTelegram, chat_id: int, text: str, chat_type: str = "private"
) -> dict[str, Any]:
    return message_update(fake.next_update_id(), chat_id, chat_type, text=text)


def post_to_webhook(
    stack: TendStack, body: bytes | dict[str, Any], secret: str | None = SECRET
) -> tuple[int, str]:
    """POSTs like Telegram does; returns the status and body of the answer."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/telegram/webhook", data=data, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def keyboard_of(call: RecordedCall) -> list[dict[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def replies_to(fake: FakeTelegram, chat_id: int) -> list[RecordedCall]:
    return fake.calls("sendMessage", str(chat_id))


def wait_for_reply(
    fake: FakeTelegram,
    chat_id: int,
    matches: Callable[[RecordedCall], bool],
    what: str,
) -> RecordedCall:
    """The first reply to `chat_id` that `matches`, waiting for it if needed."""
    calls = fake.wait_for(
        lambda calls: any(
            c.method == "sendMessage" and c.chat_id == str(chat_id) and matches(c)
            for c in calls
        ),
        WAIT_SECONDS,
        what,
    )
    return next(
        c
        for c in calls
        if c.method == "sendMessage" and c.chat_id == str(chat_id) and matches(c)
    )


def user_texts(stack: TendStack, chat_id: int) -> list[str]:
    events = stack.tracker(str(chat_id)).get("events", [])
    return [event.get("text") for event in events if event.get("event") == "user"]


def wait_for_user_text(stack: TendStack, chat_id: int, text: str) -> list[str]:
    """Polls Rasa's tracker (bounded) until `text` was received from the chat."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        texts = user_texts(stack, chat_id)
        if text in texts:
            return texts
        time.sleep(0.25)  # interval between checks of the condition, not a fixed wait
    raise AssertionError(f"Tend never received {text!r} from chat {chat_id}")


def greet(stack: TendStack, fake: FakeTelegram, chat_id: int) -> RecordedCall:
    """Sends /start and returns the greeting that carries the menu buttons."""
    assert post_to_webhook(stack, text_update(fake, chat_id, "/start"))[0] == 200
    return wait_for_reply(
        fake, chat_id, lambda c: bool(keyboard_of(c)), "the greeting's menu buttons"
    )


def press(
    stack: TendStack, fake: FakeTelegram, chat_id: int, data: str
) -> RecordedCall:
    """Presses a button; returns Telegram's answerCallbackQuery for the press."""
    update = press_update(fake.next_update_id(), chat_id, data)
    assert post_to_webhook(stack, update)[0] == 200
    query_id = update["callback_query"]["id"]
    fake.wait_for(
        lambda calls: any(
            c.method == "answerCallbackQuery"
            and c.params.get("callback_query_id") == query_id
            for c in calls
        ),
        WAIT_SECONDS,
        "the answer to the button press",
    )
    return next(
        c
        for c in fake.calls("answerCallbackQuery")
        if c.params["callback_query_id"] == query_id
    )


class TestWebhook:
    """The shared stack, whose Telegram channel is in webhook mode on the fake."""

    @pytest.fixture
    def stack(self, tend_stack: TendStack) -> TendStack:
        return tend_stack

    def test_start_greets_with_the_menu_as_inline_buttons(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        greeting = greet(stack, fake_telegram, 5001)
        buttons = keyboard_of(greeting)
        assert all(0 < len(b["callback_data"].encode()) <= 64 for b in buttons)
        assert all(
            "parse_mode" not in c.params for c in replies_to(fake_telegram, 5001)
        )

    def test_a_button_press_is_answered_and_tend_replies(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        greeting = greet(stack, fake_telegram, 5002)
        replies_before = len(replies_to(fake_telegram, 5002))
        press(stack, fake_telegram, 5002, keyboard_of(greeting)[0]["callback_data"])
        fake_telegram.wait_for(
            lambda _: len(replies_to(fake_telegram, 5002)) > replies_before,
            WAIT_SECONDS,
            "Tend's reply to the button press",
        )

    def test_a_feeling_is_reflected_in_the_check_in(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        greeting = greet(stack, fake_telegram, 5003)
        check_in = [b for b in keyboard_of(greeting) if "checkin" in b["callback_data"]]
        assert check_in, f"no check-in button in {keyboard_of(greeting)}"
        replies_before = len(replies_to(fake_telegram, 5003))
        press(stack, fake_telegram, 5003, check_in[0]["callback_data"])
        fake_telegram.wait_for(
            lambda _: len(replies_to(fake_telegram, 5003)) > replies_before,
            WAIT_SECONDS,
            "the check-in question",
        )
        update = text_update(fake_telegram, 5003, "I feel so sad today")
        assert post_to_webhook(stack, update)[0] == 200
        wait_for_reply(
            fake_telegram, 5003, lambda c: "sad" in c.text.lower(), "the reflection"
        )

    def test_a_crisis_message_gets_the_crisis_contact(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        update = text_update(fake_telegram, 5004, "I want to kill myself")
        assert post_to_webhook(stack, update)[0] == 200
        wait_for_reply(
            fake_telegram,
            5004,
            lambda c: stack.env["CRISIS_CONTACT"] in c.text,
            "the escalation naming the crisis contact",
        )

    def test_sos_gets_the_contacts_from_the_channel(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        assert (
            post_to_webhook(stack, text_update(fake_telegram, 5005, "/sos"))[0] == 200
        )
        reply = wait_for_reply(
            fake_telegram,
            5005,
            lambda c: stack.env["CRISIS_CONTACT"] in c.text,
            "the SOS contacts",
        )
        assert stack.env["THERAPIST_CONTACT"] in reply.text

    @pytest.mark.parametrize("secret", [None, "not-the-secret"])
    def test_a_call_without_the_right_secret_is_refused(
        self, stack: TendStack, fake_telegram: FakeTelegram, secret: str | None
    ) -> None:
        update = text_update(fake_telegram, 5006, "hello")
        status, _ = post_to_webhook(stack, update, secret=secret)
        assert status == 403
        assert user_texts(stack, 5006) == []

    def test_a_body_that_is_not_json_is_a_bad_request(self, stack: TendStack) -> None:
        assert post_to_webhook(stack, b"{not json")[0] == 400

    def test_a_retried_update_reaches_tend_once(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        first = text_update(fake_telegram, 5007, "hello")
        assert post_to_webhook(stack, first) == (200, "OK")
        assert post_to_webhook(stack, first) == (200, "Duplicate update ignored.")
        later = text_update(fake_telegram, 5007, "thank you")
        assert post_to_webhook(stack, later)[0] == 200
        # One chat's updates are handled in order: once "thank you" is in, a second
        # "hello" would be too.
        assert wait_for_user_text(stack, 5007, "thank you") == ["hello", "thank you"]

    def test_a_voice_message_gets_the_text_only_note(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        update = message_update(
            fake_telegram.next_update_id(), 5008, voice={"file_id": "v", "duration": 4}
        )
        assert post_to_webhook(stack, update)[0] == 200
        wait_for_reply(
            fake_telegram, 5008, lambda c: c.text == NON_TEXT_REPLY, "the note"
        )
        assert user_texts(stack, 5008) == []

    def test_a_group_chat_is_declined_and_nothing_is_stored(
        self, stack: TendStack, fake_telegram: FakeTelegram
    ) -> None:
        group = -5009
        update = text_update(fake_telegram, group, "hello everyone", "group")
        assert post_to_webhook(stack, update)[0] == 200
        wait_for_reply(
            fake_telegram,
            group,
            lambda c: f"https://t.me/{BOT_USERNAME}" in c.text,
            "the note pointing to a private chat",
        )
        assert user_texts(stack, group) == []


def test_without_a_token_the_webhook_is_off(stack_without_actions: TendStack) -> None:
    status, note = post_to_webhook(stack_without_actions, {"update_id": 1})
    assert status == 404
    assert "TELEGRAM_TOKEN" in note


def test_a_conversation_works_by_long_polling(polling_stack: TelegramStack) -> None:
    fake = polling_stack.fake
    fake.wait_for_calls("deleteWebhook", timeout=WAIT_SECONDS)
    fake.queue_update(text_update(fake, 6001, "/start"))
    greeting = wait_for_reply(
        fake, 6001, lambda c: bool(keyboard_of(c)), "the greeting by polling"
    )
    data = keyboard_of(greeting)[0]["callback_data"]
    update = press_update(fake.next_update_id(), 6001, data)
    fake.queue_update(update)
    fake.wait_for_calls("answerCallbackQuery", timeout=WAIT_SECONDS)
    fake.wait_for(
        lambda _: len(replies_to(fake, 6001)) > 1, WAIT_SECONDS, "a second reply"
    )


def run_webhook_command(
    fake: FakeTelegram, tmp_path: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    settings_env = {
        **telegram_env(fake, "webhook"),
        "TELEGRAM_WEBHOOK_URL": "https://tend.example.org/webhooks/telegram/webhook",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.telegram_webhook", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "TEND_ENV_FILE": str(tmp_path / "none.env"), **settings_env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_webhook_command_registers_url_secret_and_update_kinds(
    tmp_path: Path,
) -> None:
    with FakeTelegram() as fake:
        done = run_webhook_command(fake, tmp_path, "--drop-pending-updates")
        assert done.returncode == 0, done.stderr
        [call] = fake.calls("setWebhook")
    assert call.params == {
        "url": "https://tend.example.org/webhooks/telegram/webhook",
        "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query"],
        "drop_pending_updates": True,
    }
    assert fake.token not in done.stdout + done.stderr


def test_the_webhook_command_names_a_missing_url(tmp_path: Path) -> None:
    with FakeTelegram() as fake:
        done = run_webhook_command(fake, tmp_path, TELEGRAM_WEBHOOK_URL="")
        assert fake.calls() == []
    assert done.returncode == 2
    assert "TELEGRAM_WEBHOOK_URL" in done.stderr
