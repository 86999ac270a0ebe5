"""validate_checkin_form: named feelings are reflected, unnamed ones go to the wheel."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.checkin import ValidateCheckinForm
from tests.actions.trackers import (
    feeling,
    sent_responses,
    sent_texts,
    slot_events,
    tracker_after,
)

FORM = "checkin_form"


async def validate(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], **tracker: Any
) -> dict[str, Any]:
    events = await ValidateCheckinForm().run(
        dispatcher, tracker_after(form=FORM, **tracker), domain
    )
    return slot_events(events)


async def test_named_feelings_are_reflected_back_by_name(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="i feel lonely and a bit ashamed",
        entities=[feeling("lonely", "sad"), feeling("ashamed", "sad", "mild")],
        requested_slot="feelings_text",
        new_slots={"feelings_text": "i feel lonely and a bit ashamed"},
    )
    assert sent_texts(dispatcher) == [
        "It sounds like you feel lonely and a bit ashamed."
    ]
    assert slots["feelings_named"] == [
        {"word": "lonely", "family": "sad"},
        {"word": "ashamed", "family": "sad", "intensity": "mild"},
    ]
    assert slots["feeling_family"] == "sad"
    assert slots["requested_slot"] == "first_felt_memory"


async def test_an_answer_without_feeling_words_opens_the_wheel(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="bit weird today",
        intent="nlu_fallback",
        requested_slot="feelings_text",
        new_slots={"feelings_text": "bit weird today"},
    )
    assert slots["feelings_unsure"] is True
    assert slots["feelings_text"] == "bit weird today"
    assert slots["requested_slot"] == "feeling_family"
    assert dispatcher.messages == []


async def test_the_not_sure_button_opens_the_wheel(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="/dont_know_feeling",
        intent="dont_know_feeling",
        requested_slot="feelings_text",
        new_slots={"feelings_text": "/dont_know_feeling"},
    )
    assert slots["feelings_text"] == "not sure"
    assert slots["requested_slot"] == "feeling_family"


async def test_a_feeling_named_while_unsure_is_still_reflected(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="i don't know, maybe sad",
        intent="dont_know_feeling",
        entities=[feeling("sad", "sad")],
        requested_slot="feelings_text",
        new_slots={"feelings_text": "i don't know, maybe sad"},
    )
    assert sent_texts(dispatcher) == ["It sounds like you feel sad."]
    assert slots["requested_slot"] == "first_felt_memory"


async def test_a_family_button_leads_to_its_finer_words(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="sad",
        entities=[feeling("sad", "sad")],
        requested_slot="feeling_family",
        slots={"feelings_unsure": True},
        new_slots={"feeling_family": "sad"},
    )
    assert slots["feeling_family"] == "sad"
    assert slots["requested_slot"] == "wheel_feeling"


async def test_a_family_typed_without_feeling_words_is_understood(dispatcher, domain):
    # "powerful" counts as a feeling only after "I feel", so no entity comes with it.
    slots = await validate(
        dispatcher,
        domain,
        text="powerful",
        requested_slot="feeling_family",
        slots={"feelings_unsure": True},
        new_slots={"feeling_family": "powerful"},
    )
    assert slots["feeling_family"] == "powerful"
    assert slots["requested_slot"] == "wheel_feeling"


async def test_a_finer_word_typed_at_the_family_step_skips_the_word_step(
    dispatcher, domain
):
    slots = await validate(
        dispatcher,
        domain,
        text="lonely",
        entities=[feeling("lonely", "sad")],
        requested_slot="feeling_family",
        slots={"feelings_unsure": True},
        new_slots={"feeling_family": "lonely"},
    )
    assert slots["feeling_family"] == "sad"
    assert slots["wheel_feeling"] == "lonely"
    assert slots["requested_slot"] == "first_felt_memory"
    assert sent_texts(dispatcher) == ["It sounds like you feel lonely."]


async def test_an_unclear_family_is_asked_for_again_kindly(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="the blue one maybe",
        intent="nlu_fallback",
        requested_slot="feeling_family",
        slots={"feelings_unsure": True},
        new_slots={"feeling_family": "the blue one maybe"},
    )
    assert slots["feeling_family"] is None
    assert slots["requested_slot"] == "feeling_family"
    assert sent_responses(dispatcher) == ["utter_feeling_family_unclear"]


async def test_the_finer_word_is_reflected_and_kept(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="I feel left out",
        entities=[feeling("left out", "sad")],
        requested_slot="wheel_feeling",
        slots={"feelings_unsure": True, "feeling_family": "sad"},
        new_slots={"wheel_feeling": "I feel left out"},
    )
    assert slots["wheel_feeling"] == "left out"
    assert slots["feelings_named"] == [{"word": "left out", "family": "sad"}]
    assert sent_texts(dispatcher) == ["It sounds like you feel left out."]
    assert slots["requested_slot"] == "first_felt_memory"


async def test_no_finer_word_stays_with_the_family(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="none of those really",
        intent="deny",
        requested_slot="wheel_feeling",
        slots={"feelings_unsure": True, "feeling_family": "scared"},
        new_slots={"wheel_feeling": "none of those really"},
    )
    assert slots["wheel_feeling"] == "scared"
    assert slots["feelings_named"] == [{"word": "scared", "family": "scared"}]
    assert sent_responses(dispatcher) == ["utter_staying_with_the_feeling"]


async def test_any_memory_answer_ends_the_check_in(dispatcher, domain):
    slots = await validate(
        dispatcher,
        domain,
        text="I'd rather not say",
        intent="deny",
        requested_slot="first_felt_memory",
        slots={
            "feelings_text": "sad",
            "feelings_named": [{"word": "sad", "family": "sad"}],
        },
        new_slots={"first_felt_memory": "I'd rather not say"},
    )
    assert slots["first_felt_memory"] == "I'd rather not say"
    assert slots["requested_slot"] is None
