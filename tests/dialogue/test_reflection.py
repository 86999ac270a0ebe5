"""Tests for bot/dialogue/reflection.py: feelings said back plainly and warmly."""

from __future__ import annotations

import pytest

from bot.dialogue.reflection import (
    NamedFeeling,
    family_of_feelings,
    feelings_from_entities,
    reflect_feelings,
)


def feel(word: str, family: str = "sad", intensity: str | None = None) -> NamedFeeling:
    return NamedFeeling(word, family, intensity)


@pytest.mark.parametrize(
    ("feelings", "sentence"),
    [
        ([feel("lonely")], "It sounds like you feel lonely."),
        (
            [feel("lonely"), feel("ashamed", intensity="mild")],
            "It sounds like you feel lonely and a bit ashamed.",
        ),
        (
            [feel("tired", intensity="strong"), feel("angry", "mad"), feel("scared")],
            "It sounds like you feel really tired, angry and scared.",
        ),
        ([feel("left out")], "It sounds like you feel left out."),
        (
            [feel("out of my depth", "scared")],
            "It sounds like you feel out of your depth.",
        ),
    ],
)
def test_reflects_feelings_in_one_natural_sentence(feelings, sentence) -> None:
    assert reflect_feelings(feelings) == sentence


def test_names_each_feeling_once_at_its_strongest() -> None:
    feelings = [feel("sad"), feel("lonely"), feel("sad", intensity="strong")]
    assert (
        reflect_feelings(feelings) == "It sounds like you feel really sad and lonely."
    )


def test_a_mild_mention_does_not_soften_a_strong_one() -> None:
    feelings = [feel("sad", intensity="strong"), feel("sad", intensity="mild")]
    assert reflect_feelings(feelings) == "It sounds like you feel really sad."


def test_a_long_list_is_cut_short_kindly() -> None:
    names = ["sad", "lonely", "tired", "scared", "angry", "hurt"]
    assert reflect_feelings([feel(n) for n in names]) == (
        "It sounds like you feel sad, lonely, tired and scared, and more besides."
    )


def test_no_feelings_gives_no_sentence() -> None:
    assert reflect_feelings([]) == ""


def test_family_most_named_wins() -> None:
    feelings = [feel("angry", "mad"), feel("sad"), feel("frustrated", "mad")]
    assert family_of_feelings(feelings) == "mad"


def test_repeating_one_word_does_not_outweigh_two_words() -> None:
    feelings = [feel("sad"), feel("sad"), feel("sad"), feel("calm", "peaceful")]
    feelings += [feel("relieved", "peaceful")]
    assert family_of_feelings(feelings) == "peaceful"


def test_a_tie_goes_to_the_harder_feeling() -> None:
    assert family_of_feelings(
        [feel("relieved", "peaceful"), feel("scared", "scared")]
    ) == ("scared")


def test_no_feelings_has_no_family() -> None:
    assert family_of_feelings([]) is None


def test_reads_feelings_back_from_entities() -> None:
    entities = [
        {"entity": "name", "value": "Sam"},
        {
            "entity": "feeling",
            "value": "lonely",
            "family": "sad",
            "intensity": "strong",
        },
        {"entity": "feeling_family", "value": "sad"},
        {"entity": "feeling", "value": "left out", "family": "sad", "intensity": None},
    ]
    assert feelings_from_entities(entities) == [
        NamedFeeling("lonely", "sad", "strong"),
        NamedFeeling("left out", "sad", None),
    ]


@pytest.mark.parametrize(
    "entity",
    [
        {"entity": "feeling", "value": "<b>click here</b>", "family": "sad"},
        {"entity": "feeling", "value": "sad", "family": "gloomy"},
        {"entity": "feeling", "value": "sad", "family": "sad", "intensity": "huge"},
        {"entity": "feeling", "value": 42, "family": "sad"},
        {"entity": "feeling", "value": "a" * 80, "family": "sad"},
        {"entity": "feeling", "family": "sad"},
    ],
)
def test_malformed_entities_are_never_said_back(entity) -> None:
    assert feelings_from_entities([entity]) == []
