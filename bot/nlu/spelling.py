"""Spelling for the word-list matchers: which words are English, and how far apart
two spellings are. One place, so feelings and crisis forgive typos the same way.

Typo tolerance must never "correct" a real word into a listed one ("something" is
not a slip for "seething"), so a word is only forgiven when it is not English and
not a slip for a common little word ("somthing").
"""

from __future__ import annotations

from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import load_lookups


class EnglishWords:
    """WordNet lemmas and their inflections (spaCy's lookup tables), plus the
    function words WordNet leaves out ("something", "whatever", "nobody")."""

    def __init__(self) -> None:
        lookups = load_lookups("en", ["lemma_index", "lemma_lookup"])
        self._inflections = lookups.get_table("lemma_lookup")
        self._words = frozenset(
            word
            for words in lookups.get_table("lemma_index").values()
            for word in words
        ) | frozenset(STOP_WORDS)

    def __contains__(self, word: object) -> bool:
        return word in self._words or (
            isinstance(word, str) and word in self._inflections
        )


@lru_cache(maxsize=1)
def english_words() -> EnglishWords:
    """One shared instance per process: the tables take a moment and some memory."""
    return EnglishWords()


def edit_distance(first: str, second: str, limit: int) -> int:
    """Typing-slip distance, or `limit + 1` once it is sure to pass `limit`.

    Insertions, deletions, substitutions and swaps of two neighbouring letters each
    count one (optimal string alignment).
    """
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, start=1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)
            )
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], before_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before_previous, previous = previous, current
    return previous[-1]


_COMMON_WORDS = tuple(sorted(word for word in STOP_WORDS if len(word) >= 4))


def slip_for_common_word(word: str, distance: int) -> bool:
    """Whether `word` is at most `distance` slips from a common little word, so a
    match that far away is more likely that word ("somthing" is "something")."""
    return any(
        edit_distance(word, common, distance) <= distance for common in _COMMON_WORDS
    )
