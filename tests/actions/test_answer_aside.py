"""action_answer_aside: a question or a pause mid-exercise gets its answer.

The same questions are answered outside exercises by plain rules; these tests keep
the two in step, and check every exercise has its aside rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.asides import ActionAnswerAside
from bot.config import PROJECT_ROOT
from bot.dialogue.asides import ASIDE_RESPONSES
from tests.actions.trackers import sent_responses, tracker_after

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
