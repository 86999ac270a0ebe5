"""validate_letter_form: the letter grows message by message until it is done."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.letter import ValidateLetterForm
from tests.actions.trackers import slot_events, tracker_after

FORM = "letter_form"


async def send(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    text: str,
    intent: str = "inform_feeling",
    slots: dict[str, Any] | None = None,
) -> dict[str, Any]:
    tracker = tracker_after(
        form=FORM,
        text=text,
        intent=intent,
        requested_slot="letter_part",
        slots=slots,
        new_slots={"letter_part": text},
    )
    return slot_events(await ValidateLetterForm().run(dispatcher, tracker, domain))


async def test_the_first_message_starts_the_letter(dispatcher, domain):
    slots = await send(dispatcher, domain, "Dear little me,")
    assert slots["letter_text"] == "Dear little me,"
    assert slots["letter_started"] is True
    # Emptied, so the form asks for the next part instead of finishing.
    assert slots["letter_part"] is None
    assert slots.get("requested_slot", "letter_part") == "letter_part"


async def test_each_message_is_added_to_the_letter(dispatcher, domain):
    slots = await send(
        dispatcher,
        domain,
        "none of it was your fault",
        slots={"letter_text": "Dear little me,", "letter_started": True},
    )
    assert slots["letter_text"] == "Dear little me,\n\nnone of it was your fault"


async def test_done_finishes_the_letter_without_adding_to_it(dispatcher, domain):
    slots = await send(
        dispatcher,
        domain,
        "/letter_done",
        intent="letter_done",
        slots={"letter_text": "Dear little me,", "letter_started": True},
    )
    assert slots["letter_finished"] is True
    assert "letter_text" not in slots
    assert slots["requested_slot"] is None


async def test_save_my_letter_while_writing_finishes_it_without_adding_to_it(
    dispatcher, domain
):
    slots = await send(
        dispatcher,
        domain,
        "please save my letter",
        intent="save_letter",
        slots={"letter_text": "Dear little me,", "letter_started": True},
    )
    assert slots["letter_finished"] is True
    assert "letter_text" not in slots
    assert slots["requested_slot"] is None


async def test_done_before_any_words_finishes_an_empty_letter(dispatcher, domain):
    slots = await send(dispatcher, domain, "done", intent="letter_done")
    assert slots["letter_finished"] is True
    assert "letter_started" not in slots
    assert slots["requested_slot"] is None
