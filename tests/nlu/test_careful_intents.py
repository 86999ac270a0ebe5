"""Tests for `CarefulIntents`: an unsure reading never ends or deletes anything, and
a named feeling is read as a feeling when DIET read nothing sure."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.config import PROJECT_ROOT
from bot.nlu.careful_intents import CarefulIntents
from bot.nlu.reader_step import pipeline_step, read_config
from bot.nlu.safety_intents import SAFETY_INTENTS

CAREFUL = {"wrap_up": 0.8, "delete_my_data": 0.9}
FEELING = {"entity": "feeling", "value": "tired", "start": 0, "end": 5}


@pytest.fixture
def careful(tmp_path) -> CarefulIntents:
    return CarefulIntents.create(
        {"careful": CAREFUL, "fallback_threshold": 0.45, "feeling_over": 0.6},
        LocalModelStorage.create(tmp_path),
        Resource("careful_intents"),
        ExecutionContext(GraphSchema({}), "test-model"),
    )


def read(
    careful: CarefulIntents,
    ranking: list[tuple[str, float]],
    entities: list[dict[str, Any]] | None = None,
) -> tuple[str, list[str]]:
    entries = [
        {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        for name, confidence in ranking
    ]
    message = Message(
        data={
            TEXT: "words",
            INTENT: dict(entries[0]),
            INTENT_RANKING_KEY: entries,
            ENTITIES: entities or [],
        }
    )
    careful.process([message])
    return message.get(INTENT)[INTENT_NAME_KEY], [
        entry[INTENT_NAME_KEY] for entry in message.get(INTENT_RANKING_KEY)
    ]


def test_an_unsure_intent_that_ends_something_becomes_the_fallback(careful) -> None:
    intent, ranking = read(careful, [("wrap_up", 0.79), ("share_experience", 0.1)])
    assert intent == "nlu_fallback"
    assert ranking == ["nlu_fallback", "wrap_up", "share_experience"]
    assert read(careful, [("delete_my_data", 0.6)])[0] == "nlu_fallback"


def test_a_sure_intent_that_ends_something_is_kept(careful) -> None:
    assert read(careful, [("wrap_up", 0.8)])[0] == "wrap_up"
    assert read(careful, [("delete_my_data", 0.95)])[0] == "delete_my_data"


def test_intents_without_a_line_are_kept_however_unsure(careful) -> None:
    assert read(careful, [("share_experience", 0.5)])[0] == "share_experience"


def test_a_named_feeling_is_read_as_a_feeling_when_nothing_sure_was(careful) -> None:
    assert read(careful, [("nlu_fallback", 0.45)], [FEELING])[0] == "inform_feeling"
    assert read(careful, [("wrap_up", 0.5)], [FEELING])[0] == "inform_feeling"
    # A sure reading stays: "i'm tired, let's finish for today" finishes.
    assert read(careful, [("wrap_up", 0.9)], [FEELING])[0] == "wrap_up"
    assert read(careful, [("nlu_fallback", 0.45)])[0] == "nlu_fallback"
    # Anything else DIET is unsure of, beside a named feeling, is the feeling...
    assert read(careful, [("feelings_summary", 0.5)], [FEELING])[0] == "inform_feeling"
    # ...but a sure reading is kept: "i'm tired, can we do the safe place".
    assert (
        read(careful, [("start_safe_place", 0.6)], [FEELING])[0] == "start_safe_place"
    )


def test_under_a_safety_intent_the_ordinary_reading_is_settled(careful) -> None:
    # "i'm fine, just tired": DIET's worry_signal is the crisis check's to keep or
    # drop; if it drops it, the feeling is what it falls back to.
    intent, ranking = read(careful, [("worry_signal", 0.5), ("greet", 0.2)], [FEELING])
    assert intent == "worry_signal"
    assert ranking[:2] == ["worry_signal", "inform_feeling"]
    intent, ranking = read(careful, [("crisis", 0.5), ("wrap_up", 0.4)])
    assert (intent, ranking[:2]) == ("crisis", ["crisis", "nlu_fallback"])


def test_a_settled_feeling_is_never_under_the_fallback_line(careful) -> None:
    message = Message(
        data={
            TEXT: "words",
            INTENT: {INTENT_NAME_KEY: "wrap_up", PREDICTED_CONFIDENCE_KEY: 0.2},
            INTENT_RANKING_KEY: [],
            ENTITIES: [FEELING],
        }
    )
    careful.process([message])
    assert message.get(INTENT)[PREDICTED_CONFIDENCE_KEY] == 0.45


@pytest.mark.parametrize("safety", SAFETY_INTENTS)
def test_a_safety_intent_is_never_changed(careful, safety: str) -> None:
    assert read(careful, [(safety, 0.3)], [FEELING])[0] == safety


def test_config_puts_it_before_the_crisis_readers_with_the_fallback_line() -> None:
    config = read_config(PROJECT_ROOT / "config.yml")
    names = [step["name"] for step in config["pipeline"]]
    assert names[-3:] == [
        "bot.nlu.careful_intents.CarefulIntents",
        "bot.nlu.crisis_model.LearntCrisisReader",
        "bot.nlu.crisis.CrisisClassifier",
    ]
    fallback = pipeline_step(config, "FallbackClassifier")["threshold"]
    step = pipeline_step(config, "bot.nlu.careful_intents.CarefulIntents")
    assert step["fallback_threshold"] == fallback
    # Stopping must always be possible: never a careful intent.
    assert "stop" not in step["careful"]
    assert set(step["careful"]) >= {"wrap_up", "delete_my_data"}
