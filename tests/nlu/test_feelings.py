"""Tests for bot/nlu/feelings.py: Tend hears the feelings people name, only those."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.training.fingerprinting import calculate_fingerprint_key
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.dialogue.reflection import (
    FAMILIES,
    feelings_from_entities,
    reflect_feelings,
)
from bot.nlu.feelings import (
    DEFAULT_LEXICON,
    MAX_TEXT_CHARS,
    FeelingsExtractor,
    FeelingsFinder,
    FeelingsLexicon,
    LexiconError,
    load_feelings_lexicon,
)
from bot.nlu.spacy_pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def finder(nlp) -> FeelingsFinder:
    return FeelingsFinder.from_lexicon(DEFAULT_LEXICON, nlp=nlp)


@pytest.fixture(scope="module")
def lexicon() -> FeelingsLexicon:
    return load_feelings_lexicon(DEFAULT_LEXICON)


def words(finder: FeelingsFinder, text: str) -> list[str]:
    return [feeling.word for feeling in finder.find(text)]


# --- The lexicon ---------------------------------------------------------------


def test_lexicon_has_the_six_families_with_labels(lexicon: FeelingsLexicon) -> None:
    assert lexicon.families() == FAMILIES
    for family in FAMILIES:
        assert lexicon.family_label(family)
        assert len(lexicon.words_in(family)) >= 20


def test_lexicon_holds_at_least_150_distinct_feelings(lexicon) -> None:
    canonical = {word for family in FAMILIES for word in lexicon.words_in(family)}
    assert len(canonical) >= 150
    assert len(lexicon.spellings) >= 220


def test_lexicon_keeps_the_multiword_feelings(lexicon) -> None:
    for phrase in ("left out", "on edge", "fed up", "burnt out", "let down"):
        assert lexicon.spellings[phrase] == phrase
    assert lexicon.spellings["worn out"] == "worn out"
    assert lexicon.spellings["stressed out"] == "stressed out"
    assert lexicon.spellings["heart broken"] == "heartbroken"
    assert lexicon.spellings["lonesome"] == "lonely"


def test_lexicon_knows_each_words_family(lexicon) -> None:
    assert lexicon.family_of("lonely") == "sad"
    assert lexicon.family_of("on edge") == "scared"
    assert lexicon.family_of("fed up") == "mad"
    assert lexicon.family_of("proud") == "powerful"


def _write_lexicon(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_LEXICON.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "feelings.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_word_listed_in_two_places_names_both(tmp_path: Path) -> None:
    path = _write_lexicon(tmp_path, "      - glad\n", "      - glad\n      - lonely\n")
    with pytest.raises(LexiconError, match="`lonely` is listed twice") as error:
        load_feelings_lexicon(path)
    assert str(path) in str(error.value)


def test_a_rule_for_an_unknown_word_is_refused(tmp_path: Path) -> None:
    path = _write_lexicon(
        tmp_path, "only_as_written: [crushed,", "only_as_written: [crushd,"
    )
    with pytest.raises(LexiconError, match="`crushd` in `only_as_written`"):
        load_feelings_lexicon(path)


def test_said_on_their_own_written_as_a_list_is_explained(tmp_path: Path) -> None:
    path = _write_lexicon(
        tmp_path,
        "said_on_their_own:\n  words:",
        "said_on_their_own: [low]\nunused:\n  words:",
    )
    with pytest.raises(LexiconError, match="`said_on_their_own:` must be a mapping"):
        load_feelings_lexicon(path)


def test_a_missing_lexicon_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="lexicon.*config.yml"):
        load_feelings_lexicon(tmp_path / "nope.yml")


# --- What is found ---------------------------------------------------------------

PLAIN = [
    ("I feel so lonely tonight", ["lonely"]),
    ("I'm sad", ["sad"]),
    ("i am SO ANXIOUS!!!", ["anxious"]),
    ("I’m so angry right now 😡😡", ["angry"]),
    ("😔 feeling down", ["down"]),
    ("I've been feeling low", ["low"]),
    ("I was so down last week", ["down"]),
    ("I feel blue today", ["blue"]),
    ("I'm worried about my mum", ["worried"]),
    ("my mum worries a lot and so do I", ["worried"]),
    ("I'm stressing about exams", ["stressed"]),
    ("I'm hurting so much", ["hurt"]),
    ("I'm panicking", ["panicky"]),
    ("I feel lonesome since the move", ["lonely"]),
    ("the grief is heavy today", ["grieving"]),
    ("I'm grieving my grandma", ["grieving"]),
    ("my inner child feels abandoned", ["abandoned"]),
    ("little me was terrified of the dark", ["terrified"]),
    ("I felt unloved and unwanted growing up", ["unloved", "unwanted"]),
    ("I'm feeling hopeful for the first time in ages", ["hopeful"]),
    ("I'm grateful for my friends", ["grateful"]),
    ("I feel relieved", ["relieved"]),
    ("I feel so much calmer now", ["calm"]),
    ("I was really touched by what she said", ["touched"]),
    ("I'm frustrated with myself", ["frustrated"]),
    ("I'm furious with him", ["furious"]),
    ("I feel safe now", ["safe"]),
    ("I feel numb", ["numb"]),
    ("I'm lost", ["lost"]),
    ("I feel kind of lost lately", ["lost"]),
    ("I'm so proud of myself", ["proud"]),
    ("I feel seen", ["seen"]),
    ("I'm unhappy at work", ["unhappy"]),
    ("I feel like nobody cares, I'm so alone", ["alone"]),
    ("it left me empty", ["empty"]),
    ("I feel so ashamed of crying", ["ashamed"]),
    ("there's so much shame in me", ["ashamed"]),
    ("I'm exhausted", ["exhausted"]),
    ("I feel great today", ["great"]),
    ("I'm content with how things are", ["content"]),
]

SEVERAL = [
    ("I feel really lonely and a bit ashamed", ["lonely", "ashamed"]),
    (
        "Honestly I'm exhausted and kind of overwhelmed by everything",
        ["exhausted", "overwhelmed"],
    ),
    ("I miss my dad, I feel empty and lonely", ["empty", "lonely"]),
    ("I'm happy for her but also jealous", ["happy", "jealous"]),
    ("Today I felt proud of myself and calm", ["proud", "calm"]),
    ("I feel guilty and ashamed about what happened", ["guilty", "ashamed"]),
    (
        "My boss ignored me again and I feel invisible, angry and humiliated",
        ["ignored", "invisible", "angry", "humiliated"],
    ),
    ("I feel worthless and useless", ["worthless", "useless"]),
    ("I feel seen and heard", ["seen", "heard"]),
    ("I feel sad, empty and numb", ["sad", "empty", "numb"]),
    ("as a kid I always felt scared and small", ["scared", "small"]),
    ("I'm tired. Really tired.", ["tired", "tired"]),
    ("I'm scared and I don't know what to do", ["scared"]),
    ("I'm angry at her and sad for me", ["angry", "sad"]),
    ("Relieved but still nervous", ["relieved", "nervous"]),
    ("I feel calm and safe in my safe place", ["calm", "safe"]),
]

MULTIWORD = [
    ("I feel so left out at school", ["left out"]),
    ("being left out hurts", ["left out", "hurt"]),
    ("I'm always on edge around him", ["on edge"]),
    ("I'm fed up", ["fed up"]),
    ("I'm fed-up with all of it", ["fed up"]),
    ("I'm sick of this", ["fed up"]),
    ("I'm sick and tired of being ignored", ["fed up", "ignored"]),
    ("Im sooo tired of everything", ["fed up"]),
    ("I had enough of this", ["fed up"]),
    ("I'm burnt out and stressed out", ["burnt out", "stressed out"]),
    ("I'm so burned out", ["burnt out"]),
    ("I feel let down by my friends", ["let down"]),
    ("I'm completely worn out", ["worn out"]),
    ("I'm wornout", ["worn out"]),
    ("my heart is broken, I'm heart broken", ["heartbroken"]),
    ("I'm heart-broken", ["heartbroken"]),
    ("I'm over the moon!", ["over the moon"]),
    ("I feel totally out of my depth at work", ["out of my depth"]),
    ("I'm finally at peace with it", ["peaceful"]),
    ("I'm under pressure all the time", ["under pressure"]),
    ("I feel taken for granted", ["taken for granted"]),
    ("I'm on edge and freaking out", ["on edge", "freaked out"]),
    ("I'm self-conscious about my body", ["self-conscious"]),
]

NEGATED = [
    ("not angry, just tired", ["tired"]),
    ("I'm not angry, just tired", ["tired"]),
    ("I don't feel happy", []),
    ("I dont feel safe", []),
    ("I'm not angry or sad", []),
    ("I'm no longer scared of him", []),
    ("I was never happy as a kid", []),
    ("I'm not feeling all that happy", []),
    ("nothing makes me happy anymore", []),
    ("I'm not happy, I'm sad", ["sad"]),
    ("It isn't that I'm angry, I'm hurt", ["hurt"]),
    ("I wasn't scared, I was excited", ["excited"]),
    ("I'm not lonely but I'm bored", ["bored"]),
    ("I'm sad, not angry", ["sad"]),
    # Still felt, despite a "not" or "never" somewhere before.
    ("I've never felt so alone", ["alone"]),
    ("I can't stop feeling anxious", ["anxious"]),
    ("I don't know why I feel so sad", ["sad"]),
    ("I don't want to feel lonely anymore", ["lonely"]),
    ("Nobody understands how lonely I am", ["lonely"]),
    # Someone trying a feeling on is still naming it; Tend reflects it gently.
    ("I'm not sure I'm sad", ["sad"]),
    ("I don't know if I'm angry or just tired", ["angry", "tired"]),
]

MISSPELLED = [
    ("I'm so lonley", ["lonely"]),
    ("I'm so lonly and anxous", ["lonely", "anxious"]),
    ("I'm embarassed and frusterated", ["embarrassed", "frustrated"]),
    ("I'm totally overwhelmd and depresed", ["overwhelmed", "depressed"]),
    ("I'm so tierd", ["tired"]),
    ("I'm so exausted", ["exhausted"]),
    ("I'm terified", ["terrified"]),
    ("I'm jelous of my brother", ["jealous"]),
    ("my greif is huge", ["grieving"]),
    ("I'm so woried", ["worried"]),
    ("I'm angery", ["angry"]),
    ("I'm saaaad", ["sad"]),
    ("I'm sadd", ["sad"]),
    ("I'm happpy", ["happy"]),
    ("I'm soooo stresed out", ["stressed out"]),
    ("I feel s4d", ["sad"]),
]

NOT_FEELINGS = [
    # Common little words, spelt right or with a slip, are never "corrected" into a
    # feeling that happens to look alike ("something" is not "seething").
    ("something happened at work", []),
    ("i feel somthing is off today", []),
    ("whatever, it doesn't matter", []),
    ("nothing much, everything is the same", []),
    ("sadly we lost the match", []),
    ("that was pure madness", []),
    ("Sadie is my friend", []),
    ("Angie came over", []),
    ("I need to calm down", []),
    ("happy birthday to my mum", []),
    ("we watched Mad Max", []),
    ("I'm feeling sick", []),
    ("my tires are flat", []),
    ("the battery is low", []),
    ("sit down please", []),
    ("I'm down for pizza", []),
    ("I love pizza", []),
    ("I'm moving house next week", []),
    ("my safe place is the beach", []),
    ("feel free to ask", []),
    ("the blue car is mine", []),
    ("I'm getting a blue car", []),
    ("I got lost on the way home", []),
    ("I have enough money", []),
    ("I'm seeing someone new", []),
    ("no worries", []),
    ("the film was great", []),
    ("it's been great", []),
    ("this app is useless", []),
    ("the gladiator is mad keen on sport", ["mad"]),
    # Real words are never "corrected" into feelings.
    ("the sacred texts", []),
    ("a tiered cake", []),
    ("I sat on the board", []),
    ("angel wings", []),
    # Words that open a message as a mood only when nothing object-like follows.
    ("low on petrol, back soon", []),
    ("down the stairs", []),
    ("flat pack furniture all afternoon", []),
    ("empty the dishwasher please", []),
    ("blue whales are huge", []),
    ("burnt out bulb in the hall", []),
]

SAID_ON_THEIR_OWN = [
    ("quite low this week tbh", ["low"]),
    ("really low tonight", ["low"]),
    ("ngl pretty flat today", ["flat"]),
    ("meh", ["meh"]),
    ("numb, the whole day went past me", ["numb"]),
    ("worn out and teary", ["worn out", "tearful"]),
    ("tense again, the meeting is tomorrow", ["tense"]),
    ("a bit blue i think", ["blue"]),
    ("not low at all today", []),
]


@pytest.mark.parametrize(("text", "expected"), SAID_ON_THEIR_OWN)
def test_a_mood_word_opening_a_message_is_a_feeling(
    finder, text: str, expected: list[str]
) -> None:
    assert words(finder, text) == expected


@pytest.mark.parametrize(("text", "expected"), PLAIN)
def test_finds_a_named_feeling(finder, text: str, expected: list[str]) -> None:
    assert words(finder, text) == expected


@pytest.mark.parametrize(("text", "expected"), SEVERAL)
def test_finds_several_feelings_in_order(finder, text, expected) -> None:
    assert words(finder, text) == expected


@pytest.mark.parametrize(("text", "expected"), MULTIWORD)
def test_finds_multiword_feelings_as_one(finder, text, expected) -> None:
    assert words(finder, text) == expected


@pytest.mark.parametrize(("text", "expected"), NEGATED)
def test_leaves_out_denied_feelings(finder, text, expected) -> None:
    assert words(finder, text) == expected


@pytest.mark.parametrize(("text", "expected"), MISSPELLED)
def test_forgives_usual_misspellings(finder, text, expected) -> None:
    assert words(finder, text) == expected


@pytest.mark.parametrize(("text", "expected"), NOT_FEELINGS)
def test_ignores_everyday_words_and_parts_of_words(finder, text, expected) -> None:
    assert words(finder, text) == expected


def test_at_least_a_hundred_realistic_sentences_are_checked() -> None:
    cases = PLAIN + SEVERAL + MULTIWORD + NEGATED + MISSPELLED + NOT_FEELINGS
    assert len({text for text, _ in cases}) >= 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I feel really lonely and a bit ashamed",
            [("strong", "lonely"), ("mild", "ashamed")],
        ),
        ("I'm kinda nervous", [("mild", "nervous")]),
        ("I'm a little bit nervous about tomorrow", [("mild", "nervous")]),
        ("I'm sooo tired", [("strong", "tired")]),
        ("I am extremely anxious", [("strong", "anxious")]),
        ("I am slightly annoyed", [("mild", "annoyed")]),
        ("I'm so so sad", [("strong", "sad")]),
        ("I feel kind of lost", [("mild", "lost")]),
        ("I'm sad", [(None, "sad")]),
        ("really, I'm sad", [(None, "sad")]),
    ],
)
def test_notes_how_strongly_a_feeling_is_named(finder, text, expected) -> None:
    assert [(f.intensity, f.word) for f in finder.find(text)] == expected


def test_each_feeling_carries_its_family(finder) -> None:
    found = finder.find("I'm proud but scared, angry, happy, calm and sad")
    assert [(f.word, f.family) for f in found] == [
        ("proud", "powerful"),
        ("scared", "scared"),
        ("angry", "mad"),
        ("happy", "joyful"),
        ("calm", "peaceful"),
        ("sad", "sad"),
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("I’m SO Lonely 😢", ["Lonely"]),
        ("😢😢 I feel left   out", ["left   out"]),
        ("I f\u200beel lonley and SAAAAD", ["lonley", "SAAAAD"]),
        ("Ｉ ａｍ ａｎｇｒｙ", ["ａｎｇｒｙ"]),
        ("so sad\u0301 today", ["sad\u0301"]),
        ("I'm heart-broken.\nAnd I'm burnt out", ["heart-broken", "burnt out"]),
    ],
)
def test_offsets_point_at_the_words_as_written(finder, text, written) -> None:
    assert [text[f.start : f.end] for f in finder.find(text)] == written


def test_long_text_finds_feelings_throughout(finder) -> None:
    filler = "Today I went to work, had lunch and took the bus home again. " * 40
    text = f"I feel lonely. {filler}I was angry. {filler}Now I'm calm."
    found = finder.find(text)
    assert [f.word for f in found] == ["lonely", "angry", "calm"]
    assert [text[f.start : f.end] for f in found] == ["lonely", "angry", "calm"]


def test_text_past_the_limit_is_not_read(finder) -> None:
    text = "I'm sad. " + "x " * MAX_TEXT_CHARS + "I'm angry."
    assert words(finder, text) == ["sad"]


@pytest.mark.parametrize("text", ["", "   ", "\n", "😢", "?!", "\u200b"])
def test_nothing_to_read_finds_nothing(finder, text: str) -> None:
    assert finder.find(text) == []


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.text(),
        st.text(st.characters(blacklist_categories=())),  # lone surrogates too
        st.lists(
            st.sampled_from(
                [
                    "I",
                    "I'm",
                    "not",
                    "so",
                    "a bit",
                    "sad",
                    "left",
                    "out",
                    ",",
                    "n't",
                    "feel",
                    "lonley",
                    "and",
                    "never",
                    "down",
                    "😢",
                    "\u200b",
                    "SAAAD",
                ]
            )
        ).map(" ".join),
    )
)
def test_find_never_raises_and_offsets_stay_in_the_text(finder, text: str) -> None:
    for feeling in finder.find(text):
        assert 0 <= feeling.start < feeling.end <= len(text)
        assert feeling.family in FAMILIES


# --- The Rasa component ------------------------------------------------------------


@pytest.fixture
def extractor(finder) -> FeelingsExtractor:
    return FeelingsExtractor(finder)


def test_component_adds_feeling_and_family_entities(extractor) -> None:
    text = "I feel really lonely and a bit ashamed"
    message = Message({TEXT: text})
    extractor.process([message])
    entities = message.get(ENTITIES)
    assert [(e["entity"], e["value"]) for e in entities] == [
        ("feeling", "lonely"),
        ("feeling_family", "sad"),
        ("feeling", "ashamed"),
        ("feeling_family", "sad"),
    ]
    assert entities[0]["intensity"] == "strong"
    assert entities[2]["intensity"] == "mild"
    assert entities[0]["family"] == "sad"
    for entity in entities:
        assert entity["extractor"] == "FeelingsExtractor"
        assert entity["confidence_entity"] == 1.0
    assert [text[e["start"] : e["end"]] for e in entities] == [
        "lonely",
        "lonely",
        "ashamed",
        "ashamed",
    ]


def test_component_marks_a_respelled_value_as_processed(extractor) -> None:
    message = Message({TEXT: "I feel lonley and lonely"})
    extractor.process([message])
    feelings = [e for e in message.get(ENTITIES) if e["entity"] == "feeling"]
    assert feelings[0]["processors"] == ["FeelingsExtractor"]
    assert "processors" not in feelings[1]


def test_component_keeps_entities_already_found(extractor) -> None:
    earlier = {"entity": "name", "value": "Sam", "start": 0, "end": 3}
    message = Message({TEXT: "Sam here, I'm sad", ENTITIES: [dict(earlier)]})
    extractor.process([message])
    assert message.get(ENTITIES)[0] == earlier
    assert [e["value"] for e in message.get(ENTITIES)[1:]] == ["sad", "sad"]


def test_component_leaves_a_message_without_text_alone(extractor) -> None:
    message = Message({})
    extractor.process([message])
    assert message.get(ENTITIES) == []


class _BrokenFinder:
    def find(self, text: str) -> list:
        raise RuntimeError(f"broke on {text}")


def test_component_failure_costs_only_the_entities_and_logs_no_text(caplog) -> None:
    message = Message({TEXT: "my private words"})
    with caplog.at_level(logging.DEBUG):
        FeelingsExtractor(_BrokenFinder()).process([message])
    assert message.get(ENTITIES) == []
    assert "RuntimeError" in caplog.text
    assert "private" not in caplog.text


def test_component_built_by_rasa_reads_the_configured_lexicon(tmp_path: Path) -> None:
    path = _write_lexicon(tmp_path, "      - glad\n", "      - glad\n      - zingy\n")
    storage = LocalModelStorage(tmp_path / "model")
    resource = Resource("feelings")
    extractor = FeelingsExtractor.create(
        {"lexicon": str(path)}, storage, resource, ExecutionContext(GraphSchema({}))
    )
    message = Message({TEXT: "I feel zingy"})
    extractor.process([message])
    assert [e["value"] for e in message.get(ENTITIES)] == ["zingy", "joyful"]


def test_fingerprint_changes_when_the_lexicon_changes(tmp_path: Path) -> None:
    path = tmp_path / "feelings.yml"
    shutil.copy(DEFAULT_LEXICON, path)
    config = {"lexicon": str(path)}
    before = FeelingsExtractor.fingerprint_addon(config)
    key_before = calculate_fingerprint_key(FeelingsExtractor, config, {})
    assert before == FeelingsExtractor.fingerprint_addon(config)

    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert FeelingsExtractor.fingerprint_addon(config) != before
    assert calculate_fingerprint_key(FeelingsExtractor, config, {}) != key_before


def test_default_config_points_at_the_project_lexicon() -> None:
    config = FeelingsExtractor.get_default_config()
    assert FeelingsExtractor.lexicon_path(config) == DEFAULT_LEXICON


def test_entities_read_back_into_a_reflection(extractor) -> None:
    message = Message({TEXT: "I'm really lonely and kinda out of my depth"})
    extractor.process([message])
    feelings = feelings_from_entities(message.get(ENTITIES))
    assert reflect_feelings(feelings) == (
        "It sounds like you feel really lonely and a bit out of your depth."
    )
