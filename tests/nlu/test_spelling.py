"""The shared spelling helpers behind both word-list matchers."""

from __future__ import annotations

import pytest

from bot.nlu.spelling import edit_distance, english_words, slip_for_common_word


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("lonely", "lonely", 0),
        ("lonley", "lonely", 1),  # a swap counts once
        ("ashamd", "ashamed", 1),
        ("sad", "mad", 1),
        ("seething", "something", 2),
    ],
)
def test_counts_typing_slips(first: str, second: str, expected: int) -> None:
    assert edit_distance(first, second, limit=3) == expected


def test_stops_counting_past_the_limit() -> None:
    assert edit_distance("overwhelmed", "sad", limit=2) == 3


@pytest.mark.parametrize("word", ["something", "whatever", "nobody", "lonely", "felt"])
def test_knows_ordinary_english_words(word: str) -> None:
    assert word in english_words()


@pytest.mark.parametrize("word", ["lonley", "suicde", "ashamd", "xqzt"])
def test_a_misspelling_is_not_english(word: str) -> None:
    assert word not in english_words()


def test_a_slip_for_a_little_word_is_recognised() -> None:
    assert slip_for_common_word("somthing", 1)
    assert not slip_for_common_word("lonley", 1)
