"""action_save_letter: the finished letter is kept once, and nothing is lost when the
database is down (the letter stays in `letter_text` and "save my letter" retries)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy.exc
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.letter
from actions.letter import ActionSaveLetter
from bot.store.database import Storage
from bot.store.repository import letters_for
from tests.actions.conftest import use_storage
from tests.actions.trackers import sent_responses, slot_events, tracker_after

LETTER = "Dear little me,\n\nnone of it was your fault. Love, me"


def after_letter(
    intent: str = "letter_done", letter: str | None = LETTER, saved: bool = False
) -> Tracker:
    """The tracker when the action runs: after the form, or after "save my letter"."""
    return tracker_after(
        text="done" if intent == "letter_done" else "save my letter",
        intent=intent,
        slots={
            "letter_text": letter,
            "letter_started": bool(letter),
            "letter_saved": saved,
        },
    )


async def save(tracker: Tracker) -> tuple[list[str], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await ActionSaveLetter().run(dispatcher, tracker, {})
    return sent_responses(dispatcher), events


async def test_a_finished_letter_is_saved_and_the_person_told(
    storage: Storage, test_person: str
) -> None:
    responses, events = await save(after_letter())
    assert responses == ["utter_letter_saved"]
    assert slot_events(events) == {"letter_saved": True}
    assert [letter.body for letter in letters_for(storage, test_person)] == [LETTER]


async def test_with_the_database_down_the_reply_is_kind_and_the_letter_kept(
    storage_down: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses, events = await save(after_letter())
    assert responses == ["utter_letter_not_saved"]
    # `letter_text` is left as it is, so a retry has the whole letter.
    assert slot_events(events) == {"letter_saved": False}
    assert "unavailable" in caplog.text
    assert "little me" not in caplog.text


async def test_a_query_error_is_answered_as_kindly_and_logged_without_the_letter(
    storage: Storage, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(*args: Any, **kwargs: Any) -> int:
        raise sqlalchemy.exc.IntegrityError("INSERT ...", {}, Exception("boom"))

    monkeypatch.setattr(actions.letter, "save_letter", failing)
    caplog.set_level(logging.DEBUG)
    responses, events = await save(after_letter())
    assert responses == ["utter_letter_not_saved"]
    assert slot_events(events) == {"letter_saved": False}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings if "IntegrityError" in r.getMessage()]
    assert "little me" not in caplog.text


async def test_saving_again_after_a_failure_saves_the_letter_once(
    storage_down: Storage,
    storage: Storage,
    monkeypatch: pytest.MonkeyPatch,
    test_person: str,
) -> None:
    use_storage(monkeypatch, storage_down)
    responses, _ = await save(after_letter())
    assert responses == ["utter_letter_not_saved"]

    use_storage(monkeypatch, storage)  # the database is back
    responses, events = await save(after_letter(intent="save_letter"))
    assert responses == ["utter_letter_saved"]
    assert slot_events(events) == {"letter_saved": True}

    responses, events = await save(after_letter(intent="save_letter", saved=True))
    assert responses == ["utter_letter_already_saved"]
    assert events == []
    assert len(letters_for(storage, test_person)) == 1


async def test_asking_to_save_with_no_letter_gets_a_gentle_answer(
    storage: Storage, test_person: str
) -> None:
    responses, events = await save(after_letter(intent="save_letter", letter=None))
    assert responses == ["utter_no_letter_to_save"]
    assert events == []
    assert letters_for(storage, test_person) == []


async def test_finishing_without_writing_saves_nothing_and_says_nothing_more(
    storage: Storage, test_person: str
) -> None:
    responses, events = await save(after_letter(letter="  "))
    assert responses == []
    assert events == []
    assert letters_for(storage, test_person) == []


def test_every_response_the_action_sends_is_in_the_domain(
    domain: dict[str, Any],
) -> None:
    sent = {
        "utter_letter_saved",
        "utter_letter_not_saved",
        "utter_letter_already_saved",
        "utter_no_letter_to_save",
    }
    assert sent <= set(domain["responses"])
    assert "action_save_letter" in domain["actions"]
    assert "save_letter" in domain["intents"]
