"""Nothing a person writes reaches the logs at INFO: marker text down every path.

One stack with `LOG_LEVEL=INFO` gets messages carrying a marker word on every path a
message can take: the greeting, a feeling (through the action server), a crisis, a
message over the size limit, typed `/intent{...}` syntax, a REST body of the wrong
shape, socket.io, and a flow while the action server is down. The marker must not
appear in the Rasa server's log or the action server's log. When it does, the
failure shows the log lines, which name the component that wrote them.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.socket_chat import SocketChat
from tests.integration.stack import TendStack

# Scale-out and fault tests: not yet verified end to end in a clean run, so left
# out of `make test`; run with `make test-slow` (issue 11 is open).
pytestmark = pytest.mark.slow

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


async def test_no_message_text_reaches_the_logs_at_info(
    stack_factory: Callable[..., TendStack],
) -> None:
    stack = stack_factory({"LOG_LEVEL": "INFO"})
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
    stack.send(f"{sender}-down", "hello")
    stack.send(f"{sender}-down", marked("i feel ashamed @"))

    assert stack.actions is not None
    for log in (stack.rasa.log_path, stack.actions.log_path):
        leaked = lines_with_marker(log)
        assert not leaked, f"message text in {log.name}:\n" + "\n".join(leaked[:20])
