"""bot.dialogue.grounding: reading the choice, and the steps each choice asks."""

from __future__ import annotations

import pytest

from bot.dialogue.grounding import (
    BREATHING,
    SENSES,
    STEPS,
    choice_from_answer,
    grounding_finished,
    grounding_steps,
)


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("senses", SENSES),
        ("Notice with my senses", SENSES),
        ("5-4-3-2-1", SENSES),
        ("the first one", SENSES),
        ("slow breathing", BREATHING),
        ("breathe", BREATHING),
        ("the second", BREATHING),
        ("either", None),
        ("senses or breathing, you pick", None),
    ],
)
def test_choice_from_answer(text, choice):
    assert choice_from_answer(text) == choice


def test_the_choice_comes_before_its_steps():
    assert grounding_steps(None) == ["grounding_choice"]
    assert grounding_steps(BREATHING) == ["grounding_choice", *STEPS[BREATHING]]


def test_grounding_is_finished_only_when_every_step_of_the_choice_is_answered():
    slots = {"grounding_choice": BREATHING, "grounding_breath_one": "ok"}
    assert not grounding_finished(slots)
    slots |= {"grounding_breath_two": "ok", "grounding_breath_three": "next"}
    assert grounding_finished(slots)
    assert not grounding_finished({"grounding_see": "ok"})


def test_every_step_is_asked_by_the_grounding_form(domain):
    required = domain["forms"]["grounding_form"]["required_slots"]
    for steps in STEPS.values():
        for step in steps:
            assert step in required
            assert f"utter_ask_{step}" in domain["responses"]
