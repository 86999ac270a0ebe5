"""validate_checkin_form adds the feelings named to the person's check-in history,
once per check-in, and a database that is down does not interrupt the check-in."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.checkin import ValidateCheckinForm
from bot.store.database import Storage
from bot.store.repository import checkin_summary, export_for
from tests.actions.trackers import feeling, sent_texts, slot_events, tracker_after

FORM = "checkin_form"


async def validate(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], **tracker: Any
) -> dict[str, Any]:
    events = await ValidateCheckinForm().run(
        dispatcher, tracker_after(form=FORM, **tracker), domain
    )
    return slot_events(events)


def history(storage: Storage, person: str) -> list[tuple[str, str, int | None]]:
    return [
        (entry["feeling"], entry["family"], entry["intensity"])
        for entry in export_for(storage, person)["checkins"]
    ]


async def name_feelings(dispatcher: CollectingDispatcher, domain: dict[str, Any]):
    return await validate(
        dispatcher,
        domain,
        text="i feel lonely, a bit ashamed and really scared, so lonely",
        entities=[
            feeling("lonely", "sad"),
            feeling("ashamed", "sad", "mild"),
            feeling("scared", "scared", "strong"),
            feeling("lonely", "sad", "strong"),
        ],
        requested_slot="feelings_text",
        new_slots={"feelings_text": "i feel lonely, a bit ashamed and really scared"},
    )


async def test_named_feelings_are_recorded_with_family_and_intensity(
    dispatcher, domain, storage: Storage, test_person: str
) -> None:
    await name_feelings(dispatcher, domain)
    # Each word once, at the strongest intensity said ("so lonely": strong).
    assert history(storage, test_person) == [
        ("lonely", "sad", 8),
        ("ashamed", "sad", 3),
        ("scared", "scared", 8),
    ]
    summary = checkin_summary(storage, test_person)
    assert summary.last_7_days == {"sad": 2, "scared": 1}


async def test_a_feeling_named_plainly_is_recorded_without_an_intensity(
    dispatcher, domain, storage: Storage, test_person: str
) -> None:
    await validate(
        dispatcher,
        domain,
        text="I feel left out",
        entities=[feeling("left out", "sad")],
        requested_slot="wheel_feeling",
        slots={"feelings_unsure": True, "feeling_family": "sad"},
        new_slots={"wheel_feeling": "I feel left out"},
    )
    assert history(storage, test_person) == [("left out", "sad", None)]


async def test_staying_with_the_wheel_family_records_the_family(
    dispatcher, domain, storage: Storage, test_person: str
) -> None:
    await validate(
        dispatcher,
        domain,
        text="none of those really",
        intent="deny",
        requested_slot="wheel_feeling",
        slots={"feelings_unsure": True, "feeling_family": "scared"},
        new_slots={"wheel_feeling": "none of those really"},
    )
    assert history(storage, test_person) == [("scared", "scared", None)]


async def test_later_answers_do_not_record_the_feelings_again(
    dispatcher, domain, storage: Storage, test_person: str
) -> None:
    await validate(
        dispatcher,
        domain,
        text="when i was seven",
        requested_slot="first_felt_memory",
        slots={
            "feelings_text": "sad",
            "feelings_named": [{"word": "sad", "family": "sad"}],
        },
        new_slots={"first_felt_memory": "when i was seven"},
    )
    assert history(storage, test_person) == []


async def test_an_answer_without_feelings_records_nothing(
    dispatcher, domain, storage: Storage, test_person: str
) -> None:
    await validate(
        dispatcher,
        domain,
        text="bit weird today",
        intent="nlu_fallback",
        requested_slot="feelings_text",
        new_slots={"feelings_text": "bit weird today"},
    )
    assert history(storage, test_person) == []


async def test_with_the_database_down_the_check_in_carries_on(
    dispatcher,
    domain,
    storage_down: Storage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    slots = await name_feelings(dispatcher, domain)
    assert sent_texts(dispatcher) == [
        "It sounds like you feel really lonely, a bit ashamed and really scared."
    ]
    assert slots["requested_slot"] == "first_felt_memory"
    assert [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "lonely" not in caplog.text
    assert "ashamed" not in caplog.text
