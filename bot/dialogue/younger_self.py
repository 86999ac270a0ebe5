"""Meeting the younger self: reading the age someone picks and what that child needed.

The person chooses an age (1 to 17), says what that child felt and what they needed
most; Tend offers kind words that fit the need (the `utter_ask_words_to_child`
variations in domain.yml, one per need below) and invites the person to write their own.
"""

from __future__ import annotations

import re

MIN_AGE = 1
MAX_AGE = 17

# Why an age answer can't be used yet; each has its own kind reply in domain.yml.
NOT_A_NUMBER = "not_a_number"
TOO_YOUNG = "too_young"
TOO_OLD = "too_old"

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    # Ages people give as a stage of life rather than a number.
    "baby": 1,
    "toddler": 2,
}
_DIGITS = re.compile(r"-?\d+")
_WORD = re.compile(r"[a-z]+")

# What a child may have needed, and the words that point to each. The keys are the
# values of the `child_need` slot; "own" means the person said it in their own words.
OWN_NEED = "own"
NEEDS: dict[str, re.Pattern[str]] = {
    "seen": re.compile(r"\b(seen|see me|notic\w*|visible|attention|matter\w*)\b"),
    "safe": re.compile(r"\b(safe\w*|protect\w*|secure)\b"),
    "comforted": re.compile(r"\b(comfort\w*|hug\w*|held|hold\w*|cudd\w*|sooth\w*)\b"),
    "not_to_blame": re.compile(r"\b(fault|blam\w*|guilt\w*|responsib\w*)\b"),
    "heard": re.compile(r"\b(heard|listen\w*|believ\w*|understood)\b"),
    "loved": re.compile(r"\b(lov\w*|wanted|accept\w*|belong\w*|cared)\b"),
    "play": re.compile(r"\b(play\w*|fun|carefree|be a kid|be a child)\b"),
}


def read_age(text: str | None) -> int | None:
    """The first age in the text ("7", "about seven", "a toddler"), or None."""
    lowered = (text or "").lower()
    digits = _DIGITS.search(lowered)
    if digits:
        return int(digits.group())
    for word in _WORD.findall(lowered):
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


def age_problem(age: int | None) -> str | None:
    """Why this age can't be used for the exercise, or None when it can."""
    if age is None:
        return NOT_A_NUMBER
    if age < MIN_AGE:
        return TOO_YOUNG
    if age > MAX_AGE:
        return TOO_OLD
    return None


def need_from_answer(text: str | None) -> str:
    """The need named first in the answer, or `own` for the person's own words."""
    lowered = (text or "").lower()
    found = [
        (match.start(), need)
        for need, words in NEEDS.items()
        if (match := words.search(lowered))
    ]
    return min(found)[1] if found else OWN_NEED
