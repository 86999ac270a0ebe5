"""Which messages read as a question mid-exercise, and which as the answer."""

from __future__ import annotations

import pytest

from bot.dialogue.asides import SURE_QUESTION, looks_like_question, reads_as_answer


@pytest.mark.parametrize(
    "text",
    [
        "are you a bot",
        "r u human",
        "Is this therapy",
        "what happens in a session",
        "What’s inner child work",
        "tell me more about inner child work",
        "so you're a real person?",
        "how does this help",
    ],
)
def test_questions(text):
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "when I was little",
        "when i was a kid",
        "at school I think",
        "since my parents split up",
        "where I grew up, in the kitchen",
        "my dad, always",
        "around seven",
    ],
)
def test_answers_are_not_questions(text):
    assert not looks_like_question(text)


def test_an_unsure_question_intent_on_an_answer_reads_as_the_answer():
    assert reads_as_answer("when I was little", "bot_challenge", 0.61)


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("when I was little", "bot_challenge", SURE_QUESTION),  # the model is sure
        ("are you a bot", "bot_challenge", 0.5),  # shaped as a question
        ("hold on", "pause", 0.4),  # not a question intent
        ("stop", "stop", 0.3),
        ("   ", "learn_more", 0.2),  # nothing to take
        ("when I was little", None, 0.0),
    ],
)
def test_what_stays_an_aside(text, intent, confidence):
    assert not reads_as_answer(text, intent, confidence)
