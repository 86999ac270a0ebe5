"""How Tend tells a person what it keeps about them: letters and feelings history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.store.repository import CheckinSummary, StoredLetter

# Plain names for the feeling families, in the order Tend mentions them.
FAMILY_WORDS = {
    "sad": "sad",
    "scared": "scared or anxious",
    "mad": "angry or frustrated",
    "joyful": "joyful",
    "powerful": "strong and capable",
    "peaceful": "calm and peaceful",
}
LETTERS_READ_AT_ONCE = 3


def _when(moment: datetime) -> str:
    return moment.strftime("%-d %B %Y")


def describe_letters(letters: Sequence[StoredLetter]) -> list[str]:
    """The messages that read back a person's letters, newest first."""
    if not letters:
        return [
            "You haven't saved any letters to your younger self yet. Whenever you'd "
            'like to write one, just say "write a letter".'
        ]
    shown = letters[:LETTERS_READ_AT_ONCE]
    intro = (
        "Here is your letter, from newest to oldest:"
        if len(letters) == 1
        else f"You've written {len(letters)} letters. Here are the newest "
        f"{len(shown)}, newest first:"
    )
    return [intro] + [f"{_when(letter.created_at)}:\n{letter.body}" for letter in shown]


def _counts_in_words(counts: dict[str, int]) -> str:
    parts = [
        f"{FAMILY_WORDS.get(family, family)} {count} time{'s' if count != 1 else ''}"
        for family, count in sorted(counts.items(), key=lambda item: -item[1])
        if count
    ]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def describe_feelings_history(summary: CheckinSummary) -> str:
    """A short, plain summary of the check-ins over the last 7 and 30 days."""
    week, month = summary.last_7_days, summary.last_30_days
    if not any(month.values()):
        return (
            "I don't have any check-ins from you in the last 30 days. We can do one "
            'now if you like: just say "check in".'
        )
    lines = []
    if any(week.values()):
        lines.append(
            f"In the last 7 days you told me you felt {_counts_in_words(week)}."
        )
    else:
        lines.append("You haven't checked in during the last 7 days.")
    lines.append(f"Over the last 30 days: {_counts_in_words(month)}.")
    lines.append(
        "Feelings come and go, and every one of them makes sense. Thank you for "
        "noticing them."
    )
    return " ".join(lines)
