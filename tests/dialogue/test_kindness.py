"""bot.dialogue.kindness: which kind of kindness an answer chooses."""

from __future__ import annotations

import pytest

from bot.dialogue.kindness import BOUNDARY, JOY, OWN, SELF_CARE, kind_from_answer


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("self-care", SELF_CARE),
        ("Something caring for myself", SELF_CARE),
        ("a boundary", BOUNDARY),
        ("saying no to my boss", BOUNDARY),
        ("something joyful", JOY),
        ("something fun", JOY),
        ("have a bath", OWN),
    ],
)
def test_kind_from_answer(text, kind):
    assert kind_from_answer(text) == kind


def test_each_kind_has_its_own_examples_in_the_plan_question(domain):
    covered = {
        variation["condition"][0]["value"]
        for variation in domain["responses"]["utter_ask_kindness_plan"]
        if "condition" in variation
    }
    assert covered == {SELF_CARE, BOUNDARY, JOY}


def test_every_kind_button_is_read_as_its_kind(domain):
    (ask,) = domain["responses"]["utter_ask_kindness_kind"]
    kinds = [kind_from_answer(button["payload"]) for button in ask["buttons"]]
    assert kinds == [SELF_CARE, BOUNDARY, JOY]
