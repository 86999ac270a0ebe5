"""Tests for bot/nlu/normalise.py: one spelling for the many ways people type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu.normalise import normalise_text, normalise_with_offsets


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("I\u2019m fine", "i'm fine"),
        ("don\u2018t", "don't"),
        ("it\u02bcs", "it's"),
        ("`tick`", "'tick'"),
        ("\u201cquoted\u201d", '"quoted"'),
        ("\u00abguillemets\u00bb", '"guillemets"'),
    ],
)
def test_curly_and_odd_apostrophes_and_quotes_become_ascii(typed: str, read: str):
    assert normalise_text(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "ki\u200bll",  # zero-width space
        "ki\u200dll",  # zero-width joiner
        "\u202ekill",  # right-to-left override
        "k\u2066ill\u2069",  # bidi isolates
        "\ufeffkill",  # byte-order mark
        "ki\x00ll\x7f",  # control characters
        "ki\u00adll",  # soft hyphen
    ],
)
def test_zero_width_bidi_and_control_characters_are_removed(typed: str):
    assert normalise_text(typed) == "kill"


def test_whitespace_runs_collapse_to_one_space_and_ends_are_trimmed():
    assert normalise_text("  I \t feel   \u00a0 low  ") == "i feel low"


def test_a_whitespace_run_with_a_line_break_collapses_to_one_newline():
    assert normalise_text("first line\r\n\n   second line") == "first line\nsecond line"


def test_text_is_lowercased():
    assert normalise_text("I FEEL LOW") == "i feel low"


@pytest.mark.parametrize(
    ("typed", "read"),
    [("diiiie", "die"), ("sooo tired", "so tired"), ("myseeelf", "myself")],
)
def test_three_or_more_of_the_same_letter_shrink_to_one(typed: str, read: str):
    assert normalise_text(typed) == read


def test_two_of_the_same_letter_are_kept():
    assert normalise_text("kill the book") == "kill the book"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("k1ll", "kill"),
        ("d!e", "die"),
        ("$uicide", "suicide"),
        ("su1c1de", "suicide"),
        ("3nd it", "end it"),
        ("0verdose", "overdose"),
        ("h4te", "hate"),
        ("hell0", "hello"),
        ("r@pe", "rape"),
    ],
)
def test_lookalike_digits_and_symbols_inside_words_become_letters(
    typed: str, read: str
):
    assert normalise_text(typed) == read


@pytest.mark.parametrize(
    "typed",
    ["13", "i'm 13", "15yo", "3am", "2nd", "30mg", "covid19", "$5", "f15", "4ever"],
)
def test_numbers_and_numbers_with_units_stay_numbers(typed: str):
    assert normalise_text(typed) == typed.lower()


@pytest.mark.parametrize("typed", ["die!", "hi!!!", "what!?"])
def test_an_exclamation_mark_outside_a_word_stays_punctuation(typed: str):
    assert normalise_text(typed) == typed


@pytest.mark.parametrize("typed", ["ｋｉｌｌ", "𝐤𝐢𝐥𝐥", "𝓀𝒾𝓁𝓁"])
def test_nfkc_turns_full_width_and_fancy_letters_into_plain_ones(typed: str):
    assert normalise_text(typed) == "kill"


def test_nfkc_expands_ligatures():
    assert normalise_text("ﬁne") == "fine"


@pytest.mark.parametrize("typed", ["kíll", "k̷i̷l̷l̷", "ki\u0301ll", "k\ufe0fill"])
def test_accents_and_stacked_marks_on_latin_letters_are_dropped(typed: str):
    assert normalise_text(typed) == "kill"


def test_cyrillic_lookalikes_inside_a_latin_word_are_read_as_latin():
    assert normalise_text("k\u0456ll myself") == "kill myself"


def test_text_in_another_script_is_kept():
    assert normalise_text("Я хочу спать") == "я хочу спать"


@pytest.mark.parametrize(("typed", "read"), [("kiII", "kill"), ("kIll", "kill")])
def test_capital_is_inside_a_lowercase_word_read_as_the_letters_they_mimic(
    typed: str, read: str
):
    assert normalise_text(typed) == read


def test_offsets_point_each_character_back_to_its_source():
    original = "\uff29\u2019m  k1ll\u200b"
    text, offsets = normalise_with_offsets(original)
    assert text == "i'm kill"
    assert offsets == [0, 1, 2, 3, 5, 6, 7, 8]


def test_offsets_of_an_expanded_character_all_point_to_it():
    text, offsets = normalise_with_offsets("\ufb01ne")
    assert text == "fine"
    assert offsets == [0, 0, 1, 2]


@pytest.mark.parametrize("empty", ["", "   ", "\u200b\u200b", "\n\t"])
def test_blank_text_normalises_to_nothing(empty: str):
    assert normalise_with_offsets(empty) == ("", [])


def test_a_lone_surrogate_is_dropped_without_raising():
    assert normalise_text("\ud800ok") == "ok"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalising_never_raises_and_offsets_stay_in_step(text: str):
    normalised, offsets = normalise_with_offsets(text)
    assert normalise_text(text) == normalised
    assert len(offsets) == len(normalised)
    assert offsets == sorted(offsets)
    assert all(0 <= offset < len(text) for offset in offsets)
