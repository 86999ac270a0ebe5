"""AnswerValidationAction: slots emptied for a fresh start are not answers; an answer
handed over by action_answer_aside is checked like any other."""

from __future__ import annotations

from actions.checkin import ValidateCheckinForm
from actions.form_answers import with_answer_from_aside, without_emptied_candidates
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


def _after_aside(text: str, answer: dict, form: str, requested_slot: str):
    """The tracker a form's validation gets when the form runs after
    action_answer_aside took `answer` from the message (no candidates at the end)."""
    tracker = tracker_after(text=text, form=None, requested_slot=requested_slot)
    tracker.events += [
        {"event": "action", "name": "action_answer_aside"},
        *({"event": "slot", "name": k, "value": v} for k, v in answer.items()),
        {"event": "slot", "name": "requested_slot", "value": requested_slot},
        {"event": "action", "name": form},
    ]
    tracker.active_loop = {"name": form}
    return tracker


def test_the_answer_taken_by_the_aside_becomes_the_candidate():
    tracker = _after_aside(
        "when I was little",
        {"first_felt_memory": "when I was little"},
        "checkin_form",
        "first_felt_memory",
    )
    assert tracker.slots_to_validate() == {}
    assert with_answer_from_aside(tracker).slots_to_validate() == {
        "first_felt_memory": "when I was little"
    }


def test_an_aside_that_only_answered_hands_over_nothing():
    tracker = _after_aside("are you a bot", {}, "checkin_form", "first_felt_memory")
    assert with_answer_from_aside(tracker).slots_to_validate() == {}


async def test_the_answer_taken_by_the_aside_is_validated(dispatcher, domain):
    tracker = _after_aside(
        "  at school i think ",
        {"first_felt_memory": "  at school i think "},
        "checkin_form",
        "first_felt_memory",
    )
    events = await ValidateCheckinForm().run(dispatcher, tracker, domain)
    assert slot_events(events)["first_felt_memory"] == "at school i think"


async def test_an_age_taken_by_the_aside_is_checked_like_any_age(dispatcher, domain):
    tracker = _after_aside(
        "seven", {"younger_age": "seven"}, "younger_self_form", "younger_age"
    )
    events = await ValidateYoungerSelfForm().run(dispatcher, tracker, domain)
    assert slot_events(events)["younger_age"] == 7
