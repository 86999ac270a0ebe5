"""action_begin_flow: each exercise starts fresh, whatever was answered before."""

from __future__ import annotations

from actions.flows import ActionBeginFlow
from tests.actions.trackers import slot_events, tracker_after


async def test_a_new_letter_forgets_the_last_one(dispatcher, domain):
    tracker = tracker_after(
        text="/start_letter",
        intent="start_letter",
        slots={
            "letter_text": "old letter",
            "letter_saved": True,
            "letter_finished": True,
        },
    )
    slots = slot_events(await ActionBeginFlow().run(dispatcher, tracker, domain))
    assert slots["letter_text"] is None
    assert slots["letter_saved"] is None
    assert slots["letter_finished"] is None


async def test_not_knowing_the_feeling_starts_at_the_wheel(dispatcher, domain):
    tracker = tracker_after(text="idk what i feel", intent="dont_know_feeling")
    slots = slot_events(await ActionBeginFlow().run(dispatcher, tracker, domain))
    assert slots["feelings_unsure"] is True
    assert slots["feelings_text"] is None


async def test_a_named_feeling_is_already_the_check_in_answer(dispatcher, domain):
    tracker = tracker_after(text="i feel so lonely", intent="inform_feeling")
    slots = slot_events(await ActionBeginFlow().run(dispatcher, tracker, domain))
    assert slots["feelings_text"] == "i feel so lonely"
    assert slots["feelings_named"] is None


async def test_other_exercises_keep_their_answers(dispatcher, domain):
    tracker = tracker_after(intent="start_safe_place", slots={"younger_age": 7})
    slots = slot_events(await ActionBeginFlow().run(dispatcher, tracker, domain))
    assert "younger_age" not in slots
    assert slots["safe_place_breathe"] is None


async def test_a_message_that_opens_nothing_changes_nothing(dispatcher, domain):
    tracker = tracker_after(intent="thanks")
    assert await ActionBeginFlow().run(dispatcher, tracker, domain) == []
