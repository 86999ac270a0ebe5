"""A gentle summary, at the close, of what the person did for themselves this time.

Each exercise leaves its answers in slots; `session_summary_items` turns the ones
that were finished into short lines ("visited your safe place"). The words around
the list are the `utter_session_summary` response in domain.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue.grounding import grounding_finished

# A person's own words quoted back in the summary are cut to this length.
QUOTE_LIMIT = 120


def session_summary_items(slots: Mapping[str, Any]) -> list[str]:
    """What was done, one short line each, in the order of the menu."""
    items = []
    feelings = [feeling["word"] for feeling in slots.get("feelings_named") or []]
    if feelings:
        items.append(f"named how you were feeling: {', '.join(feelings)}")
    if slots.get("words_to_child") and slots.get("younger_age") is not None:
        items.append(
            f"met {slots['younger_age']}-year-old you and gave them your own kind words"
        )
    elif slots.get("words_to_child"):
        items.append("met your younger self and gave them your own kind words")
    if slots.get("safe_place_goodbye") is not None:
        items.append("visited your safe place")
    if slots.get("letter_started"):
        items.append("wrote a letter to your younger self")
    if slots.get("kindness_plan"):
        items.append(
            f"chose one kind thing for today: “{_short(slots['kindness_plan'])}”"
        )
    if grounding_finished(slots):
        items.append("took a few quiet minutes to ground yourself")
    return items


def summary_text(items: list[str]) -> str:
    """The items as a short list, one per line."""
    return "\n".join(f"• {item}" for item in items)


def _short(text: Any) -> str:
    words = " ".join(str(text).split())
    if len(words) <= QUOTE_LIMIT:
        return words
    return words[: QUOTE_LIMIT - 1].rstrip() + "…"
