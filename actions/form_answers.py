"""`AnswerValidationAction`: the base of Tend's form validations: answers only.

When a form starts, Rasa hands its validation the slots set since the person's last
message as if they were answers, including the ones `action_begin_flow` has just
emptied for a fresh start. An emptied slot is not an answer: checking it would, for
example, read "None" as an age and say it is not a number. Every slot Tend fills
from a message holds text, so an empty candidate always comes from a fresh start.

An answer can also reach a form through `action_answer_aside`, when a message the
model took for a question reads better as the answer (see `actions.asides`). Rasa
does not hand that one over as a candidate, so it is added here, and checked like
any other answer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class AnswerValidationAction(FormValidationAction, ABC):
    """Validates the slots a message filled, leaving emptied slots unchecked."""

    @abstractmethod
    def name(self) -> str:
        """`validate_<form>`; abstract, so the action server skips this base class."""

    async def get_validation_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        return await super().get_validation_events(
            dispatcher,
            with_answer_from_aside(without_emptied_candidates(tracker)),
            domain,
        )


def without_emptied_candidates(tracker: Tracker) -> Tracker:
    """A copy of the tracker whose slot candidates (the slot events at the end of its
    events, see `Tracker.slots_to_validate`) leave out the emptied ones."""
    events: list[dict[str, Any]] = list(tracker.events)
    start = len(events)
    while start > 0 and events[start - 1].get("event") == "slot":
        start -= 1
    answers = [event for event in events[start:] if event.get("value") is not None]
    answered = tracker.copy()
    answered.events = events[:start] + answers
    return answered


ANSWER_ASIDE = "action_answer_aside"


def with_answer_from_aside(tracker: Tracker) -> Tracker:
    """A copy of the tracker whose slot candidates include the answer that
    `action_answer_aside` took from the person's latest message, when there are no
    other candidates."""
    if tracker.slots_to_validate():
        return tracker
    events: list[dict[str, Any]] = list(tracker.events)
    handed_over: list[dict[str, Any]] = []
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "user":
            break
        if event.get("event") == "action" and event.get("name") == ANSWER_ASIDE:
            for following in events[index + 1 :]:
                if following.get("event") != "slot":
                    break
                # Rasa adds the form's requested_slot after it: not an answer.
                if (
                    following.get("value") is not None
                    and following.get("name") != "requested_slot"
                ):
                    handed_over.append(dict(following))
            break
    if not handed_over:
        return tracker
    answered = tracker.copy()
    answered.events = events + handed_over
    return answered
