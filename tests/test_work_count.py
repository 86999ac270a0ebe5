"""The counted guard of tests/work_count.py tells linear work from quadratic."""

from __future__ import annotations

from tests.work_count import calls_made, growth

SHORT = "word " * 100
LONG = "word " * 1000


def each_word(text: str) -> int:
    return sum(1 for _ in text.split())


def each_pair_of_words(text: str) -> int:
    words = text.split()
    return sum(1 for _ in words for _ in words)


def test_work_that_grows_with_the_text_grows_about_tenfold() -> None:
    assert 9 < growth(each_word, SHORT, LONG) < 11


def test_work_on_every_pair_of_words_grows_about_a_hundredfold() -> None:
    assert growth(each_pair_of_words, SHORT, LONG) > 90


def test_the_call_gives_back_its_result() -> None:
    assert calls_made(each_word, SHORT)[1] == 100
