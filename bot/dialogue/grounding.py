"""Grounding when someone feels overwhelmed: 5-4-3-2-1 with the senses, or slow breaths.

The person chooses one; `grounding_steps` lists the steps of that choice in order, so
the form asks them one at a time. Each step's words are the `utter_ask_<step>`
responses in domain.yml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SENSES = "senses"
BREATHING = "breathing"

# 5 things you see, 4 you can touch, 3 you hear, 2 you smell, 1 you taste.
SENSES_STEPS = (
    "grounding_see",
    "grounding_touch",
    "grounding_hear",
    "grounding_smell",
    "grounding_taste",
)
BREATHING_STEPS = (
    "grounding_breath_one",
    "grounding_breath_two",
    "grounding_breath_three",
)
STEPS = {SENSES: SENSES_STEPS, BREATHING: BREATHING_STEPS}

# Words that pick each exercise, as people type them or as the buttons send them.
_CHOICE_WORDS = {
    SENSES: re.compile(r"\b(sens\w*|5\W*4\W*3|five|notic\w*|first|1st)\b"),
    BREATHING: re.compile(r"\b(breath\w*|breth\w*|second|2nd|slow\w*)\b"),
}


def choice_from_answer(text: str | None) -> str | None:
    """`senses` or `breathing` from what the person wrote, or None when unclear."""
    lowered = (text or "").lower()
    chosen = [
        choice for choice, words in _CHOICE_WORDS.items() if words.search(lowered)
    ]
    return chosen[0] if len(chosen) == 1 else None


def grounding_steps(choice: str | None) -> list[str]:
    """The slots the grounding form asks for, in order: the choice, then its steps."""
    return ["grounding_choice", *STEPS.get(choice or "", ())]


def grounding_finished(slots: Mapping[str, Any]) -> bool:
    """Whether every step of the chosen exercise was answered."""
    steps = STEPS.get(slots.get("grounding_choice") or "")
    return bool(steps) and all(slots.get(step) is not None for step in steps)
