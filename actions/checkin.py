"""`validate_checkin_form`: the feelings check-in and the feelings wheel.

Named feelings are reflected back by name; when none are named, the form goes to the
wheel (a family, then a finer word). Whichever way the feelings were named (the
`feelings_named` slot), they are added to the person's check-in history. The logic
lives in `bot.dialogue.checkin`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_answers import AnswerValidationAction
from actions.latest_message import feelings_record, latest_feelings, latest_intent
from actions.person import SAVING_FAILURES, log_saving_failure, person
from bot.dialogue.checkin import (
    NOT_SURE,
    CheckinEntry,
    checkin_entries,
    checkin_steps,
    family_from_answer,
)
from bot.dialogue.reflection import FAMILIES, family_of_feelings, reflect_feelings
from bot.store.database import default_storage
from bot.store.repository import record_checkin


class ValidateCheckinForm(AnswerValidationAction):
    """Reads each check-in answer and decides whether the wheel is needed."""

    def name(self) -> str:
        return "validate_checkin_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return checkin_steps(unsure=bool(tracker.get_slot("feelings_unsure")))

    async def get_validation_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        # `feelings_named` is set once per check-in, by whichever step named them.
        named = [
            event["value"]
            for event in events
            if event.get("event") == "slot" and event.get("name") == "feelings_named"
        ]
        if named and named[-1]:
            remember_checkin(tracker, checkin_entries(named[-1]))
        return events

    def validate_feelings_text(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        feelings = latest_feelings(tracker)
        if not feelings:
            unsure = latest_intent(tracker) == "dont_know_feeling"
            return {
                "feelings_text": NOT_SURE if unsure else value,
                "feelings_unsure": True,
            }
        dispatcher.utter_message(text=reflect_feelings(feelings))
        return {
            "feelings_text": value,
            "feelings_named": feelings_record(feelings),
            "feeling_family": family_of_feelings(feelings),
        }

    def validate_feeling_family(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        feelings = latest_feelings(tracker)
        family = family_from_answer(str(value), feelings)
        if family is None:
            dispatcher.utter_message(response="utter_feeling_family_unclear")
            return {"feeling_family": None}
        # A finer word typed straight away ("lonely", not "sad") needs no second step.
        finer = [feeling for feeling in feelings if feeling.word not in FAMILIES]
        if not finer:
            return {"feeling_family": family}
        dispatcher.utter_message(text=reflect_feelings(finer))
        return {
            "feeling_family": family,
            "wheel_feeling": finer[0].word,
            "feelings_named": feelings_record(finer),
        }

    def validate_wheel_feeling(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        feelings = latest_feelings(tracker)
        family = family_of_feelings(feelings) or tracker.get_slot("feeling_family")
        if not feelings:
            # No word from the list; the family itself is named feeling enough.
            dispatcher.utter_message(response="utter_staying_with_the_feeling")
            named = [{"word": family, "family": family}] if family else []
            return {"wheel_feeling": family, "feelings_named": named}
        dispatcher.utter_message(text=reflect_feelings(feelings))
        return {
            "wheel_feeling": feelings[0].word,
            "feeling_family": family,
            "feelings_named": feelings_record(feelings),
        }

    def validate_first_felt_memory(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        # There is no wrong answer here, "I don't know" included.
        return {"first_felt_memory": str(value).strip() or NOT_SURE}


def remember_checkin(tracker: Tracker, entries: Sequence[CheckinEntry]) -> None:
    """Adds the feelings to the person's history, best effort: if the database
    fails, the check-in carries on and the operator is warned (without them)."""
    if not entries:
        return
    now = datetime.now(timezone.utc)
    try:
        storage = default_storage()
        sender_hash = person(tracker)
        for entry in entries:
            record_checkin(
                storage, sender_hash, entry.feeling, entry.family, entry.intensity, now
            )
    except SAVING_FAILURES as error:
        log_saving_failure("a feelings check-in", error)
