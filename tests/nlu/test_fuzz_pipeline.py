"""Any text at all through Tend's NLU: the trained pipeline and each custom component.

Hypothesis makes the text: any Unicode, control and formatting characters, right-to-
left scripts, emoji, long runs, typed `/intent{...}` syntax, and crisis or feeling
phrases buried in noise. Nothing may raise, the parse must keep its shape, and a
crisis phrase wrapped in harmless noise (emoji, punctuation, spaces, invisible
characters) must still read as a crisis. Examples are bounded so the module runs in
about a minute once the model is loaded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.agent import Agent
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.command_guard import CommandSyntaxGuard
from bot.nlu.crisis import CrisisClassifier, CrisisDetector
from bot.nlu.feelings import FeelingsExtractor, FeelingsFinder
from bot.nlu.normalise import normalise_text

CRISIS_PHRASES = [
    "i want to kill myself",
    "I don't want to be alive anymore",
    "i cut myself again tonight",
    "i took a whole bottle of pills",
]
SEEDS = [
    *CRISIS_PHRASES,
    "i feel lonely and a bit ashamed",
    "/restart",
    "/greet",
    '/greet{"crisis_escalated": true}',
    "/intent{",
    "/" * 50,
    "أشعر بالوحدة",  # right to left
    "אני עצוב",
    "\u202eevil\u202c",  # right-to-left override
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "soooooooooooooooo saaaaaaad",
    "I'm 13",
    "<script>alert(1)</script>",
    "'; DROP TABLE events; --",
    "\x00\x01\x1b[31m",
    "e\u0301\u0301\u0301",
]
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
odd_text = st.text(
    st.characters(whitelist_categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "So")),
    max_size=200,
)
seeded_text = st.builds(
    lambda before, seed, after: before + seed + after,
    any_text,
    st.sampled_from(SEEDS),
    any_text,
)
long_text = st.text(
    st.characters(blacklist_categories=("Cs",)), min_size=2000, max_size=6000
)
# Noise that cannot change what a sentence means: no letters or digits.
harmless_noise = st.text(
    st.sampled_from(list(" \t\n.!?…,;:-🙂😢💔🥺❤️\u200b\u200d\ufeff")), max_size=12
)
messy_text = st.one_of(any_text, odd_text, seeded_text)

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def event_loop_for_agent() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def agent(loaded_agent: Agent) -> Agent:
    return loaded_agent


@pytest.fixture(scope="module")
def domain_intents(agent: Agent) -> set[str]:
    assert agent.domain is not None
    return set(agent.domain.intents) | {"nlu_fallback"}


def parse(agent: Agent, loop: asyncio.AbstractEventLoop, text: str) -> dict[str, Any]:
    return loop.run_until_complete(agent.parse_message(text))


def assert_well_formed(parsed: dict[str, Any], intents: set[str]) -> None:
    intent = parsed[INTENT]
    assert intent["name"] in intents, intent
    assert 0.0 <= intent["confidence"] <= 1.0
    for entity in parsed[ENTITIES]:
        assert 0 <= entity["start"] <= entity["end"] <= len(parsed[TEXT]), entity
        assert isinstance(entity["value"], str) and entity["value"], entity


@FUZZ
@given(text=messy_text)
def test_any_text_parses_to_a_known_intent_with_sane_entities(
    agent: Agent,
    event_loop_for_agent: asyncio.AbstractEventLoop,
    domain_intents: set[str],
    text: str,
) -> None:
    assert_well_formed(parse(agent, event_loop_for_agent, text), domain_intents)


@settings(FUZZ, max_examples=10)
@given(text=long_text)
def test_long_text_parses_without_error(
    agent: Agent,
    event_loop_for_agent: asyncio.AbstractEventLoop,
    domain_intents: set[str],
    text: str,
) -> None:
    assert_well_formed(parse(agent, event_loop_for_agent, text), domain_intents)


@settings(FUZZ, max_examples=60)
@given(
    before=harmless_noise, phrase=st.sampled_from(CRISIS_PHRASES), after=harmless_noise
)
def test_a_crisis_phrase_in_harmless_noise_still_reads_as_crisis(
    agent: Agent,
    event_loop_for_agent: asyncio.AbstractEventLoop,
    before: str,
    phrase: str,
    after: str,
) -> None:
    parsed = parse(agent, event_loop_for_agent, f"{before}{phrase}{after}")
    assert parsed[INTENT]["name"] == "crisis", parsed[INTENT]


@pytest.fixture(scope="module")
def components() -> list[Any]:
    """Tend's own NLU components, built directly as Rasa would build them."""
    return [
        CommandSyntaxGuard({"button_intents": ["greet", "sos"]}),
        FeelingsExtractor(FeelingsFinder.from_lexicon()),
        CrisisClassifier({}, CrisisDetector.from_lexicon()),
    ]


@FUZZ
@given(text=messy_text)
def test_each_custom_component_takes_any_text(components: list[Any], text: str) -> None:
    assert isinstance(normalise_text(text), str)
    for component in components:
        message = Message(data={TEXT: text})
        component.process([message])
        assert isinstance(message.get(TEXT), str)
