"""action_answer_aside: a question or a pause mid-exercise gets its answer.

The same questions are answered outside exercises by plain rules; these tests keep
the two in step, and check every exercise has its aside rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.asides import ActionAnswerAside, waiting_for_words
from bot.config import PROJECT_ROOT
from bot.dialogue.asides import ASIDE_RESPONSES
from tests.actions.trackers import sent_responses, slot_events, tracker_after

RULES_DIR = PROJECT_ROOT / "data" / "rules"
# Mid-exercise, these say how to carry on; between exercises they show the menu.
OWN_WORDS_MID_EXERCISE = {"help", "pause"}


def _rules() -> list[dict[str, Any]]:
    rules = []
    for path in sorted(Path(RULES_DIR).glob("*.yml")):
        rules += yaml.safe_load(path.read_text()).get("rules") or []
    return rules


def _aside_intents(rule: dict[str, Any]) -> set[str]:
    return {
        option["intent"]
        for step in rule["steps"]
        for option in step.get("or", [])
        if "intent" in option
    }


@pytest.mark.parametrize(
    ("intent", "response"),
    [("pause", "utter_pause_mid_exercise"), ("bot_challenge", "utter_i_am_a_bot")],
)
async def test_the_aside_gets_its_own_answer(dispatcher, domain, intent, response):
    tracker = tracker_after(intent=intent, form="safe_place_form")
    assert await ActionAnswerAside().run(dispatcher, tracker, domain) == []
    assert sent_responses(dispatcher) == [response]


def test_every_aside_answer_is_written_in_the_domain(domain):
    assert set(ASIDE_RESPONSES.values()) <= set(domain["responses"])


def test_every_exercise_answers_the_same_asides_and_carries_on(domain):
    asides_by_form = {
        rule["condition"][0]["active_loop"]: _aside_intents(rule)
        for rule in _rules()
        if any(s.get("action") == "action_answer_aside" for s in rule["steps"])
    }
    assert asides_by_form.keys() == domain["forms"].keys()
    for intents in asides_by_form.values():
        assert intents == set(ASIDE_RESPONSES)


def test_questions_get_the_same_answer_inside_and_outside_exercises():
    outside = {
        rule["steps"][0]["intent"]: rule["steps"][1]["action"]
        for rule in _rules()
        if "condition" not in rule and "intent" in rule["steps"][0]
    }
    for intent, response in ASIDE_RESPONSES.items():
        if intent not in OWN_WORDS_MID_EXERCISE:
            assert outside[intent] == response, intent


async def test_an_unsure_question_that_is_not_shaped_as_one_is_taken_as_the_answer(
    dispatcher, domain
):
    # "when did you first feel this way?" answered; the model half-read "are you a bot".
    tracker = tracker_after(
        text="when I was little",
        intent="bot_challenge",
        confidence=0.61,
        form="checkin_form",
        requested_slot="first_felt_memory",
    )
    events = await ActionAnswerAside().run(dispatcher, tracker, domain)
    assert slot_events(events) == {"first_felt_memory": "when I was little"}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ("are you a bot", 0.61),  # shaped as a question
        ("when i was little?", 0.61),  # a question mark
        ("you're a bot", 0.95),  # the model is sure
    ],
)
async def test_a_question_is_still_answered_mid_answer(
    dispatcher, domain, text, confidence
):
    tracker = tracker_after(
        text=text,
        intent="bot_challenge",
        confidence=confidence,
        form="checkin_form",
        requested_slot="first_felt_memory",
    )
    assert await ActionAnswerAside().run(dispatcher, tracker, domain) == []
    assert sent_responses(dispatcher) == ["utter_i_am_a_bot"]


async def test_an_unsure_pause_is_never_taken_as_an_answer(dispatcher, domain):
    tracker = tracker_after(
        text="hang on a sec",
        intent="pause",
        confidence=0.5,
        form="letter_form",
        requested_slot="letter_part",
    )
    assert await ActionAnswerAside().run(dispatcher, tracker, domain) == []
    assert sent_responses(dispatcher) == ["utter_pause_mid_exercise"]


async def test_nothing_is_taken_when_the_form_asked_for_nothing(dispatcher, domain):
    tracker = tracker_after(
        text="some words", intent="learn_more", confidence=0.5, form="checkin_form"
    )
    assert await ActionAnswerAside().run(dispatcher, tracker, domain) == []
    assert sent_responses(dispatcher) == ["utter_what_is_inner_child_work"]


def test_every_form_question_takes_the_persons_words(domain):
    # The forms ask only for slots filled from the person's text, so any of them
    # can take an answer from action_answer_aside.
    tracker = tracker_after(form="checkin_form", requested_slot="first_felt_memory")
    assert waiting_for_words(tracker, domain) == "first_felt_memory"
    for form, spec in domain["forms"].items():
        for slot in spec["required_slots"]:
            tracker = tracker_after(form=form, requested_slot=slot)
            assert waiting_for_words(tracker, domain) == slot, (form, slot)
    other = tracker_after(form="letter_form", requested_slot="first_felt_memory")
    assert waiting_for_words(other, domain) is None
