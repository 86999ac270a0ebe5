"""The letter to the younger self, written over as many messages as the person needs.

Each message is one part; `add_to_letter` keeps the whole letter in the `letter_text`
slot so it can be read back or saved (the data layer's `action_save_letter` reads
that slot when the person says they are done).
"""

from __future__ import annotations

# Between two messages of the same letter, as if the person pressed Enter twice.
PART_SEPARATOR = "\n\n"


def add_to_letter(letter_so_far: str | None, part: str | None) -> str:
    """The letter with one more part at the end; blank parts change nothing."""
    text = (part or "").strip()
    written = (letter_so_far or "").strip()
    if not text:
        return written
    return f"{written}{PART_SEPARATOR}{text}" if written else text
