"""What the person's latest message said, as Tend's actions read it."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.dialogue.reflection import (
    NamedFeeling,
    distinct_feelings,
    feelings_from_entities,
)


def latest_intent(tracker: Tracker) -> str | None:
    """The intent NLU gave the latest message (after the crisis check)."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_intent_confidence(tracker: Tracker) -> float:
    """How sure NLU was of the latest message's intent (0 when it did not say)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    return float(intent.get("confidence") or 0.0)


def latest_text(tracker: Tracker) -> str | None:
    """The latest message as the person wrote it."""
    return (tracker.latest_message or {}).get("text")


def latest_feelings(tracker: Tracker) -> list[NamedFeeling]:
    """The feelings FeelingsExtractor found in the latest message, in order."""
    return feelings_from_entities((tracker.latest_message or {}).get("entities") or [])


def feelings_record(feelings: list[NamedFeeling]) -> list[dict[str, str]]:
    """The feelings as the `feelings_named` slot keeps them: each word once, in the
    order named, with its family and, when one was said, its strongest intensity
    ("mild" or "strong"). This is what a saved check-in records."""
    families: dict[str, str] = {}
    for feeling in feelings:
        families.setdefault(feeling.word, feeling.family)
    return [
        {"word": word, "family": families[word]}
        | ({"intensity": intensity} if intensity else {})
        for word, intensity in distinct_feelings(feelings)
    ]
