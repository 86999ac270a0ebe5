"""Nothing a person writes reaches the logs at INFO: marker text down every path.

The shared stack (`LOG_LEVEL=INFO`) gets messages carrying a marker word on every path a
message can take: the greeting, a feeling (through the action server), a crisis, a
message over the size limit, typed `/intent{...}` syntax, a REST body of the wrong
shape, socket.io, a client that hangs up before its reply, and a flow while the
action server is down. The marker must not appear in the Rasa server's log or the
action server's log. When it does, the failure shows the log lines, which name the
component that wrote them.
"""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.integration.socket_chat import SocketChat
from tests.integration.stack import TendStack

MARKER = "tendmarker"  # a word no log line has any other reason to contain


def marked(text: str) -> str:
    return text.replace("@", f"{MARKER}{uuid.uuid4().hex[:6]}")


def lines_with_marker(log: Path) -> list[str]:
    text = log.read_text(errors="replace") if log.exists() else ""
    return [line for line in text.splitlines() if MARKER in line.lower()]


def post_body(stack: TendStack, body: object) -> int:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def hang_up_before_the_reply(stack: TendStack, text: str, wait: float) -> None:
    """Sends a message and leaves after `wait` seconds, as a closed browser tab does."""
    address = urlsplit(stack.rasa_url)
    body = json.dumps({"sender": f"logs-{uuid.uuid4().hex[:8]}", "message": text})
    request = (
        "POST /webhooks/rest/webhook HTTP/1.1\r\n"
        f"Host: {address.netloc}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body.encode())}\r\nConnection: close\r\n\r\n{body}"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(request.encode())
        conn.settimeout(wait)
        with contextlib.suppress(TimeoutError):  # the person gave up waiting
            conn.recv(1)


@pytest.fixture
def stack(tend_stack: TendStack) -> TendStack:
    """The shared stack: its log holds every other test's traffic too, so a leak
    from any of them is caught here as well."""
    return tend_stack


def test_a_reply_nobody_waited_for_logs_no_text(stack: TendStack) -> None:
    # Rasa's REST channel logs the message of a cancelled request at ERROR.
    cancelled = "rest.message.received.timeout"

    def cancels_logged() -> int:
        return stack.rasa.log_path.read_text(errors="replace").count(cancelled)

    before = cancels_logged()
    for wait in (0.05, 0.1, 0.2, 0.4, 0.8, 1.6):
        hang_up_before_the_reply(stack, marked("i feel so lonely today @ " * 80), wait)
        stack.send(f"logs-{uuid.uuid4().hex[:8]}", "hello")  # the cancel is logged
        if cancels_logged() > before:
            break
    else:
        pytest.fail(f"Rasa never cancelled a reply, so {cancelled} was not checked")
    leaked = lines_with_marker(stack.rasa.log_path)
    assert not leaked, "message text in rasa.log:\n" + "\n".join(leaked[:20])


async def test_no_message_text_reaches_the_logs_at_info(stack: TendStack) -> None:
    sender = f"logs-{uuid.uuid4().hex[:8]}"
    replies = [
        stack.send(sender, marked("hello @")),
        stack.send(sender, marked("i feel lonely and @ today")),
        stack.send(sender, marked("when I was seven, @")),
        stack.send(f"{sender}-crisis", marked("i want to kill myself @")),
        stack.send(f"{sender}-long", marked("@ " * 3000)),
        stack.send(f"{sender}-typed", marked('/greet{"name": "@"}')),
    ]
    assert all(replies), "every message above should have been answered"
    assert post_body(stack, {"sender": sender, "message": [marked("@")]}) == 400

    async with SocketChat(stack.rasa_url) as chat:
        answered = await chat.say(
            {"message": marked("i feel sad @"), "session_id": chat.session_id}
        )
    assert answered

    stack.stop_actions()
    try:
        stack.send(f"{sender}-down", "hello")
        stack.send(f"{sender}-down", marked("i feel ashamed @"))
    finally:
        stack.start_actions()  # the stack is shared

    assert stack.actions is not None
    for log in (stack.rasa.log_path, stack.actions.log_path):
        leaked = lines_with_marker(log)
        assert not leaked, f"message text in {log.name}:\n" + "\n".join(leaked[:20])
