"""Keeps people's words out of Rasa's structured log lines at INFO and above.

Rasa 3.6 attaches the message text to a few of its own log events at ERROR, most
visibly the REST channel's `rest.message.received.timeout`, written whenever a
client goes away before its reply is ready (a closed tab, a timeout), and
`rest.message.received.failure`. Rasa passes every structured log event through
`rasa.utils.log_utils._anonymizer` first; `install_log_redaction()` puts Tend's
redaction in its place before Rasa configures logging, so at INFO and above the
fields that can hold what someone wrote read "[redacted]". DEBUG keeps them (Rasa's
DEBUG logs are full of messages anyway: never run production at DEBUG).

Installed by `bot/server.py` before Rasa starts.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

REDACTED = "[redacted]"

# The fields Rasa's own anonymizer treats as personal (rasa/utils/log_utils.py).
PERSONAL_FIELDS = frozenset(
    {
        "text", "response_text", "user_text", "slot_values", "parse_data_text",
        "parse_data_entities", "prediction_events", "tracker_latest_message",
        "prefilled_slots", "message", "response", "slot_candidates", "rasa_event",
        "rasa_events", "tracker_states", "current_states", "old_states",
        "successes", "current_entity", "next_entity", "states", "entity",
        "token_text", "user_message", "json_message",
    }
)  # fmt: skip

EventDict = MutableMapping[str, Any]
Processor = Callable[[Any, str, EventDict], EventDict]


def redact_personal_fields(
    logger: Any, method_name: str, event_dict: EventDict
) -> EventDict:
    """A structlog processor: personal fields become "[redacted]" above DEBUG."""
    if method_name != "debug":
        for key in PERSONAL_FIELDS & event_dict.keys():
            event_dict[key] = REDACTED
    return event_dict


def install_log_redaction() -> None:
    """Makes Rasa's structured logging redact personal fields (call before Rasa)."""
    import rasa.utils.log_utils as log_utils

    rasa_anonymizer: Processor = log_utils._anonymizer
    if getattr(rasa_anonymizer, "_tend_redacting", False):
        return

    def anonymize_then_redact(
        logger: Any, method_name: str, event_dict: EventDict
    ) -> EventDict:
        event_dict = rasa_anonymizer(logger, method_name, event_dict)
        return redact_personal_fields(logger, method_name, event_dict)

    anonymize_then_redact._tend_redacting = True  # type: ignore[attr-defined]
    log_utils._anonymizer = anonymize_then_redact  # type: ignore[assignment]
