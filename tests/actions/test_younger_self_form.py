"""validate_younger_self_form: a kind age check, the child's feelings and need."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.younger_self import ValidateYoungerSelfForm
from tests.actions.trackers import (
    feeling,
    sent_responses,
    sent_texts,
    slot_events,
    tracker_after,
)

FORM = "younger_self_form"


async def validate(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], slot: str, text: str, **kw
) -> dict[str, Any]:
    tracker = tracker_after(
        form=FORM, text=text, requested_slot=slot, new_slots={slot: text}, **kw
    )
    return slot_events(await ValidateYoungerSelfForm().run(dispatcher, tracker, domain))


@pytest.mark.parametrize(
    ("answer", "age"), [("7", 7), ("about seven", 7), ("when i was 12", 12)]
)
async def test_an_age_from_1_to_17_is_taken(dispatcher, domain, answer, age):
    slots = await validate(dispatcher, domain, "younger_age", answer)
    assert slots["younger_age"] == age
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("answer", "response"),
    [
        ("25", "utter_younger_age_too_old"),
        ("0", "utter_younger_age_too_young"),
        ("i don't know", "utter_younger_age_not_a_number"),
    ],
)
async def test_an_age_that_cannot_be_used_is_asked_again_kindly(
    dispatcher, domain, answer, response
):
    slots = await validate(dispatcher, domain, "younger_age", answer)
    # Emptied again, so the form asks for the age once more.
    assert slots["younger_age"] is None
    assert sent_responses(dispatcher) == [response]


async def test_the_childs_feelings_are_reflected(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        "child_feeling",
        "scared and alone",
        entities=[feeling("scared", "scared"), feeling("alone", "sad")],
        slots={"younger_age": 7},
    )
    assert sent_texts(dispatcher) == ["It sounds like you feel scared and alone."]
    assert slots["child_feeling"] == "scared, alone"


async def test_a_childs_feeling_without_feeling_words_is_still_heard(
    dispatcher, domain
):
    slots = await validate(
        dispatcher, domain, "child_feeling", "like nobody noticed me", intent="deny"
    )
    assert sent_responses(dispatcher) == ["utter_child_feeling_heard"]
    assert slots["child_feeling"] == "like nobody noticed me"


@pytest.mark.parametrize(
    ("answer", "need"),
    [
        ("to hear it wasn't my fault", "not_to_blame"),
        ("to feel safe", "safe"),
        ("i needed my nan", "own"),
    ],
)
async def test_the_need_decides_which_kind_words_come_next(
    dispatcher, domain, answer, need
):
    slots = await validate(dispatcher, domain, "child_need", answer)
    assert slots["child_need"] == need


async def test_the_persons_own_words_finish_the_meeting(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        "words_to_child",
        "  you are safe now  ",
        slots={"younger_age": 7, "child_feeling": "scared", "child_need": "safe"},
    )
    assert slots["words_to_child"] == "you are safe now"
