"""Tests for `CrisisClassifier`, the last NLU component: it sets the safety intents.

The component is built directly, the way rasa-3.x-component-examples test theirs,
and fed `Message`s as DIETClassifier and FallbackClassifier would leave them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
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
from rasa.shared.utils.io import read_yaml_file

from bot.config import PROJECT_ROOT
from bot.nlu.crisis import DEFAULT_LEXICON, CrisisClassifier, CrisisLexiconError
from bot.nlu.crisis_model import READING_KEY, LearntReading
from bot.nlu.safety_intents import FAINT_SIGN
from tests.work_count import growth

ENTITY_KEYS = {"start", "end", "value", "entity", "confidence", "extractor"}
SAFETY = {"crisis", "crisis_disclosure", "crisis_someone_else", "worry_signal"}


def build(tmp_path: Path, **config: Any) -> CrisisClassifier:
    storage = LocalModelStorage.create(tmp_path)
    resource = Resource("crisis_classifier")
    context = ExecutionContext(GraphSchema({}), "test-model")
    return CrisisClassifier.create(
        {**CrisisClassifier.get_default_config(), **config}, storage, resource, context
    )


@pytest.fixture(scope="module")
def classifier(tmp_path_factory) -> CrisisClassifier:
    return build(tmp_path_factory.mktemp("storage"))


def message(text: str, ranking: list[tuple[str, float]] | None = None) -> Message:
    """A message as the classifiers before CrisisClassifier leave it."""
    data: dict[str, Any] = {TEXT: text}
    if ranking:
        entries = [
            {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
            for name, confidence in ranking
        ]
        data[INTENT] = dict(entries[0])
        data[INTENT_RANKING_KEY] = entries
    return Message(data=data)


def processed(classifier: CrisisClassifier, msg: Message) -> Message:
    [result] = classifier.process([msg])
    return result


def intent_of(msg: Message) -> tuple[str, float]:
    intent = msg.get(INTENT)
    return intent[INTENT_NAME_KEY], intent[PREDICTED_CONFIDENCE_KEY]


def entities_of(msg: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in msg.get(ENTITIES) or []}


def test_the_component_is_registered_as_an_intent_classifier():
    registered = DefaultV1Recipe._registered_components["CrisisClassifier"]
    assert registered.clazz is CrisisClassifier
    assert DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types
    assert registered.is_trainable is False


@pytest.mark.parametrize(
    ("text", "intent", "category"),
    [
        ("i want to kill myself", "crisis", "suicide"),
        ("I wanted to die when I was 12", "crisis_disclosure", "suicide"),
        ("my friend says she wants to kill herself", "crisis_someone_else", "suicide"),
    ],
)
def test_a_detected_kind_sets_its_safety_intent_and_category(
    classifier, text, intent, category
):
    msg = processed(classifier, message(text, [("greet", 0.7), ("mood_low", 0.3)]))
    assert intent_of(msg) == (intent, 1.0)
    assert entities_of(msg) == {"crisis_category": category}


def test_a_worry_sets_worry_signal_without_a_category(classifier):
    msg = processed(classifier, message("nothing matters anymore", [("greet", 0.9)]))
    assert intent_of(msg) == ("worry_signal", 1.0)
    assert "crisis_category" not in entities_of(msg)


def test_the_safety_intent_leads_the_ranking_and_other_safety_intents_leave_it(
    classifier,
):
    ranking = [
        ("mood_low", 0.5),
        ("crisis", 0.3),
        ("worry_signal", 0.1),
        ("greet", 0.1),
    ]
    msg = processed(classifier, message("i cut myself last night", ranking))
    names = [entry[INTENT_NAME_KEY] for entry in msg.get(INTENT_RANKING_KEY)]
    assert names == ["crisis", "mood_low", "greet"]
    assert msg.get(INTENT_RANKING_KEY)[0][PREDICTED_CONFIDENCE_KEY] == 1.0


def test_a_young_writer_gets_the_young_person_entity(classifier):
    msg = processed(classifier, message("im 14 and my dad hits me", [("greet", 0.9)]))
    assert entities_of(msg) == {"crisis_category": "abuse", "young_person": "true"}


def test_entities_carry_every_key_rasa_needs(classifier):
    text = "I'm 13 and I want to die"
    msg = processed(classifier, message(text, [("greet", 0.9)]))
    for entity in msg.get(ENTITIES):
        assert set(entity) >= ENTITY_KEYS
        assert (entity["start"], entity["end"]) == (0, len(text))
        assert entity["extractor"] == "CrisisClassifier"


def test_entities_from_earlier_components_are_kept(classifier):
    msg = message("i want to die", [("greet", 0.9)])
    feeling = {"entity": "feeling", "value": "sad", "start": 0, "end": 1}
    msg.set(ENTITIES, [feeling])
    assert processed(classifier, msg).get(ENTITIES)[0] == feeling


def test_a_message_no_classifier_saw_still_gets_the_safety_intent(classifier):
    msg = processed(classifier, message("i want to kill myself"))
    assert intent_of(msg) == ("crisis", 1.0)


def test_an_ordinary_prediction_is_left_alone_when_nothing_is_found(classifier):
    ranking = [("greet", 0.8), ("mood_low", 0.2)]
    msg = processed(classifier, message("hello there", ranking))
    assert intent_of(msg) == ("greet", 0.8)
    assert [e[INTENT_NAME_KEY] for e in msg.get(INTENT_RANKING_KEY)] == [
        "greet",
        "mood_low",
    ]
    assert not msg.get(ENTITIES)


def test_a_confident_learnt_crisis_without_an_idiom_becomes_a_strong_worry(
    classifier,
):
    ranking = [("crisis", 0.93), ("mood_low", 0.05)]
    msg = processed(classifier, message("everything is dark and heavy", ranking))
    assert intent_of(msg) == ("worry_signal", 0.93)
    assert entities_of(msg) == {"worry_level": "strong"}
    assert msg.get(INTENT_RANKING_KEY)[0][INTENT_NAME_KEY] == "worry_signal"


def test_a_confident_learnt_crisis_on_an_idiom_falls_back_to_an_ordinary_intent(
    classifier,
):
    ranking = [("crisis", 0.95), ("mood_stressed", 0.04), ("worry_signal", 0.01)]
    msg = processed(classifier, message("this homework is killing me", ranking))
    # What is left is too unsure to act on: Tend asks kindly instead of guessing.
    assert intent_of(msg) == ("nlu_fallback", 0.45)
    names = {entry[INTENT_NAME_KEY] for entry in msg.get(INTENT_RANKING_KEY)}
    assert not names & SAFETY
    assert "mood_stressed" in names


def test_an_unsure_learnt_crisis_falls_back_to_nlu_fallback(classifier):
    ranking = [("crisis", 0.6), ("greet", 0.3), ("mood_low", 0.1)]
    msg = processed(classifier, message("hmm okay", ranking))
    assert intent_of(msg) == ("nlu_fallback", 0.45)
    assert [e[INTENT_NAME_KEY] for e in msg.get(INTENT_RANKING_KEY)] == [
        "nlu_fallback",
        "greet",
        "mood_low",
    ]


def test_a_dropped_safety_intent_leaves_a_sure_ordinary_intent_as_it_is(
    classifier,
):
    ranking = [("worry_signal", 0.5), ("mood_tired", 0.46), ("greet", 0.04)]
    msg = processed(classifier, message("so tired today", ranking))
    assert intent_of(msg) == ("mood_tired", 0.46)


def test_the_fallback_threshold_is_read_from_the_config(tmp_path):
    lenient = build(tmp_path, fallback_threshold=0.2)
    ranking = [("crisis", 0.6), ("greet", 0.3), ("mood_low", 0.1)]
    assert intent_of(processed(lenient, message("hmm okay", ranking))) == (
        "greet",
        0.3,
    )


def test_config_yml_gives_the_crisis_classifier_the_fallback_threshold():
    pipeline = {
        step["name"]: step
        for step in read_yaml_file(PROJECT_ROOT / "config.yml")["pipeline"]
    }
    threshold = pipeline["FallbackClassifier"]["threshold"]
    crisis = pipeline["bot.nlu.crisis.CrisisClassifier"]
    assert crisis["fallback_threshold"] == threshold


@pytest.mark.parametrize(
    "learnt", ["crisis_disclosure", "crisis_someone_else", "worry_signal"]
)
def test_other_learnt_safety_intents_fall_back_without_guessing(classifier, learnt):
    ranking = [(learnt, 0.99), ("greet", 0.01)]
    msg = processed(classifier, message("hello", ranking))
    assert intent_of(msg) == ("nlu_fallback", 0.45)
    names = [e[INTENT_NAME_KEY] for e in msg.get(INTENT_RANKING_KEY)]
    assert names == ["nlu_fallback", "greet"]


def test_a_learnt_safety_intent_with_nothing_else_ranked_becomes_nlu_fallback(
    classifier,
):
    msg = processed(classifier, message("hello", [("worry_signal", 0.7)]))
    assert intent_of(msg)[0] == "nlu_fallback"
    names = [e[INTENT_NAME_KEY] for e in msg.get(INTENT_RANKING_KEY)]
    assert names == ["nlu_fallback"]


def test_the_fingerprint_changes_when_the_lexicon_changes(tmp_path):
    lexicon = tmp_path / "crisis.yml"
    shutil.copy(DEFAULT_LEXICON, lexicon)
    config = {"lexicon": str(lexicon)}
    before = CrisisClassifier.fingerprint_addon(config)
    assert before == CrisisClassifier.fingerprint_addon(config)
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8") + "\n# a practitioner's note\n",
        encoding="utf-8",
    )
    assert CrisisClassifier.fingerprint_addon(config) != before


def test_the_lexicon_path_is_read_relative_to_the_project_root():
    default = CrisisClassifier.get_default_config()
    assert CrisisClassifier.lexicon_path(default) == PROJECT_ROOT / default["lexicon"]
    assert CrisisClassifier.fingerprint_addon(default) is not None


def test_a_missing_lexicon_stops_the_component_with_the_path(tmp_path):
    with pytest.raises(CrisisLexiconError, match="missing.yml"):
        build(tmp_path, lexicon=str(tmp_path / "missing.yml"))


def test_a_hundred_kilobyte_message_is_read_to_the_crisis_at_its_end(classifier):
    day = "i went for a walk and then cooked dinner with my sister. "
    text = (day * 1800)[:100_000]
    msg = processed(classifier, message(text + " i want to die", [("greet", 0.9)]))
    assert intent_of(msg) == ("crisis", 1.0)


def test_the_component_s_work_grows_with_the_message_not_faster(classifier):
    # Counted, not timed (tests/work_count.py): a slow CI machine once took 1.09 s of
    # CPU here against a 1.0 s line. The speed itself is in `make bench`.
    def read(text: str) -> Message:
        return processed(classifier, message(text, [("greet", 0.9)]))

    day = "i went for a walk and then cooked dinner with my sister. "
    short = (day * 180)[:10_000] + " i want to die"
    long = (day * 1800)[:100_000] + " i want to die"
    assert growth(read, short, long) < 15


@pytest.mark.parametrize(
    "text", ["", " ", "🙂" * 50, "\u202eevil\u202c", "\x00\x1b[31m", "שלום", "a\ud800b"]
)
def test_odd_messages_never_raise(classifier, text):
    assert processed(classifier, message(text, [("greet", 0.5)])).get(INTENT)


def test_a_message_without_text_never_raises(classifier):
    assert processed(classifier, Message(data={})) is not None


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(max_size=300),
    learnt=st.sampled_from(["crisis", "worry_signal", "greet", None]),
    confidence=st.floats(min_value=0.0, max_value=1.0),
)
def test_processing_never_raises(classifier, text, learnt, confidence):
    ranking = [(learnt, confidence), ("greet", 0.0)] if learnt else None
    msg = processed(classifier, message(text, ranking))
    if learnt or msg.get(INTENT):
        assert msg.get(INTENT)[INTENT_NAME_KEY]


# --- the learnt reader's word, when the lists found nothing or a worry ----------


def read_as(text: str, probability: float, category: str = "self_harm") -> Message:
    """A message the learnt reader (bot.nlu.crisis_model) has read."""
    msg = message(text, [("greet", 0.9), ("crisis", 0.05)])
    msg.set(READING_KEY, LearntReading(probability, category))
    return msg


def test_a_sure_learnt_reading_gets_the_crisis_reply(classifier):
    msg = processed(classifier, read_as("the edges of the blade again tonight", 0.93))
    assert intent_of(msg) == ("crisis", pytest.approx(0.93))
    assert entities_of(msg)["crisis_category"] == "self_harm"


def test_a_fairly_sure_learnt_reading_gets_the_direct_question(classifier):
    msg = processed(classifier, read_as("the edges of the blade again tonight", 0.65))
    assert intent_of(msg) == ("worry_signal", pytest.approx(0.65))
    assert entities_of(msg)["worry_level"] == "strong"


def test_an_unsure_learnt_reading_changes_nothing(classifier):
    msg = processed(classifier, read_as("the edges of the blade again tonight", 0.5))
    assert intent_of(msg) == ("greet", 0.9)


def test_an_unsure_learnt_reading_over_the_faint_line_is_a_faint_sign(classifier):
    # It changes no reply (the ordinary intent stays); the safety policy counts it.
    msg = processed(classifier, read_as("the edges of the blade again tonight", 0.45))
    assert intent_of(msg) == ("greet", 0.9)
    assert msg.get(FAINT_SIGN) is True
    assert msg.as_dict(only_output_properties=True)[FAINT_SIGN] is True


def test_a_reading_under_the_faint_line_is_no_sign_at_all(classifier):
    msg = processed(classifier, read_as("the edges of the blade again tonight", 0.3))
    assert msg.get(FAINT_SIGN) is None


@pytest.mark.parametrize("probability", [0.65, 0.95])
def test_a_reading_that_brought_a_reply_is_not_also_a_faint_sign(
    classifier, probability
):
    msg = processed(
        classifier, read_as("the edges of the blade again tonight", probability)
    )
    assert msg.get(FAINT_SIGN) is None


def test_the_faint_line_is_read_from_the_config(tmp_path):
    strict = build(tmp_path, learnt_faint=0.5)
    msg = processed(strict, read_as("the edges of the blade again tonight", 0.45))
    assert msg.get(FAINT_SIGN) is None


def test_the_word_lists_decide_before_the_learnt_reader(classifier):
    # The lists read a crisis themselves: their category, full confidence.
    msg = processed(classifier, read_as("i want to kill myself", 0.95, "medical"))
    assert intent_of(msg) == ("crisis", 1.0)
    assert entities_of(msg)["crisis_category"] == "suicide"
    # The lists read a past experience: the learnt reader is not asked.
    past = processed(
        classifier, read_as("i wanted to die when i was twelve", 0.99, "suicide")
    )
    assert intent_of(past)[0] == "crisis_disclosure"


SOMEONE_ELSE_TEXT = "my dad says he will hurt my mum tonight"


def test_the_someone_else_text_here_is_read_by_the_lists_as_another_persons(
    classifier,
):
    assert classifier._detector.assess(SOMEONE_ELSE_TEXT).kind == "someone_else"


def test_a_very_sure_reader_overrules_someone_elses_danger(classifier):
    # The lists read another person's danger, the reader the writer's own.
    msg = processed(classifier, read_as(SOMEONE_ELSE_TEXT, 0.95, "abuse"))
    assert intent_of(msg) == ("crisis", pytest.approx(0.95))
    assert entities_of(msg)["crisis_category"] == "abuse"


def test_a_fairly_sure_reader_leaves_someone_elses_danger(classifier):
    msg = processed(classifier, read_as(SOMEONE_ELSE_TEXT, 0.85, "abuse"))
    assert intent_of(msg)[0] == "crisis_someone_else"


WORRY_TEXT = "i'm such a burden on everyone and nothing matters anymore"
DENIED_WORRY_TEXT = "i'm not suicidal, just so tired of everything"


def test_the_worry_texts_here_are_read_by_the_lists_as_worries(classifier):
    worry = classifier._detector.assess(WORRY_TEXT)
    denied = classifier._detector.assess(DENIED_WORRY_TEXT)
    assert (worry.kind, worry.negated) == ("worry", False)
    assert (denied.kind, denied.negated) == ("worry", True)


@pytest.mark.parametrize("probability", [0.65, 0.99])
def test_a_worry_the_learnt_reader_is_fairly_or_very_sure_of_gets_the_direct_question(
    classifier, probability
):
    # Never the crisis reply on the reader's word beside a worry ("i'm shaking and i
    # want it to stop" reads like an overdose to it): the direct question at once.
    msg = processed(classifier, read_as(WORRY_TEXT, probability, "suicide"))
    assert intent_of(msg) == ("worry_signal", pytest.approx(probability))
    assert entities_of(msg)["worry_level"] == "strong"


def test_a_worry_the_learnt_reader_is_unsure_of_stays_a_worry(classifier):
    msg = processed(classifier, read_as(WORRY_TEXT, 0.5, "suicide"))
    assert intent_of(msg) == ("worry_signal", 1.0)
    assert "worry_level" not in entities_of(msg)


def test_a_worry_the_writer_denies_is_not_overruled_by_the_reader(classifier):
    msg = processed(classifier, read_as(DENIED_WORRY_TEXT, 0.99, "suicide"))
    assert intent_of(msg)[0] == "worry_signal"
    assert "worry_level" not in entities_of(msg)


def test_an_everyday_idiom_the_lists_know_is_not_overruled(classifier):
    msg = processed(classifier, read_as("this homework is killing me", 0.99, "suicide"))
    assert intent_of(msg)[0] != "crisis"


IDIOM_TEXT = "how do i hide the cuts in pe tomorrow, this week is killing me"


def test_the_idiom_text_here_is_read_by_the_lists_as_an_idiom_only(classifier):
    assessment = classifier._detector.assess(IDIOM_TEXT)
    assert assessment.kind == "none"
    assert any(label.startswith("exception:") for label in assessment.matched)


def test_beside_an_idiom_a_very_sure_reader_brings_the_direct_question(classifier):
    # Never the crisis reply on the reader's word beside an idiom, but a crisis
    # told next to one ("...this week is killing me") is not lost either.
    msg = processed(classifier, read_as(IDIOM_TEXT, 0.95, "self_harm"))
    assert intent_of(msg) == ("worry_signal", pytest.approx(0.95))
    assert entities_of(msg)["worry_level"] == "strong"


def test_beside_an_idiom_a_fairly_sure_reader_is_not_enough(classifier):
    msg = processed(classifier, read_as(IDIOM_TEXT, 0.85, "self_harm"))
    assert intent_of(msg)[0] not in SAFETY


def test_beside_an_idiom_or_a_worry_an_unsure_reading_is_no_faint_sign(classifier):
    # An idiom the lists know says the words are everyday; a worry already counts.
    for text in (IDIOM_TEXT, WORRY_TEXT, SOMEONE_ELSE_TEXT):
        assert processed(classifier, read_as(text, 0.5)).get(FAINT_SIGN) is None


def test_a_young_writer_read_by_the_learnt_reader_is_still_young(classifier):
    msg = processed(classifier, read_as("im 14 and the blade is in my drawer", 0.9))
    assert entities_of(msg)["young_person"] == "true"


# --- the learnt reader's other kinds, when the lists found nothing --------------

QUIET_TEXT = "she keeps giving her things away and won't say why"


def read_as_kind(
    text: str, kind: str, kind_probability: float, crisis: float = 0.2
) -> Message:
    """A message the learnt reader read as `kind` this sure (and a crisis now
    `crisis` sure); the rest of its kinds share what is left."""
    rest = max(0.0, 1.0 - kind_probability - crisis) / 3
    kinds = {k: rest for k in ("someone_else", "disclosure", "worry", "none")}
    msg = message(text, [("greet", 0.9), ("crisis", 0.05)])
    msg.set(
        READING_KEY,
        LearntReading(
            crisis,
            "suicide",
            word_kinds={**kinds, kind: kind_probability, "crisis": crisis},
        ),
    )
    return msg


def test_the_quiet_text_here_is_left_by_the_lists(classifier):
    assessment = classifier._detector.assess(QUIET_TEXT)
    assert assessment.kind == "none" and not assessment.matched


@pytest.mark.parametrize(
    ("kind", "intent"),
    [("someone_else", "crisis_someone_else"), ("disclosure", "crisis_disclosure")],
)
def test_a_kind_the_reader_is_sure_of_gets_that_kinds_reply(classifier, kind, intent):
    msg = processed(classifier, read_as_kind(QUIET_TEXT, kind, 0.7))
    assert intent_of(msg) == (intent, pytest.approx(0.7))
    # The category says which words fit (and whether to ask about thoughts now).
    assert entities_of(msg)["crisis_category"] == "suicide"


def test_a_worry_the_reader_is_sure_of_is_a_faint_sign(classifier):
    # Counted with the worries, with no reply of its own: the ordinary intent stays.
    msg = processed(classifier, read_as_kind(QUIET_TEXT, "worry", 0.8))
    assert intent_of(msg) == ("greet", 0.9)
    assert msg.get(FAINT_SIGN) is True


def test_a_worry_read_as_a_faint_sign_leaves_diets_safety_guess_to_the_lists(
    classifier,
):
    # As any faint sign: DIET's own safety intent is not kept on its word.
    msg = read_as_kind(QUIET_TEXT, "worry", 0.8)
    msg.set(INTENT, {"name": "crisis_disclosure", "confidence": 0.7})
    msg.set(
        INTENT_RANKING_KEY,
        [
            {"name": "crisis_disclosure", "confidence": 0.7},
            {"name": "greet", "confidence": 0.6},
        ],
    )
    msg = processed(classifier, msg)
    assert intent_of(msg) == ("greet", 0.6)
    assert msg.get(FAINT_SIGN) is True


def test_the_worry_line_is_read_from_the_config(tmp_path):
    strict = build(tmp_path, learnt_other_kinds={"worry": 0.9})
    msg = processed(strict, read_as_kind(QUIET_TEXT, "worry", 0.8))
    assert msg.get(FAINT_SIGN) is None


def test_a_kind_the_reader_is_unsure_of_changes_nothing(classifier):
    msg = processed(classifier, read_as_kind(QUIET_TEXT, "someone_else", 0.4))
    assert intent_of(msg) == ("greet", 0.9)


def test_a_sure_crisis_reading_comes_before_any_other_kind(classifier):
    msg = processed(classifier, read_as_kind(QUIET_TEXT, "someone_else", 0.1, 0.85))
    assert intent_of(msg) == ("crisis", pytest.approx(0.85))


def test_the_direct_question_comes_before_any_other_kind(classifier):
    # Fairly sure of a crisis now: asking is safer than another kind's reply.
    msg = processed(classifier, read_as_kind(QUIET_TEXT, "someone_else", 0.3, 0.6))
    assert intent_of(msg) == ("worry_signal", pytest.approx(0.6))
    assert entities_of(msg)["worry_level"] == "strong"


def test_a_kind_the_reader_is_sure_of_is_no_faint_sign_as_well(classifier):
    msg = processed(classifier, read_as_kind(QUIET_TEXT, "disclosure", 0.75, 0.5))
    assert intent_of(msg)[0] == "crisis_disclosure"
    assert msg.get(FAINT_SIGN) is None


@pytest.mark.parametrize("text", [IDIOM_TEXT, WORRY_TEXT, SOMEONE_ELSE_TEXT])
def test_other_kinds_are_the_readers_only_where_the_lists_found_nothing(
    classifier, text
):
    # Beside an idiom, a worry or someone else's danger the lists read, the
    # reader's other kinds are not asked: the lists' reading stands.
    before = processed(classifier, read_as(text, 0.2))
    after = processed(classifier, read_as_kind(text, "disclosure", 0.75))
    assert intent_of(after) == intent_of(before)


def test_a_young_writer_read_as_another_kind_is_still_young(classifier):
    text = "im 14 and she keeps giving her things away"
    msg = processed(classifier, read_as_kind(text, "someone_else", 0.8))
    assert entities_of(msg)["young_person"] == "true"


def test_the_other_kinds_lines_are_read_from_the_config(tmp_path):
    strict = build(tmp_path, learnt_other_kinds={"someone_else": 0.95})
    msg = processed(strict, read_as_kind(QUIET_TEXT, "someone_else", 0.8))
    assert intent_of(msg) == ("greet", 0.9)


def test_the_learnt_thresholds_are_read_from_the_config(tmp_path):
    strict = build(tmp_path, learnt_crisis=0.97, learnt_question=0.95)
    msg = processed(strict, read_as("the edges of the blade again tonight", 0.93))
    assert intent_of(msg) == ("greet", 0.9)


def test_config_yml_runs_the_learnt_reader_just_before_the_crisis_check():
    names = [
        step["name"] for step in read_yaml_file(PROJECT_ROOT / "config.yml")["pipeline"]
    ]
    reader = names.index("bot.nlu.crisis_model.LearntCrisisReader")
    assert names[reader + 1] == "bot.nlu.crisis.CrisisClassifier"
