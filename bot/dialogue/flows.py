"""Which answers belong to which exercise, and what starting an exercise resets.

A form skips every slot that already holds a value, so an exercise done earlier would
be skipped the second time. `opening_slots` says what to clear (and sometimes set)
when a message opens an exercise; `action_begin_flow` applies it right before the form
starts. The slot names here are the ones in domain.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.dialogue.grounding import BREATHING_STEPS, SENSES_STEPS

CHECKIN_SLOTS = (
    "feelings_text",
    "feelings_unsure",
    "feelings_named",
    "feeling_family",
    "wheel_feeling",
    "first_felt_memory",
)
YOUNGER_SELF_SLOTS = ("younger_age", "child_feeling", "child_need", "words_to_child")
SAFE_PLACE_STEPS = (
    "safe_place_breathe",
    "safe_place_picture",
    "safe_place_notice",
    "safe_place_younger_self",
    "safe_place_comfort",
    "safe_place_goodbye",
)
LETTER_SLOTS = (
    "letter_part",
    "letter_finished",
    "letter_text",
    "letter_started",
    "letter_saved",
)
KINDNESS_SLOTS = ("kindness_kind", "kindness_plan")
GROUNDING_SLOTS = ("grounding_choice", *SENSES_STEPS, *BREATHING_STEPS)


@dataclass(frozen=True)
class FlowOpening:
    """What a message that opens an exercise does to the slots before it starts."""

    clears: tuple[str, ...]
    sets: Mapping[str, Any] = field(default_factory=dict)
    # The opening message is itself the first answer ("I feel lonely" opens the
    # check-in already answering "how are you feeling?").
    message_answers: str | None = None


# Keyed by the intent of the message that opens the exercise.
OPENINGS: dict[str, FlowOpening] = {
    "start_checkin": FlowOpening(CHECKIN_SLOTS),
    # "I don't know what I feel" goes straight to the feelings wheel.
    "dont_know_feeling": FlowOpening(CHECKIN_SLOTS, sets={"feelings_unsure": True}),
    "inform_feeling": FlowOpening(CHECKIN_SLOTS, message_answers="feelings_text"),
    "start_younger_self": FlowOpening(YOUNGER_SELF_SLOTS),
    "start_safe_place": FlowOpening(SAFE_PLACE_STEPS),
    "start_letter": FlowOpening(LETTER_SLOTS),
    "start_kindness": FlowOpening(KINDNESS_SLOTS),
    "start_grounding": FlowOpening(GROUNDING_SLOTS),
    "feeling_overwhelmed": FlowOpening(GROUNDING_SLOTS),
}


def opening_slots(intent: str | None, message_text: str | None) -> dict[str, Any]:
    """The slot values that give the exercise opened by `intent` a fresh start.

    An intent that opens no exercise changes nothing.
    """
    opening = OPENINGS.get(intent or "")
    if opening is None:
        return {}
    values: dict[str, Any] = dict.fromkeys(opening.clears)
    values.update(opening.sets)
    if opening.message_answers and message_text and message_text.strip():
        values[opening.message_answers] = message_text.strip()
    return values
