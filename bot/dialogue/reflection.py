"""Puts the feelings someone named back into words: "name it to tame it".

`reflect_feelings` gives one plain sentence ("It sounds like you feel lonely and a bit
ashamed."), using the person's own feeling words and never adding a diagnosis.
`family_of_feelings` says which family of feelings was named most, so a reply can be
chosen that fits it. `feelings_from_entities` reads the `feeling` entities that
`bot.nlu.feelings.FeelingsExtractor` adds to a message, so an action can use these
without loading spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# The order also settles ties in `family_of_feelings`: the harder feeling comes
# first, so a reply validates it before anything else.
FAMILIES = ("sad", "scared", "mad", "joyful", "powerful", "peaceful")
FEELING_ENTITY = "feeling"  # the entity FeelingsExtractor adds for each feeling
INTENSITY_WORDS = {"strong": "really", "mild": "a bit"}
# More than this many feelings in one sentence reads like a list, not a reflection.
MAX_NAMED = 4

# Lexicon words are written as the person would say them ("out of my depth");
# said back to them, they need "your".
_SECOND_PERSON = {"my": "your", "myself": "yourself", "me": "you"}
_WORD = re.compile(r"[a-z]+")
# What a feeling word from an entity may look like before Tend says it back.
_PLAIN_FEELING = re.compile(r"[a-z][a-z' -]{0,39}")


class Feeling(Protocol):
    """Anything naming a feeling: `FoundFeeling` from the matcher, or `NamedFeeling`."""

    @property
    def word(self) -> str: ...

    @property
    def family(self) -> str: ...

    @property
    def intensity(self) -> str | None: ...


@dataclass(frozen=True)
class NamedFeeling:
    """A feeling as read back from a message's entities."""

    word: str
    family: str
    intensity: str | None = None


def reflect_feelings(feelings: Sequence[Feeling]) -> str:
    """One sentence naming the feelings back, or "" when none were named.

    For example: "It sounds like you feel lonely and a bit ashamed."
    """
    named = [_say(word, intensity) for word, intensity in distinct_feelings(feelings)]
    if not named:
        return ""
    if len(named) > MAX_NAMED:
        return f"It sounds like you feel {_join(named[:MAX_NAMED])}, and more besides."
    return f"It sounds like you feel {_join(named)}."


def family_of_feelings(feelings: Sequence[Feeling]) -> str | None:
    """The family with the most different feelings named (harder feelings win ties)."""
    counts = {family: 0 for family in FAMILIES}
    seen: set[str] = set()
    for feeling in feelings:
        if feeling.family in counts and feeling.word not in seen:
            seen.add(feeling.word)
            counts[feeling.family] += 1
    most = max(counts.values())
    return next(family for family, n in counts.items() if n == most) if most else None


def feelings_from_entities(entities: Iterable[Mapping[str, Any]]) -> list[NamedFeeling]:
    """The `feeling` entities of a parsed message, in order.

    Anything malformed is skipped: these words are said back to the person, so only
    plain feeling words with a known family get through.
    """
    feelings = []
    for entity in entities:
        word = entity.get("value")
        family = entity.get("family")
        intensity = entity.get("intensity")
        if (
            entity.get("entity") == FEELING_ENTITY
            and isinstance(word, str)
            and _PLAIN_FEELING.fullmatch(word)
            and family in FAMILIES
            and (intensity is None or intensity in INTENSITY_WORDS)
        ):
            feelings.append(NamedFeeling(word, family, intensity))
    return feelings


def distinct_feelings(feelings: Sequence[Feeling]) -> list[tuple[str, str | None]]:
    """Each word once, in the order first named, at the strongest intensity given
    ("sad ... so sad" is "really sad")."""
    strongest: dict[str, str | None] = {}
    for feeling in feelings:
        current = strongest.get(feeling.word)
        if feeling.word not in strongest or _rank(feeling.intensity) > _rank(current):
            strongest[feeling.word] = feeling.intensity
    return list(strongest.items())


def _rank(intensity: str | None) -> int:
    return {"mild": 1, "strong": 2}.get(intensity or "", 0)


def _say(word: str, intensity: str | None) -> str:
    spoken = _WORD.sub(lambda m: _SECOND_PERSON.get(m.group(), m.group()), word)
    qualifier = INTENSITY_WORDS.get(intensity or "")
    return f"{qualifier} {spoken}" if qualifier else spoken


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
