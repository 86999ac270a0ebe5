"""bot.dialogue.younger_self: reading an age and a need the way people write them."""

from __future__ import annotations

import pytest

from bot.dialogue.younger_self import (
    NEEDS,
    NOT_A_NUMBER,
    OWN_NEED,
    TOO_OLD,
    TOO_YOUNG,
    age_problem,
    need_from_answer,
    read_age,
)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("7", 7),
        ("i was 9", 9),
        ("about seven", 7),
        ("Twelve", 12),
        ("6 or 7", 6),
        ("when i was a toddler", 2),
        ("forty", 40),
        ("not sure", None),
        ("", None),
        (None, None),
    ],
)
def test_read_age_finds_the_first_age_written(text, age):
    assert read_age(text) == age


@pytest.mark.parametrize(
    ("age", "problem"),
    [
        (1, None),
        (17, None),
        (0, TOO_YOUNG),
        (-3, TOO_YOUNG),
        (18, TOO_OLD),
        (None, NOT_A_NUMBER),
    ],
)
def test_only_ages_from_1_to_17_are_used(age, problem):
    assert age_problem(age) == problem


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("to be seen", "seen"),
        ("someone to notice me", "seen"),
        ("to feel safe", "safe"),
        ("a hug", "comforted"),
        ("to hear it wasn't my fault", "not_to_blame"),
        ("to be listened to", "heard"),
        ("to be loved just as I was", "loved"),
        ("to play and have fun", "play"),
        ("to be heard and then to feel safe", "heard"),
        ("my grandma", OWN_NEED),
    ],
)
def test_need_from_answer_takes_the_first_need_named(text, need):
    assert need_from_answer(text) == need


def test_every_need_has_its_own_kind_words(domain):
    variations = domain["responses"]["utter_ask_words_to_child"]
    covered = {
        condition["value"]
        for variation in variations
        for condition in variation.get("condition", [])
        if condition["name"] == "child_need"
    }
    assert covered == set(NEEDS)
    # ...and a variation without a condition for needs in the person's own words.
    assert any("condition" not in variation for variation in variations)


def test_every_need_button_is_read_as_a_named_need(domain):
    (ask,) = domain["responses"]["utter_ask_child_need"]
    needs = [need_from_answer(button["payload"]) for button in ask["buttons"]]
    assert OWN_NEED not in needs
    assert len(set(needs)) == len(needs)
