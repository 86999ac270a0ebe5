"""bot.dialogue.checkin and the feelings wheel buttons in domain.yml."""

from __future__ import annotations

from typing import Any

import pytest

from bot.dialogue.checkin import checkin_steps, family_from_answer
from bot.dialogue.reflection import FAMILIES, NamedFeeling
from bot.nlu.feelings import FeelingsFinder


def test_named_feelings_go_straight_to_the_childhood_question():
    assert checkin_steps(unsure=False) == ["feelings_text", "first_felt_memory"]


def test_unnamed_feelings_go_through_the_wheel_first():
    assert checkin_steps(unsure=True) == [
        "feeling_family",
        "wheel_feeling",
        "first_felt_memory",
    ]


@pytest.mark.parametrize(
    ("text", "feelings", "family"),
    [
        ("sad", [NamedFeeling("sad", "sad")], "sad"),
        ("powerful", [], "powerful"),
        ("MAD", [], "mad"),
        ("lonely", [NamedFeeling("lonely", "sad")], "sad"),
        ("sad and mad", [], None),
        ("no idea", [], None),
    ],
)
def test_family_from_answer_reads_buttons_and_typing(text, feelings, family):
    assert family_from_answer(text, feelings) == family


def _wheel_buttons(domain: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    return {
        variation["condition"][0]["value"]: variation["buttons"]
        for variation in domain["responses"]["utter_ask_wheel_feeling"]
        if "condition" in variation
    }


def test_the_family_buttons_send_the_six_family_words(domain):
    (ask,) = domain["responses"]["utter_ask_feeling_family"]
    assert [button["payload"] for button in ask["buttons"]] == list(FAMILIES)


def test_every_family_has_finer_words_to_choose_from(domain):
    assert set(_wheel_buttons(domain)) == set(FAMILIES)


@pytest.fixture(scope="module")
def finder() -> FeelingsFinder:
    return FeelingsFinder.from_lexicon()


def test_every_finer_word_button_is_recognised_as_that_word(domain, finder):
    for family, buttons in _wheel_buttons(domain).items():
        for button in buttons:
            found = finder.find(button["payload"])
            assert [(f.word, f.family) for f in found] == [(button["title"], family)]
