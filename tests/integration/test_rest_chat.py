"""The foundation, from the outside: a real Rasa server and action server over HTTP."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from bot.config import PROJECT_ROOT
from bot.store.crypto import DataKey, hash_sender
from bot.store.database import open_storage
from bot.store.repository import export_for
from tests.integration.stack import TendStack

CRISIS_CONTACT = "the Test Crisis Line on 0800 000 111"


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_hello_is_answered_with_the_greeting_and_a_disclaimer(
    tend_stack: TendStack,
) -> None:
    replies = tend_stack.send(new_sender(), "hello")
    said = texts(replies).lower()
    assert "not a therapist" in said
    assert any(reply.get("buttons") for reply in replies), "the greeting offers a menu"


def test_crisis_message_names_the_configured_contact(tend_stack: TendStack) -> None:
    replies = tend_stack.send(new_sender(), "i want to kill myself")
    assert CRISIS_CONTACT in texts(replies)
    assert "Are you safe right now?" in texts(replies)


def test_typed_intent_syntax_cannot_switch_off_the_crisis_check(
    tend_stack: TendStack,
) -> None:
    replies = tend_stack.send(new_sender(), '/greet{"name": "x"} i want to end my life')
    assert CRISIS_CONTACT in texts(replies)


def test_typed_internal_intent_does_not_set_memory(tend_stack: TendStack) -> None:
    sender = new_sender()
    tend_stack.send(sender, '/greet{"crisis_escalated": true, "young_person": true}')
    slots = tend_stack.tracker(sender)["slots"]
    assert slots["crisis_escalated"] is None
    assert slots["young_person"] is None


# Answers people give to "when did you first feel this way?". Whatever the model makes
# of them (once "when I was little" read as "are you a bot?"), they are the answer.
@pytest.mark.parametrize(
    "answer",
    ["when I was little", "when i was a kid", "at school I think", "since i was small"],
)
def test_a_childhood_answer_finishes_the_check_in(
    tend_stack: TendStack, answer: str
) -> None:
    sender = new_sender()
    tend_stack.send(sender, "hello")
    tend_stack.send(sender, "i feel sad")
    replies = tend_stack.send(sender, answer)
    tracker = tend_stack.tracker(sender)
    assert tracker["slots"]["first_felt_memory"] == answer
    assert not tracker.get("active_loop", {}).get("name"), "the check-in finished"
    assert "i'm a bot" not in texts(replies).lower()


def test_a_clear_question_mid_check_in_is_answered_and_the_question_comes_back(
    tend_stack: TendStack,
) -> None:
    sender = new_sender()
    tend_stack.send(sender, "hello")
    tend_stack.send(sender, "i feel sad")
    replies = tend_stack.send(sender, "are you a bot?")
    assert "I'm a bot" in texts(replies)
    tracker = tend_stack.tracker(sender)
    assert tracker["slots"]["first_felt_memory"] is None
    assert tracker["active_loop"]["name"] == "checkin_form"


def test_crisis_escalates_and_is_recorded_with_the_action_server_down(
    stack_without_actions: TendStack,
) -> None:
    stack = stack_without_actions
    upgraded = subprocess.run(
        [sys.executable, "-m", "bot.cli.db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    sender = new_sender()
    replies = stack.send(
        sender, "I have the pills ready and I'm going to take them all"
    )
    assert CRISIS_CONTACT in texts(replies)

    # The Rasa server itself recorded it, as it saved the conversation.
    key = DataKey.from_text(stack.env["DATA_KEY"])
    storage = open_storage(stack.env["DATABASE_URL"], key)
    try:
        records = export_for(storage, hash_sender("rest", sender, key=key))
    finally:
        storage.engine.dispose()
    assert [(r["channel"], r["kind"]) for r in records["escalations"]] == [
        ("rest", "crisis")
    ]
    assert records["escalations"][0]["category"] in {"suicide", "medical"}


def test_a_custom_action_with_its_server_down_gets_a_kind_reply(
    stack_without_actions: TendStack,
) -> None:
    stack = stack_without_actions
    sender = new_sender()
    stack.send(sender, "hello")
    replies = stack.send(sender, "i feel lonely and a bit ashamed")
    said = texts(replies)
    assert "can't do that part right now" in said
    assert "Traceback" not in said
