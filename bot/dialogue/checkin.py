"""The feelings check-in: name the feeling, or find it on the feelings wheel.

Someone who names what they feel hears it reflected back, then Tend asks when they
first felt this way as a child. Someone who can't name it picks one of the six
families of the wheel, then a finer word in it (both are buttons in domain.yml:
`utter_ask_feeling_family`, `utter_ask_wheel_feeling`). `checkin_steps` gives the
questions to ask; the other functions read an answer, typed or sent by a button.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.dialogue.reflection import FAMILIES, Feeling, family_of_feelings

# Stored as the answer when someone says they can't name the feeling.
NOT_SURE = "not sure"

_WORD = re.compile(r"[a-z]+")


def checkin_steps(*, unsure: bool) -> list[str]:
    """The check-in's questions in order, given whether the wheel is needed."""
    if unsure:
        return ["feeling_family", "wheel_feeling", "first_felt_memory"]
    return ["feelings_text", "first_felt_memory"]


def family_from_answer(text: str | None, feelings: Sequence[Feeling]) -> str | None:
    """The wheel family someone chose: from the feelings they named, else a family
    name in the text ("sad", "mad"), else None."""
    family = family_of_feelings(feelings)
    if family is not None:
        return family
    words = set(_WORD.findall((text or "").lower()))
    chosen = [family for family in FAMILIES if family in words]
    return chosen[0] if len(chosen) == 1 else None
