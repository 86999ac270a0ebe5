"""Kindness today: one small act of self-care, a boundary, or something joyful.

The person picks the kind of kindness (a button or their own words); the next
question gives examples that fit it (`utter_ask_kindness_plan` in domain.yml).
"""

from __future__ import annotations

import re

SELF_CARE = "self_care"
BOUNDARY = "boundary"
JOY = "joy"
# The person went straight to their own idea; the plain question fits it.
OWN = "own"
# Answers that are no plan at all ("I don't know", "no"): Tend gently asks again.
NOT_A_PLAN_INTENTS = frozenset({"dont_know_feeling", "deny"})

_KIND_WORDS: dict[str, re.Pattern[str]] = {
    SELF_CARE: re.compile(
        r"\b(self[ -]?care|car(e|ing)|look\w* after|rest\w*|nourish\w*)\b"
    ),
    BOUNDARY: re.compile(r"\b(boundar\w*|say\w* no|limit\w*|protect\w*)\b"),
    JOY: re.compile(r"\b(joy\w*|fun|happ\w*|delight\w*|play\w*|enjoy\w*)\b"),
}


def kind_from_answer(text: str | None) -> str:
    """Which kind of kindness the answer chose, or `own` when it names none."""
    lowered = (text or "").lower()
    found = [
        (match.start(), kind)
        for kind, words in _KIND_WORDS.items()
        if (match := words.search(lowered))
    ]
    return min(found)[1] if found else OWN
