"""Crisis phrases that are often innocent said alone (`ask_first:` in crisis.yml).

Alone, such a phrase is still read as a crisis, but marked `ask_first`, and the
component turns it into the question that fits (a `worry_signal` at the
`ask_first` level). Beside anything else that says danger it stays the crisis
reply. The sentences here are not the lexicon's
own examples.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis import (
    DEFAULT_LEXICON,
    CrisisClassifier,
    CrisisDetector,
    load_crisis_lexicon,
)
from bot.nlu.crisis_model import READING_KEY, LearntReading
from bot.nlu.safety_intents import ASK_FIRST, CRISIS, WORRY, WORRY_LEVEL


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    return CrisisDetector.from_lexicon()


# --- the lists -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "posted a goodbye video for my followers, taking a year off from youtube",
            "suicide",
        ),
        (
            "handed in my notice, writing goodbye emails to clients today",
            "suicide",
        ),
        ("sorting my affairs in order before the hip operation", "suicide"),
        ("signing off for good from the forum, the mods are impossible", "suicide"),
        (
            "I'm gonna murder my flatmate, third time he's used my oat milk",
            "harm_to_others",
        ),
        ("honestly could strangle my manager after that meeting", "harm_to_others"),
        ("i'll strangle my coworker, she keeps microwaving fish", "harm_to_others"),
    ],
)
def test_a_phrase_often_innocent_alone_is_asked_first(detector, text, category):
    reading = detector.assess(text)
    assert (reading.kind, reading.category, reading.ask_first) == (
        "crisis",
        category,
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        # The same phrases beside a worry, another crisis phrase, or a sign.
        "posted my goodbye video. there's no point to anything anymore",
        "sent the goodbye texts and the tablets are counted out on the table",
        "signing off for good, everyone would be better off without me",
        "I'm going to kill him, I've got the knife in my bag and I'm waiting",
        # Crisis phrases the ask-first phrases never cover.
        "I left goodbye notes for my kids on the kitchen table",
        "I'm ending it all tonight",
        "I want to kill my stepdad",
        "I could hurt the baby, I keep picturing it",
    ],
)
def test_anything_else_that_says_danger_keeps_the_crisis_reply(detector, text):
    reading = detector.assess(text)
    assert (reading.kind, reading.ask_first) == ("crisis", False)


def test_a_denial_is_not_a_worry_beside_the_phrase(detector):
    reading = detector.assess("sorting my affairs in order, I'm not suicidal, just 80")
    assert (reading.kind, reading.ask_first) == ("crisis", True)


def test_one_warning_sign_of_its_category_beside_it_makes_it_plain(detector):
    alone = detector.assess("I'm going to strangle him after the match")
    beside = detector.assess("I'm going to strangle him after the match, not joking")
    assert (alone.ask_first, beside.ask_first) == (True, False)
    assert beside.kind == "crisis"


def test_someone_elses_figure_of_speech_is_not_the_writers(detector):
    reading = detector.assess("my sister is going to kill her boyfriend when she hears")
    assert reading.kind == "someone_else"
    assert not reading.ask_first


def test_the_section_is_read_from_the_file_and_changes_the_reading(tmp_path):
    text = "I'm gonna murder my brother, the ice cream is gone"
    lexicon = tmp_path / "crisis.yml"
    shutil.copy(DEFAULT_LEXICON, lexicon)
    before = CrisisDetector.from_lexicon(lexicon).assess(text)
    assert before.ask_first
    content = lexicon.read_text(encoding="utf-8")
    start = content.index("\nask_first:\n")
    end = content.index("\n# Worrying, but not an explicit crisis.")
    lexicon.write_text(
        content[:start] + "\nask_first: []\n" + content[end:], encoding="utf-8"
    )
    assert load_crisis_lexicon(lexicon).ask_first == ()
    after = CrisisDetector.from_lexicon(lexicon).assess(text)
    assert (after.kind, after.ask_first) == ("crisis", False)


# --- the component -----------------------------------------------------------------


@pytest.fixture(scope="module")
def classifier(tmp_path_factory) -> CrisisClassifier:
    return CrisisClassifier.create(
        CrisisClassifier.get_default_config(),
        LocalModelStorage.create(Path(tmp_path_factory.mktemp("storage"))),
        Resource("crisis_classifier"),
        ExecutionContext(GraphSchema({}), "test-model"),
    )


def parsed(
    classifier: CrisisClassifier, text: str, probability: float | None = None
) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {
        TEXT: text,
        INTENT: {INTENT_NAME_KEY: "share_experience", PREDICTED_CONFIDENCE_KEY: 0.9},
    }
    message = Message(data=data)
    if probability is not None:
        message.set(READING_KEY, LearntReading(probability, "suicide"))
    [result] = classifier.process([message])
    entities = {e["entity"]: e["value"] for e in result.get(ENTITIES) or []}
    return result.get(INTENT)[INTENT_NAME_KEY], entities


def test_alone_it_becomes_the_question_of_its_category(classifier):
    intent, entities = parsed(classifier, "could honestly strangle my lab partner")
    assert intent == WORRY
    assert entities[WORRY_LEVEL] == ASK_FIRST
    assert entities["crisis_category"] == "harm_to_others"


@pytest.mark.parametrize("probability", [0.3, 0.69, 0.95])
def test_the_learnt_reader_does_not_decide_it(classifier, probability):
    # Alone, the phrase is all the reader has to go on: it may not make it the
    # crisis reply, nor take the question away.
    intent, entities = parsed(
        classifier, "the goodbye post is up on my page", probability
    )
    assert (intent, entities[WORRY_LEVEL]) == (WORRY, ASK_FIRST)


def test_a_plain_crisis_is_not_touched(classifier):
    intent, entities = parsed(classifier, "I am going to kill myself tonight", 0.1)
    assert intent == CRISIS
    assert WORRY_LEVEL not in entities
