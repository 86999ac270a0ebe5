"""Labelled whole conversations (tests/data/safety_conversations*.yml), read once.

Each conversation is what one person typed, in order, and whether they are in danger
by its end. `make eval-conversations` sends them through a real stack; the learnt
crisis reader learns everyday language from the everyday conversations of the sets
config.yml names (a crisis conversation's messages are not labelled one by one, so
the reader never learns from them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

EXPECTED = ("crisis", "none")


class ConversationSetError(ValueError):
    """A conversation set cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Conversation:
    """What one person typed, in order, and whether they are in danger by the end."""

    expect: str
    category: str | None
    messages: tuple[str, ...]


def load_conversation_set(path: Path) -> list[Conversation]:
    """The conversations of a set; a malformed one is reported with its number."""
    # Here, not at the top: bot.nlu.crisis imports the reader, which imports this.
    from bot.nlu.crisis import CATEGORY_URGENCY as CATEGORIES

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConversationSetError(f"{path}: could not be read ({error}).") from error
    raw_conversations = data.get("conversations") if isinstance(data, dict) else None
    if not isinstance(raw_conversations, list):
        raise ConversationSetError(f"{path}: needs a list under `conversations:`.")
    conversations = []
    for number, raw in enumerate(raw_conversations, start=1):
        messages = raw.get("messages") if isinstance(raw, dict) else None
        if (
            not isinstance(raw, dict)
            or raw.get("expect") not in EXPECTED
            or not isinstance(messages, list)
            or not messages
            or not all(isinstance(m, str) and m.strip() for m in messages)
        ):
            raise ConversationSetError(
                f"{path}: conversation {number} needs `expect` (crisis or none) and "
                "`messages`, a list of what the person typed."
            )
        category = raw.get("category")
        if raw["expect"] == "crisis" and category not in CATEGORIES:
            raise ConversationSetError(
                f"{path}: conversation {number} is a crisis and needs a `category` "
                f"(one of {', '.join(CATEGORIES)})."
            )
        conversations.append(Conversation(raw["expect"], category, tuple(messages)))
    return conversations
