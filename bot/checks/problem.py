"""`Problem`: one thing to fix, with the file and line where it is, in plain words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something a practitioner should fix, and where.

    `file` is relative to the project (`data/stories/safe_place.yml`); `line` counts
    from 1 and is `None` when the problem is about a whole file or a missing one.
    """

    file: str
    line: int | None
    message: str

    def where(self) -> str:
        """`data/rules/safety.yml line 12`, or just the file when there is no line."""
        return self.file if self.line is None else f"{self.file} line {self.line}"

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        """Problems read best in file order, top to bottom."""
        return (self.file, self.line or 0, self.message)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` Did you mean `x`?` for the closest choice, or "" when nothing is close."""
    close = difflib.get_close_matches(name, sorted(set(choices)), n=1, cutoff=0.75)
    return f" Did you mean `{close[0]}`?" if close else ""
