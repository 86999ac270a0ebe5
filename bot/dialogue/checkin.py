"""The feelings check-in: name the feeling, or find it on the feelings wheel.

Someone who names what they feel hears it reflected back, then Tend asks when they
first felt this way as a child. Someone who can't name it picks one of the six
families of the wheel, then a finer word in it (both are buttons in domain.yml:
`utter_ask_feeling_family`, `utter_ask_wheel_feeling`). `checkin_steps` gives the
questions to ask; the other functions read an answer, typed or sent by a button.
`checkin_entries` turns the feelings named into what the check-in history keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.dialogue.reflection import FAMILIES, Feeling, family_of_feelings

# Stored as the answer when someone says they can't name the feeling.
NOT_SURE = "not sure"

# The history keeps how strong a feeling was on a 0-10 scale. People say it in
# words ("a bit sad", "really sad"), kept as these points on it; a feeling named
# plainly is kept without an intensity rather than with a guess.
INTENSITY_SCORES = {"mild": 3, "strong": 8}

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


@dataclass(frozen=True)
class CheckinEntry:
    """One feeling for the check-in history: the word, its family, 0-10 or None."""

    feeling: str
    family: str
    intensity: int | None = None


def checkin_entries(named: Iterable[Mapping[str, Any]]) -> list[CheckinEntry]:
    """The history entries for the `feelings_named` slot's records; a record
    without a word or with an unknown family is left out."""
    return [
        CheckinEntry(
            feeling=record["word"],
            family=record["family"],
            intensity=INTENSITY_SCORES.get(record.get("intensity") or ""),
        )
        for record in named
        if isinstance(record.get("word"), str)
        and record["word"]
        and record.get("family") in FAMILIES
    ]
