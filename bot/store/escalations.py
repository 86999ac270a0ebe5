"""Which crisis answers a turn gave, read from the conversation's new events.

The Rasa server's tracker store records them (`EncryptedSQLTrackerStore.save`) in
the same transaction as the events, so an escalation record needs no extra action,
no action server and no time before the reply: the person's help is never held up
by the record, and the record is kept even when the action server is down.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot.policies.safety import CRISIS_REPLY, SLOT_CATEGORY

# What Tend's crisis answer is recorded as (the `kind` column).
CRISIS_KIND = "crisis"


@dataclass(frozen=True)
class GivenEscalation:
    """One crisis answer: the category it was given for and the message it answered."""

    category: str
    channel: str
    message_text: str | None


def escalations_in(
    new_events: Iterable[Event],
    category_before: str | None,
    channel_before: str | None,
) -> list[GivenEscalation]:
    """The crisis answers among `new_events`, in order.

    `category_before` and `channel_before` are what the conversation held before
    these events (the slot and the latest input channel), used until the events
    themselves set them.
    """
    category, channel, text = category_before, channel_before, None
    given: list[GivenEscalation] = []
    for event in new_events:
        if isinstance(event, UserUttered):
            channel = event.input_channel or channel
            text = event.text
        elif isinstance(event, SlotSet) and event.key == SLOT_CATEGORY:
            category = event.value
        elif isinstance(event, ActionExecuted) and event.action_name == CRISIS_REPLY:
            given.append(
                GivenEscalation(
                    category=category or "unknown",
                    channel=channel or "unknown",
                    message_text=text,
                )
            )
    return given
