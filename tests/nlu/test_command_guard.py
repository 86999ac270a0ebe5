"""Tests for bot/nlu/command_guard.py: typed Rasa syntax cannot steer Tend."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.command_guard import CommandSyntaxGuard, guard_command_syntax

BUTTONS = frozenset({"greet", "start_checkin", "affirm"})


@pytest.mark.parametrize("payload", ["/greet", "/start_checkin", "  /affirm  "])
def test_allowed_button_payload_passes(payload: str) -> None:
    assert guard_command_syntax(payload, BUTTONS) == payload.strip()


@pytest.mark.parametrize(
    ("typed", "seen_by_nlu"),
    [
        ("/crisis", "crisis"),
        ('/greet{"crisis_category": null}', 'greet{"crisis_category": null}'),
        ("/restart", "restart"),
        ("//greet", "greet"),
        ("/affirm@0.3", "affirm@0.3"),
        ("/ i want to die", "i want to die"),
        (
            '/inform{"safety_plan": ["utter_greet"]}',
            'inform{"safety_plan": ["utter_greet"]}',
        ),
    ],
)
def test_other_slash_text_becomes_plain_text(typed: str, seen_by_nlu: str) -> None:
    assert guard_command_syntax(typed, BUTTONS) == seen_by_nlu


def test_ordinary_text_is_untouched() -> None:
    assert guard_command_syntax("hello /greet", BUTTONS) == "hello /greet"


def test_component_rewrites_messages_in_place() -> None:
    guard = CommandSyntaxGuard({"button_intents": ["greet"]})
    messages = [Message({TEXT: "/greet"}), Message({TEXT: "/sos{}"}), Message({})]
    guard.process(messages)
    assert [m.get(TEXT) for m in messages] == ["/greet", "sos{}", None]
