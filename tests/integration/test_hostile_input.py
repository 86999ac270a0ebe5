"""Odd and hostile input on every channel: a kind reply or a 4xx, and Tend goes on.

Every channel runs against the shared `tend_stack`, whose Telegram webhook talks to
the shared fake Bot API (skipped, with the reason, when credentials.yml does not
name the Telegram channel). No case may crash a server or show a client a stack
trace, and every test ends by checking the server still answers a plain "hello".
"""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import PROJECT_ROOT
from tests.integration.fake_telegram import SECRET
from tests.integration.socket_chat import SocketChat
from tests.integration.stack import TendStack

CRISIS_CONTACT = "the Test Crisis Line on 0800 000 111"
MAX_MESSAGE_CHARS = 4000  # the default; tests/integration/stack.py does not change it
LEAKS = ("Traceback", "Exception", 'File "/', "sanic", "rasa.")

# Text that must get an ordinary, kind reply on any channel.
ODD_TEXT = {
    "empty": "",
    "whitespace": " \t\n  ",
    "emoji_only": "😢💔🙂👩‍👩‍👧‍👦",
    "right_to_left": "أشعر بالوحدة اليوم",
    "right_to_left_override": "\u202eI feel sad\u202c",
    "control_characters": "\x00\x01\x07\x1b[31mhello\x7f\x9b",
    "combining_marks": "h\u0337\u0334e\u0335l\u0336lo\u0301\u0301\u0301",
    "html_and_script": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "sql": "'; DROP TABLE events; -- ",
    "typed_intent_with_slots": '/greet{"crisis_escalated": true, "young_person": true}',
    "typed_restart": "/restart",
    "typed_session_start": "/session_start",
    "just_within_the_limit": "I feel tired. " * (MAX_MESSAGE_CHARS // 14),
}


def new_sender() -> str:
    return f"hostile-{uuid.uuid4().hex[:10]}"


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(str(reply.get("text", "")) for reply in replies)


def assert_kind_reply(replies: list[dict[str, Any]]) -> None:
    assert replies, "no reply at all"
    said = text_of(replies)
    assert said.strip() or any(r.get("buttons") for r in replies)
    for leak in LEAKS:
        assert leak not in said, f"{leak!r} reached the person: {said!r}"


def post_raw(
    stack: TendStack, body: bytes, content_type: str = "application/json"
) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": content_type},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(errors="replace")


def assert_still_serving(stack: TendStack) -> None:
    replies = stack.send(new_sender(), "hello")
    assert "not a therapist" in text_of(replies).lower()


# REST


@pytest.mark.parametrize("text", ODD_TEXT.values(), ids=ODD_TEXT.keys())
def test_odd_text_over_rest_gets_a_kind_reply(tend_stack: TendStack, text: str) -> None:
    replies = tend_stack.send(new_sender(), text)
    assert_kind_reply(replies)
    assert "a lot to take in at once" not in text_of(replies)


def test_typed_restart_does_not_wipe_the_conversation(tend_stack: TendStack) -> None:
    sender = new_sender()
    tend_stack.send(sender, "hello")
    tend_stack.send(sender, "/restart")
    events = tend_stack.tracker(sender)["events"]
    assert not [e for e in events if e["event"] == "restart"]
    said = [e["text"] for e in events if e["event"] == "user"]
    assert len(said) == 2
    assert said[0] == "hello"


def test_a_message_over_the_limit_gets_a_friendly_note_and_is_not_stored(
    tend_stack: TendStack,
) -> None:
    sender = new_sender()
    tend_stack.send(sender, "hello")
    replies = tend_stack.send(sender, "I need to tell you everything. " * 3400)
    said = text_of(replies)
    assert len(replies) == 1
    assert f"up to {MAX_MESSAGE_CHARS} characters" in said
    assert CRISIS_CONTACT in said
    users = [e for e in tend_stack.tracker(sender)["events"] if e["event"] == "user"]
    assert [e["text"] for e in users] == ["hello"]
    assert_still_serving(tend_stack)


@pytest.mark.parametrize(
    "body",
    [
        b'{"sender": "someone", "message": "\xff\xfe not utf-8"}',
        b"this is not json",
        b'{"sender": "someone", "message": ',
        b"[" * 100_000 + b"]" * 100_000,
        b"",
    ],
    ids=["invalid_utf8", "not_json", "cut_off_json", "deeply_nested", "empty_body"],
)
def test_an_unreadable_rest_body_is_a_bad_request(
    tend_stack: TendStack, body: bytes
) -> None:
    status, answer = post_raw(tend_stack, body)
    assert status == 400
    assert "Traceback" not in answer
    assert_still_serving(tend_stack)


@pytest.mark.parametrize(
    "body",
    [
        [1, 2, 3],
        "hello",
        {"sender": "someone"},
        {"sender": "someone", "message": ["hi"]},
        {"sender": "someone", "message": {"text": "hi"}},
        {"sender": "someone", "message": 12},
        {"message": "hi"},
        {"sender": {"id": 1}, "message": "hi"},
        {"sender": "someone", "message": "hi", "metadata": "not an object"},
    ],
    ids=[
        "list",
        "string",
        "no_message",
        "message_list",
        "message_object",
        "message_number",
        "no_sender",
        "sender_object",
        "metadata_string",
    ],
)
def test_json_of_the_wrong_shape_is_a_bad_request_in_plain_words(
    tend_stack: TendStack, body: object
) -> None:
    status, answer = post_raw(tend_stack, json.dumps(body).encode())
    assert status == 400
    assert "Traceback" not in answer
    assert json.loads(answer)["message"].endswith(".")
    assert_still_serving(tend_stack)


def post_announcing(stack: TendStack, body: bytes) -> tuple[int, str]:
    """Sends the headers of a POST, reads the answer, and only then tries the body.
    (A client that writes the whole body first may meet a closed socket before it
    can read the refusal: a broken pipe in the client, not a fault of the server.)"""
    url = urllib.parse.urlsplit(f"{stack.rasa_url}/webhooks/rest/webhook")
    head = (
        f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((url.hostname, url.port), timeout=60) as conn:
        conn.sendall(head)
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := conn.recv(65536)):
            answer += chunk
        with contextlib.suppress(OSError):  # refused and closed, as it should be
            conn.sendall(body)
    status_line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    return int(status_line.split()[1]), answer.decode(errors="replace")


def test_huge_json_is_refused_before_it_is_read(tend_stack: TendStack) -> None:
    body = json.dumps({"sender": new_sender(), "message": "a" * 3_000_000}).encode()
    status, answer = post_announcing(tend_stack, body)
    assert status == 413
    assert "Traceback" not in answer
    assert_still_serving(tend_stack)


# socket.io


@pytest.mark.parametrize("text", ODD_TEXT.values(), ids=ODD_TEXT.keys())
async def test_odd_text_over_socketio_gets_a_kind_reply(
    tend_stack: TendStack, text: str
) -> None:
    async with SocketChat(tend_stack.rasa_url) as chat:
        replies = await chat.say({"message": text, "session_id": chat.session_id})
    assert_kind_reply(replies)


async def test_a_long_socketio_message_gets_the_friendly_note(
    tend_stack: TendStack,
) -> None:
    async with SocketChat(tend_stack.rasa_url) as chat:
        replies = await chat.say(
            {"message": "so much to say " * 7000, "session_id": chat.session_id}
        )
    assert CRISIS_CONTACT in text_of(replies)
    assert f"up to {MAX_MESSAGE_CHARS} characters" in text_of(replies)


async def test_socketio_data_of_the_wrong_shape_leaves_the_socket_working(
    tend_stack: TendStack,
) -> None:
    async with SocketChat(tend_stack.rasa_url) as chat:
        for data in [
            "just a string",
            [1, 2],
            42,
            None,
            {"message": ["hi"], "session_id": chat.session_id},
            {"message": {"a": 1}, "session_id": chat.session_id},
            {"message": "no session id"},
            {"message": "hi", "session_id": chat.session_id, "metadata": "{oops"},
        ]:
            await chat.client.emit("user_uttered", data)
        # Whatever came back for those, the same socket still has a conversation.
        replies = await chat.say({"message": "hello", "session_id": chat.session_id})
        while "not a therapist" not in text_of(replies).lower():
            replies = await chat.collect(timeout=60)
    assert_still_serving(tend_stack)


async def test_a_socketio_message_over_a_megabyte_does_not_stop_the_server(
    tend_stack: TendStack,
) -> None:
    async with SocketChat(tend_stack.rasa_url) as chat:
        await chat.client.emit(
            "user_uttered", {"message": "x" * 1_200_000, "session_id": chat.session_id}
        )
    async with SocketChat(tend_stack.rasa_url) as fresh:
        replies = await fresh.say({"message": "hello", "session_id": fresh.session_id})
    assert "not a therapist" in text_of(replies).lower()


# Telegram


def telegram_channel_configured() -> bool:
    credentials = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text())
    return any("telegram" in str(name).lower() for name in credentials or {})


