"""Safe-messaging rules for responses, from `data/lexicons/unsafe_phrases.yml`.

Practitioners keep the list (words about suicide that blame, method details,
diagnosis, cures, promises, posing as a therapist); this module finds those words
in the responses and says which response, where, and why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.checks.problem import Problem
from bot.checks.project import DOMAIN_FILE, Project

UNSAFE_PHRASES_FILE = "data/lexicons/unsafe_phrases.yml"


class UnsafePhrasesError(ValueError):
    """The unsafe phrases list is malformed; the message names the entry."""


@dataclass(frozen=True)
class UnsafePhrase:
    """One entry of the list: what to look for, why not, and what to say instead."""

    say: str
    why: str
    instead: str
    pattern: re.Pattern[str]
    unless: tuple[re.Pattern[str], ...]


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole words in any case; a word ending in `*` takes any ending."""
    words = _normalise(phrase).lower().split()
    if not words:
        raise UnsafePhrasesError("an entry has an empty `say:`.")
    parts = [
        re.escape(word[:-1]) + r"[\w']*" if word.endswith("*") else re.escape(word)
        for word in words
    ]
    ends_in_word = words[-1][-1].isalnum()
    return re.compile(
        r"(?<![\w'])" + r"\s+".join(parts) + (r"(?![\w'])" if ends_in_word else ""),
        re.IGNORECASE,
    )


def load_unsafe_phrases(path: Path) -> list[UnsafePhrase]:
    """Reads the list; a malformed entry raises `UnsafePhrasesError`."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("unsafe") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise UnsafePhrasesError("the file must have an `unsafe:` list of entries.")
    phrases = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "say" not in entry or "why" not in entry:
            raise UnsafePhrasesError(f"entry {number} needs both `say:` and `why:`.")
        says = entry["say"] if isinstance(entry["say"], list) else [entry["say"]]
        unless = entry.get("unless") or []
        unless = unless if isinstance(unless, list) else [unless]
        phrases += [
            UnsafePhrase(
                say=str(say),
                why=str(entry["why"]).strip(),
                instead=str(entry.get("instead") or "").strip(),
                pattern=phrase_pattern(str(say)),
                unless=tuple(phrase_pattern(str(u)) for u in unless),
            )
            for say in says
        ]
    return phrases


def find_unsafe(
    text: str, phrases: list[UnsafePhrase]
) -> list[tuple[UnsafePhrase, str]]:
    """Each unsafe phrase in `text`, with the words as written there."""
    text = _normalise(text)
    found = []
    taken: list[tuple[int, int]] = []  # "I promise you" is one finding, not two
    for phrase in phrases:
        allowed = [m.span() for rule in phrase.unless for m in rule.finditer(text)]
        for match in phrase.pattern.finditer(text):
            start, end = match.span()
            if any(a <= start < b for a, b in allowed) or any(
                start < b and a < end for a, b in taken
            ):
                continue
            taken.append((start, end))
            found.append((phrase, " ".join(match.group(0).split())))
            break
    return found


def check_safe_messaging(
    project: Project, phrases: list[UnsafePhrase]
) -> list[Problem]:
    """Responses (texts and button titles) that contain words from the list."""
    problems = []
    for response in project.responses().values():
        for variation in response.variations:
            texts = [(variation.text, variation.text_line, variation.end_line)]
            texts += [
                (title, line, line) for line, title, _ in variation.written_buttons()
            ]
            for text, start, end in texts:
                for phrase, words in find_unsafe(text, phrases):
                    instead = (
                        f" Try instead: {phrase.instead}." if phrase.instead else ""
                    )
                    problems.append(
                        Problem(
                            DOMAIN_FILE,
                            _line_of(project, phrase.pattern, start, end),
                            f"the response `{response.name}` says “{words}”. "
                            f"{phrase.why}{instead} (From the safe-messaging list "
                            f"in {UNSAFE_PHRASES_FILE}.)",
                        )
                    )
    return problems


def _line_of(project: Project, pattern: re.Pattern[str], start: int, end: int) -> int:
    """The domain.yml line where the words are, even when they wrap onto the next."""
    lines = [
        _normalise(line) for line in (project.domain.lines if project.domain else ())
    ]
    numbers = range(max(start, 1), min(end, len(lines)) + 1)
    for number in numbers:
        if pattern.search(lines[number - 1]):
            return number
    for number in numbers:
        following = lines[number].strip() if number < len(lines) else ""
        if pattern.search(f"{lines[number - 1]} {following}"):
            return number
    return start


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
