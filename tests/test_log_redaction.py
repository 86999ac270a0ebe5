"""Rasa's structured log events lose what people wrote at INFO and above."""

from __future__ import annotations

import pytest
import rasa.utils.log_utils as log_utils

from bot.log_redaction import REDACTED, install_log_redaction, redact_personal_fields


@pytest.mark.parametrize("level", ["info", "warning", "error", "exception"])
def test_message_text_is_redacted_at_info_and_above(level: str) -> None:
    event = {"event": "rest.message.received.timeout", "text": "i feel so alone"}
    redacted = redact_personal_fields(None, level, event)
    assert redacted == {"event": "rest.message.received.timeout", "text": REDACTED}


def test_debug_keeps_the_text_for_developers() -> None:
    event = {"event": "processor.message.parse", "parse_data_text": "hello"}
    assert redact_personal_fields(None, "debug", dict(event)) == event


def test_other_fields_are_left_alone() -> None:
    event = {"event": "x", "sender_id": "abc", "intent": "greet", "user_text": "hi"}
    redacted = redact_personal_fields(None, "error", event)
    assert redacted["intent"] == "greet"
    assert redacted["user_text"] == REDACTED


def test_installing_puts_the_redaction_where_rasa_looks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(log_utils, "_anonymizer", log_utils._anonymizer)
    install_log_redaction()
    install_log_redaction()  # twice is harmless
    event = log_utils._anonymizer(None, "error", {"event": "e", "text": "secret"})
    assert event["text"] == REDACTED