@pytest.mark.skipif(
    not telegram_channel_configured(),
    reason="NOT run: credentials.yml does not name the Telegram channel yet "
    "(bot.channels.telegram.TelegramInput); REST and socket.io are covered.",
)
class TestTelegramWebhook:
    """Odd updates posted to the webhook as Telegram would post them."""

    # The shared stack's Telegram webhook, on the shared fake Bot API: chat ids 7000+.
    @pytest.fixture
    def stack(self, tend_stack: TendStack) -> TendStack:
        return tend_stack

    @pytest.fixture
    def telegram(self, fake_telegram: Any) -> Any:
        return fake_telegram

    def post(self, stack: TendStack, update: object) -> int:
        request = urllib.request.Request(
            f"{stack.rasa_url}/webhooks/telegram/webhook",
            data=json.dumps(update).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": SECRET,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            return refused.code

    def reply_to(self, telegram: Any, stack: TendStack, chat_id: int, text: Any) -> str:
        from tests.integration.fake_telegram import message_update

        before = len(telegram.calls("sendMessage", str(chat_id)))
        update = message_update(telegram.next_update_id(), chat_id, text=text)
        assert self.post(stack, update) == 200
        calls = telegram.wait_for_calls(
            "sendMessage", str(chat_id), count=before + 1, timeout=90
        )
        return calls[before].text

    @pytest.mark.parametrize(
        "text",
        [
            ODD_TEXT["right_to_left"],
            ODD_TEXT["control_characters"],
            ODD_TEXT["html_and_script"],
            ODD_TEXT["typed_restart"],
        ],
        ids=["right_to_left", "control_characters", "html_and_script", "restart"],
    )
    def test_odd_text_gets_a_kind_reply(
        self, stack: TendStack, telegram: Any, text: str
    ) -> None:
        said = self.reply_to(telegram, stack, 7_000 + len(text), text)
        assert said.strip()
        assert "Traceback" not in said

    def test_a_long_message_gets_the_friendly_note(
        self, stack: TendStack, telegram: Any
    ) -> None:
        said = self.reply_to(telegram, stack, 7_100, "all of it " * 10_000)
        assert CRISIS_CONTACT in said

    @pytest.mark.parametrize(
        "update",
        [
            {"update_id": 9_001},
            {"update_id": 9_002, "message": "not an object"},
            {"update_id": 9_003, "message": {"text": "hi"}},
            {"update_id": 9_004, "message": {"chat": {"id": 7_200}, "text": ["hi"]}},
        ],
        ids=["no_message", "message_string", "no_chat", "text_list"],
    )
    def test_an_update_of_the_wrong_shape_does_no_harm(
        self, stack: TendStack, telegram: Any, update: dict[str, Any]
    ) -> None:
        assert self.post(stack, update) in {200, 400}
        said = self.reply_to(telegram, stack, update["update_id"], "hello")
        assert "not a therapist" in said.lower()


# Who can reach what


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses a local socket listens on for `port` (from /proc/net/tcp)."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        host_hex, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            octets = bytes.fromhex(host_hex)[::-1]
            addresses.add(".".join(str(octet) for octet in octets))
    return addresses


@pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="NOT run: needs Linux /proc/net/tcp"
)
def test_the_action_server_listens_only_on_the_bind_host(tend_stack: TendStack) -> None:
    # Anyone who reaches the action server can run "export my data" for anyone.
    port = int(tend_stack.action_url.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"127.0.0.1"}
