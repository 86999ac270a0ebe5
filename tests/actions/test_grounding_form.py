"""validate_grounding_form: the chosen exercise decides the steps."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.grounding import ValidateGroundingForm
from tests.actions.trackers import sent_responses, slot_events, tracker_after

FORM = "grounding_form"


async def validate(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    slot: str,
    text: str,
    slots: dict[str, Any] | None = None,
) -> dict[str, Any]:
    tracker = tracker_after(
        form=FORM,
        text=text,
        intent="nlu_fallback",
        requested_slot=slot,
        slots=slots,
        new_slots={slot: text},
    )
    return slot_events(await ValidateGroundingForm().run(dispatcher, tracker, domain))


@pytest.mark.parametrize(
    ("answer", "choice", "first_step"),
    [
        ("senses", "senses", "grounding_see"),
        ("the 5 4 3 2 1 one", "senses", "grounding_see"),
        ("slow breathing", "breathing", "grounding_breath_one"),
    ],
)
async def test_the_choice_decides_the_first_step(
    dispatcher, domain, answer, choice, first_step
):
    slots = await validate(dispatcher, domain, "grounding_choice", answer)
    assert slots["grounding_choice"] == choice
    assert slots["requested_slot"] == first_step


async def test_an_unclear_choice_is_asked_again(dispatcher, domain):
    slots = await validate(dispatcher, domain, "grounding_choice", "whatever")
    assert slots["grounding_choice"] is None
    assert slots["requested_slot"] == "grounding_choice"
    assert sent_responses(dispatcher) == ["utter_grounding_choice_unclear"]


async def test_any_reply_to_a_step_moves_on(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        "grounding_see",
        "lamp, cup, window, book, plant",
        slots={"grounding_choice": "senses"},
    )
    assert slots["grounding_see"] == "lamp, cup, window, book, plant"
    assert slots["requested_slot"] == "grounding_touch"


async def test_the_last_breath_ends_the_exercise(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        "grounding_breath_three",
        "next",
        slots={
            "grounding_choice": "breathing",
            "grounding_breath_one": "ok",
            "grounding_breath_two": "ok",
        },
    )
    assert slots["requested_slot"] is None
