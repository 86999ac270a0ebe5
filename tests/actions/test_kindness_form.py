"""validate_kindness_form: the kind of kindness, then the person's own small plan."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.kindness import ValidateKindnessForm
from tests.actions.trackers import sent_responses, slot_events, tracker_after

FORM = "kindness_form"


async def validate(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    slot: str,
    text: str,
    intent: str = "nlu_fallback",
    slots: dict[str, Any] | None = None,
) -> dict[str, Any]:
    tracker = tracker_after(
        form=FORM,
        text=text,
        intent=intent,
        requested_slot=slot,
        slots=slots,
        new_slots={slot: text},
    )
    return slot_events(await ValidateKindnessForm().run(dispatcher, tracker, domain))


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("self-care", "self_care"),
        ("a boundary", "boundary"),
        ("something joyful", "joy"),
    ],
)
async def test_each_button_picks_its_kind_of_kindness(dispatcher, domain, answer, kind):
    slots = await validate(dispatcher, domain, "kindness_kind", answer)
    assert slots["kindness_kind"] == kind
    assert "kindness_plan" not in slots


async def test_an_own_idea_is_taken_as_the_plan(dispatcher, domain):
    slots = await validate(dispatcher, domain, "kindness_kind", "go for a walk")
    assert slots["kindness_kind"] == "own"
    assert slots["kindness_plan"] == "go for a walk"


async def test_not_knowing_the_kind_still_asks_for_a_plan(dispatcher, domain):
    slots = await validate(
        dispatcher, domain, "kindness_kind", "idk", intent="dont_know_feeling"
    )
    assert slots["kindness_kind"] == "own"
    assert "kindness_plan" not in slots


async def test_no_plan_yet_is_met_gently_and_asked_again(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        "kindness_plan",
        "no idea",
        intent="dont_know_feeling",
        slots={"kindness_kind": "joy"},
    )
    assert slots["kindness_plan"] is None
    assert sent_responses(dispatcher) == ["utter_kindness_small_is_enough"]


async def test_the_plan_is_kept_in_the_persons_words(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        "kindness_plan",
        "an early night ",
        slots={"kindness_kind": "self_care"},
    )
    assert slots["kindness_plan"] == "an early night"
