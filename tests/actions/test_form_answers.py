"""AnswerValidationAction: slots emptied for a fresh start are not answers."""

from __future__ import annotations

from actions.form_answers import without_emptied_candidates
from actions.letter import ValidateLetterForm
from actions.younger_self import ValidateYoungerSelfForm
from tests.actions.trackers import slot_events, tracker_after

EMPTIED_FOR_A_NEW_MEETING = {
    "younger_age": None,
    "child_feeling": None,
    "child_need": None,
    "words_to_child": None,
}


async def test_a_fresh_meeting_starts_without_any_reply(dispatcher, domain):
    # What Rasa sends when the form starts right after action_begin_flow.
    tracker = tracker_after(
        intent="start_younger_self",
        form="younger_self_form",
        new_slots=EMPTIED_FOR_A_NEW_MEETING,
    )
    events = await ValidateYoungerSelfForm().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert "None" not in slot_events(events).values()


async def test_a_fresh_letter_starts_empty(dispatcher, domain):
    tracker = tracker_after(
        intent="start_letter",
        form="letter_form",
        new_slots={"letter_part": None, "letter_text": None, "letter_started": None},
    )
    slots = slot_events(await ValidateLetterForm().run(dispatcher, tracker, domain))
    assert slots.get("letter_text") is None
    assert not slots.get("letter_started")


async def test_a_real_answer_next_to_emptied_slots_is_still_checked(dispatcher, domain):
    tracker = tracker_after(
        text="7",
        form="younger_self_form",
        requested_slot="younger_age",
        new_slots={"child_feeling": None, "younger_age": "7"},
    )
    slots = slot_events(
        await ValidateYoungerSelfForm().run(dispatcher, tracker, domain)
    )
    assert slots["younger_age"] == 7


def test_only_the_trailing_candidates_are_filtered():
    tracker = tracker_after(
        slots={"letter_text": "kept"},
        new_slots={"letter_part": None, "letter_text": "Dear me"},
    )
    answered = without_emptied_candidates(tracker)
    assert answered.slots_to_validate() == {"letter_text": "Dear me"}
    assert tracker.slots_to_validate() == {
        "letter_part": None,
        "letter_text": "Dear me",
    }
