"""Everyday news told to Tend, through the trained model: it never ends the
session, deletes anything or apologises for a crisis it never saw, and a mood said
in a few words starts the check-in.

The messages were written before the training examples that help with them, and
none is one of those examples (a test below checks)."""

from __future__ import annotations

import asyncio

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.config import PROJECT_ROOT

# Intents that end or change something: an unsure reading must never pick them.
CONSEQUENTIAL = {
    "wrap_up",
    "goodbye",
    "stop",
    "delete_my_data",
    "export_my_data",
    "misunderstood",
}
SAFETY = {"crisis", "crisis_disclosure", "crisis_someone_else", "worry_signal"}

EVERYDAY_NEWS = [
    "rough day tbh",
    "long week, just want to switch off",
    "my boss had a go at me in front of everyone",
    "can't sleep again",
    "had a fight with my sister",
    "i'm ok i guess",
    "kids were a nightmare today",
    "everything is just a lot right now",
    "i keep thinking about my childhood lately",
    "my partner forgot my birthday",
    "i cried in the car after work",
    "what should i do today",
    "today was good actually",
    "i got the job!!",
    "i've been overthinking all day",
    "my neighbour's dog barked all night and i'm shattered",
    "the school rang about my son again",
    "did a big food shop and cooked for the week",
    "my sister is getting married and i have feelings about it",
    "first day back at work after the holidays",
]

MOODS = [
    "tired and cranky",
    "feeling stuck with everything",
    "pretty low tonight",
    "honestly kind of flat today, work was a lot",
    "bit numb this evening",
    "so anxious about tomorrow's interview",
    # DIET reads a worry here; the lists see none, so the feeling is what is left.
    "i'm fine, just tired",
]


def intent_of(agent, text: str) -> str:
    parsed = asyncio.run(agent.parse_message(text))
    return parsed["intent"]["name"]


def test_the_messages_are_not_training_examples() -> None:
    nlu = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    examples = {m.get("text").lower() for m in nlu.training_examples}
    assert not examples & {t.lower() for t in EVERYDAY_NEWS + MOODS}


@pytest.mark.parametrize("text", EVERYDAY_NEWS)
def test_everyday_news_never_ends_deletes_or_alarms(loaded_agent, text: str) -> None:
    assert intent_of(loaded_agent, text) not in CONSEQUENTIAL | SAFETY


@pytest.mark.parametrize("text", MOODS)
def test_a_mood_in_a_few_words_starts_the_check_in(loaded_agent, text: str) -> None:
    assert intent_of(loaded_agent, text) == "inform_feeling"
