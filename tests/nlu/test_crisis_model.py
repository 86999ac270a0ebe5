"""The learnt crisis reader: its examples, the model, and the Rasa component.

The model is trained here once, as `rasa train` trains it, from
data/crisis_examples/ and Tend's own NLU examples. The sentences below were written
for these tests; none is in the examples or the case files (a test in
tests/nlu/test_training_data.py keeps the examples apart from the case files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.config import PROJECT_ROOT
from bot.nlu.crisis import (
    DEFAULT_LEARNT_OTHER_KINDS,
    CrisisDetector,
    reader_is_asked,
)
from bot.nlu.crisis_model import (
    CATEGORIES,
    DEFAULT_MEANING_SHARE,
    KIND_MEANING_FLOOR,
    MEANING_FLOOR,
    OTHER_KINDS,
    CrisisExamplesError,
    CrisisModel,
    LearntCrisisReader,
    LearntReading,
    _meaning_of,
    everyday_examples,
    examples_digest,
    feeling_answers,
    learnt_reading,
    load_examples,
    train_configured_reader,
)
from bot.nlu.feelings import load_feelings_lexicon
from bot.nlu.meaning import DIMENSIONS, MeaningModelMissing
from bot.nlu.nearest_examples import NearestExamples
from bot.nlu.reader_step import pipeline_step, read_config, reader_step

EXAMPLES = PROJECT_ROOT / "data" / "crisis_examples"
FEELINGS = PROJECT_ROOT / "data" / "lexicons" / "feelings.yml"
READER_STEP = reader_step(PROJECT_ROOT / "config.yml")
CRISIS_CHECK = pipeline_step(
    read_config(PROJECT_ROOT / "config.yml"), "bot.nlu.crisis.CrisisClassifier"
)
# From this sure, Tend asks directly (and from `learnt_crisis`, gives crisis help).
FAIRLY = CRISIS_CHECK["learnt_question"]


@pytest.fixture(scope="module")
def nlu_data() -> TrainingData:
    return load_data(str(PROJECT_ROOT / "data" / "nlu"))


@pytest.fixture(scope="module")
def model(nlu_data: TrainingData) -> CrisisModel:
    """The reader as config.yml trains it."""
    return train_configured_reader(READER_STEP, nlu_data)


def write_cases(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cases.yml").write_text(body, encoding="utf-8")
    return folder


def test_the_examples_hold_many_crises_and_more_everyday_messages():
    examples = load_examples(EXAMPLES)
    crises = [e for e in examples if e.crisis]
    assert len(crises) >= 1000
    assert len(examples) - len(crises) >= 1500
    for category in CATEGORIES:
        assert sum(e.category == category for e in crises) >= 150, category


def test_only_crisis_now_teaches_the_crisis_reply(tmp_path):
    folder = write_cases(
        tmp_path,
        "cases:\n"
        "  - {text: 'i want to go tonight', expect: crisis, category: suicide}\n"
        "  - {text: 'i wanted to die at 12', expect: disclosure, category: suicide}\n"
        "  - {text: 'nothing matters', expect: worry}\n"
        "  - {text: 'my plant died', expect: none}\n",
    )
    assert [e.crisis for e in load_examples(folder)] == [True, False, False, False]


def test_every_example_teaches_the_kinds_its_label(tmp_path):
    folder = write_cases(
        tmp_path,
        "cases:\n"
        "  - {text: 'i want to go tonight', expect: crisis, category: suicide}\n"
        "  - {text: 'i wanted to die at 12', expect: disclosure, category: suicide}\n"
        "  - {text: 'he wants to die', expect: someone_else, category: suicide}\n"
        "  - {text: 'nothing matters', expect: worry}\n"
        "  - {text: 'my plant died', expect: none}\n",
    )
    assert [e.label for e in load_examples(folder)] == [
        "crisis",
        "disclosure",
        "someone_else",
        "worry",
        "none",
    ]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("cases:\n  - {text: 'going tonight', expect: crisis}\n", "needs a `category`"),
        ("cases:\n  - {expect: none}\n", "has no `text`"),
        ("nothing: here\n", "under `cases:`"),
        ("cases: [\n", "under `cases:`"),
    ],
)
def test_a_broken_examples_file_is_named_with_the_fix(tmp_path, body, says):
    with pytest.raises(CrisisExamplesError, match="cases.yml") as raised:
        load_examples(write_cases(tmp_path, body))
    assert says in str(raised.value)


def test_editing_an_example_changes_the_fingerprint(tmp_path):
    folder = write_cases(tmp_path, "cases:\n  - {text: 'a', expect: none}\n")
    before = examples_digest(folder)
    write_cases(tmp_path, "cases:\n  - {text: 'b', expect: none}\n")
    assert examples_digest(folder) != before


ONE_EVERYDAY_CASE = "cases:\n  - {text: 'a', expect: none}\n"


def test_editing_a_case_file_named_beside_the_folder_changes_the_fingerprint(tmp_path):
    folder = write_cases(tmp_path / "examples", ONE_EVERYDAY_CASE)
    also = write_cases(tmp_path / "development", "cases: []\n") / "cases.yml"
    config = {"examples": str(folder), "also_learn_from": [str(also)]}
    before = LearntCrisisReader.fingerprint_addon(config)
    also.write_text("cases:\n  - {text: 'b', expect: none}\n", encoding="utf-8")
    assert LearntCrisisReader.fingerprint_addon(config) != before


def test_a_named_file_that_is_not_there_is_named_with_the_fix(tmp_path):
    folder = write_cases(tmp_path / "examples", ONE_EVERYDAY_CASE)
    with pytest.raises(CrisisExamplesError, match="no such file.*config.yml"):
        load_examples(folder, [tmp_path / "moved.yml"])


def test_the_reader_learns_from_the_files_named_beside_the_folder(tmp_path):
    folder = write_cases(tmp_path / "examples", ONE_EVERYDAY_CASE)
    also = (
        write_cases(
            tmp_path / "development",
            "cases:\n  - {text: 'b', expect: crisis, category: medical}\n",
        )
        / "cases.yml"
    )
    examples = load_examples(folder, [also])
    assert [(e.text, e.crisis, e.category) for e in examples] == [
        ("a", False, None),
        ("b", True, "medical"),
    ]


def test_training_needs_both_kinds(tmp_path):
    folder = write_cases(
        tmp_path, "cases:\n  - {text: 'x', expect: crisis, category: suicide}\n"
    )
    with pytest.raises(CrisisExamplesError, match="both"):
        CrisisModel.train(load_examples(folder), [])


# Crises said without the words the lists look for, in several voices.
UNLISTED_CRISES = [
    (
        "sorted out who gets the dog. tonight i finally stop being everyone's problem",
        "suicide",
    ),
    ("the blade is back in my pencil case and my arms are itching for it", "self_harm"),
    (
        "he locked the front door, took my phone and said if i scream he'll finish me",
        "abuse",
    ),
    (
        "i ate the whole packet of my nans heart tablets an hour ago and feel weird",
        "medical",
    ),
    (
        "when he walks in tonight im going to put the hammer through his skull",
        "harm_to_others",
    ),
]
# Everyday messages that share their words.
EVERYDAY = [
    "sorted out who gets the dog when we go on holiday",
    "my arms are itching from the new wool jumper",
    "she locked the front door and took the keys by mistake lol",
    "had to take my nans heart tablets to the pharmacy",
    "going to put the hammer back in the shed tonight",
    "when i was little i hid under the stairs when they shouted",
    "i feel lonely and a bit ashamed today",
    "dear little me, you were never too much",
    "this week has been absolutely brutal at work",
    "my safe place is my grandma's kitchen, it smells of bread",
]


def test_crises_the_lists_have_no_words_for_read_as_crises(model):
    readings = model.read([text for text, _ in UNLISTED_CRISES])
    assert sum(r.probability >= FAIRLY for r in readings) >= 4, readings


def test_a_crisis_reading_names_its_category(model):
    readings = model.read([text for text, _ in UNLISTED_CRISES])
    expected = [category for _, category in UNLISTED_CRISES]
    right = [r.category == c for r, c in zip(readings, expected, strict=True)]
    assert sum(right) >= 4, readings


# Known false alarms of the reader: each gets the direct question, not the crisis
# reply. Strict, so a fix shows up as a failure to remove the mark.
KNOWN_EVERYDAY_QUESTIONS = {
    "going to put the hammer back in the shed tonight": (
        "since the thirteenth session's development sets (many crises told by a "
        "tool, a place and 'tonight') the reader reads 0.69; everyday plans with a "
        "tool and a time are a known false alarm (docs/safety-history.md)"
    ),
}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            text,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_EVERYDAY_QUESTIONS[text]),
        )
        if text in KNOWN_EVERYDAY_QUESTIONS
        else text
        for text in EVERYDAY
    ],
)
def test_everyday_messages_with_the_same_words_do_not(model, text):
    assert model.read([text])[0].probability < FAIRLY


def test_no_ordinary_example_of_tend_reads_as_a_crisis(model, nlu_data):
    # The reader is asked only when the word lists found nothing, or a worry the
    # writer does not deny: "i'm not going to hurt myself" is the lists' alone.
    detector = CrisisDetector.from_lexicon()
    holdout = load_data(str(PROJECT_ROOT / "tests" / "data" / "nlu_holdout.yml"))
    texts = [
        text
        for text in everyday_examples(nlu_data) + everyday_examples(holdout)
        if reader_is_asked(detector.assess(text))
    ]
    assert len(texts) > 1000
    read = zip(texts, model.read(texts), strict=True)
    flagged = [text for text, r in read if r.probability >= FAIRLY]
    assert flagged == []


def test_feelings_named_in_a_check_in_do_not_read_as_a_crisis(model):
    # Ways of naming a feeling the reader was not trained on ("hurt" alone once
    # read as harm to others, 0.82).
    lexicon = load_feelings_lexicon(FEELINGS)
    words = sorted({w for f in lexicon.families() for w in lexicon.words_in(f)})
    answers = [
        template.format(word)
        for word in words
        for template in ("so {} right now", "{} tbh", "been feeling {} all week")
    ]
    flagged = [
        text
        for text, r in zip(answers, model.read(answers), strict=True)
        if r.probability >= FAIRLY
    ]
    assert flagged == []


def test_the_feeling_words_become_check_in_answers():
    answers = feeling_answers(FEELINGS)
    assert {"hurt", "i feel hurt", "hurt i think"} <= set(answers)


def test_any_text_is_read_without_error(model):
    texts = ["", " ", "😭😭😭", "x" * 100_000, "\u202eevil\u202c", "k1ll"]
    readings = model.read(texts)
    assert len(readings) == len(texts)
    assert all(0.0 <= r.probability <= 1.0 for r in readings)
    assert model.read([]) == []


def test_the_component_trains_saves_loads_and_reads(tmp_path, nlu_data):
    storage = LocalModelStorage.create(tmp_path)
    resource = Resource("learnt_crisis_reader")
    context = ExecutionContext(GraphSchema({}), "test-model")
    config = LearntCrisisReader.get_default_config()
    trained = LearntCrisisReader.create(config, storage, resource, context)
    trained.train(nlu_data)
    loaded = LearntCrisisReader.load(config, storage, resource, context)
    text = UNLISTED_CRISES[1][0]
    [first] = trained.process([Message(data={TEXT: text})])
    [second] = loaded.process([Message(data={TEXT: text})])
    assert learnt_reading(first) == learnt_reading(second)
    assert learnt_reading(first).category == "self_harm"


def test_a_missing_model_leaves_messages_to_the_word_lists(tmp_path):
    storage = LocalModelStorage.create(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test-model")
    reader = LearntCrisisReader.load(
        LearntCrisisReader.get_default_config(), storage, Resource("none"), context
    )
    [msg] = reader.process([Message(data={TEXT: "anything"})])
    assert learnt_reading(msg) is None


def test_the_fast_reading_is_scikit_learns_reading(model):
    texts = [text for text, _ in UNLISTED_CRISES] + EVERYDAY + ["", "😭", "k1ll " * 50]
    texts += [text for text, _ in OTHER_KINDS_UNLISTED]
    fast, slow = model.read(texts), model.read_with_sklearn(texts)
    assert [r.category for r in fast] == [r.category for r in slow]
    for quick, reference in zip(fast, slow, strict=True):
        assert quick.words == pytest.approx(reference.words, abs=1e-9)
        assert quick.word_kinds == pytest.approx(reference.word_kinds, abs=1e-9)
        assert set(quick.word_kinds) == {"crisis", "none", *OTHER_KINDS}


# --- the other kinds -------------------------------------------------------------

# Someone else's danger, past experiences and worries, in words the lists have no
# phrase for (the test after them checks the lists find nothing in them).
OTHER_KINDS_UNLISTED = [
    (
        "my flatmate hasnt left his room in days and taped a note saying sorry "
        "for everything on the door",
        "someone_else",
    ),
    (
        "my best mate has been sorting out who gets his dog when he's gone",
        "someone_else",
    ),
    (
        "my little sister has burns up her arm she says are from the iron",
        "someone_else",
    ),
    (
        "my mum keeps saying she's ready to go and has been writing letters",
        "someone_else",
    ),
    ("when i was a teenager i used a lighter on my own skin most nights", "disclosure"),
    (
        "my stepdad kept me in the coal shed for whole weekends when i was small",
        "disclosure",
    ),
    ("in year nine i used to go at my thighs with a compass point", "disclosure"),
    (
        "i spent most of my twenties planning how i'd go, i'm past that now",
        "disclosure",
    ),
    ("everyone's lives would carry on just fine, honestly", "worry"),
    ("i don't see how this gets any better for me", "worry"),
    ("i keep thinking they'd barely notice", "worry"),
]


def test_the_other_kinds_here_are_left_by_the_lists():
    detector = CrisisDetector.from_lexicon(PROJECT_ROOT / "data/lexicons/crisis.yml")
    kinds = [detector.assess(text).kind for text, _ in OTHER_KINDS_UNLISTED]
    assert set(kinds) == {"none"}, kinds


def test_messages_of_the_other_kinds_read_as_their_kind(model):
    readings = model.read([text for text, _ in OTHER_KINDS_UNLISTED])
    read_as = [r.likeliest_other_kind()[0] for r in readings]
    expected = [kind for _, kind in OTHER_KINDS_UNLISTED]
    assert sum(r == e for r, e in zip(read_as, expected, strict=True)) >= 8, read_as


@pytest.mark.parametrize("kind", ["someone_else", "disclosure"])
def test_everyday_messages_are_not_read_as_another_kind(model, kind):
    line = {**DEFAULT_LEARNT_OTHER_KINDS, **CRISIS_CHECK["learnt_other_kinds"]}[kind]
    readings = model.read(EVERYDAY)
    assert all(r.kinds[kind] < line for r in readings), readings


def test_kind_meaning_is_only_worked_out_when_asked_and_only_once():
    asked = []

    def meaning() -> dict[str, float]:
        asked.append(1)
        return {"crisis": 0.0, "someone_else": 1.0, "none": 0.0}

    words = {"crisis": 0.1, "someone_else": 0.5, "none": 0.4}
    reading = LearntReading(0.1, "suicide", None, 0.5, words, meaning)
    assert asked == []
    assert reading.kinds["someone_else"] == pytest.approx(0.75)
    assert reading.kinds["none"] == pytest.approx(0.2)
    reading.likeliest_other_kind()
    assert asked == [1]


def test_below_the_kind_floor_the_words_alone_say_the_kind():
    def never() -> dict[str, float]:
        raise AssertionError("the meaning was asked for")

    words = {"crisis": 0.05, "someone_else": KIND_MEANING_FLOOR / 2, "none": 0.9}
    reading = LearntReading(0.05, "abuse", None, 0.5, words, never)
    assert reading.kinds == words


def test_the_kind_floor_never_hides_a_kind_tend_would_act_on():
    # Under the floor, even a meaning sure of a kind cannot lift the words to the
    # lowest line config.yml acts on.
    lines = {**DEFAULT_LEARNT_OTHER_KINDS, **CRISIS_CHECK["learnt_other_kinds"]}
    share = READER_STEP["meaning_share"]
    assert (1 - share) * KIND_MEANING_FLOOR + share <= min(lines.values())


def test_a_failing_kind_meaning_leaves_the_words_to_say_the_kind(caplog):
    def broken() -> dict[str, float]:
        raise RuntimeError("no encoder")

    words = {"crisis": 0.1, "disclosure": 0.7, "none": 0.2}
    assert LearntReading(0.1, "abuse", None, 0.5, words, broken).kinds == words


def test_the_reader_reads_kinds_by_meaning_too(model):
    # One sentence vector serves both halves: the kinds' meaning is there.
    [reading] = model.read(["my brother keeps talking about not being around"])
    assert reading.kind_meaning is not None
    assert set(reading.kind_meaning()) == {"crisis", "none", *OTHER_KINDS}


def test_examples_stored_without_kinds_leave_the_kind_to_the_words():
    vectors = np.eye(2, DIMENSIONS, dtype=np.float32)
    nearest = NearestExamples(vectors, np.array([1, 0]), np.ones(2))
    meaning, kind_meaning = _meaning_of(nearest, "anything")
    assert kind_meaning is None
    words = {"crisis": 0.1, "someone_else": 0.7, "none": 0.2}
    assert LearntReading(0.1, "abuse", meaning, 0.5, words, kind_meaning).kinds == words


def test_a_reading_without_kinds_is_of_no_other_kind():
    assert LearntReading(0.3, "abuse").likeliest_other_kind() == ("none", 0.0)


# --- the meaning half ----------------------------------------------------------


def test_the_reader_reads_meaning_as_config_yml_says(model):
    assert READER_STEP.get("meaning_share", DEFAULT_MEANING_SHARE) > 0
    [reading] = model.read([UNLISTED_CRISES[0][0]])
    assert reading.meaning is not None
    meaning = reading.meaning()
    assert 0.0 <= meaning <= 1.0
    share = reading.share
    expected = (1 - share) * reading.words + share * meaning
    assert reading.probability == pytest.approx(expected)


def test_meaning_is_only_worked_out_when_asked_and_only_once():
    asked = []

    def meaning() -> float:
        asked.append(1)
        return 0.9

    reading = LearntReading(0.5, "suicide", meaning, 0.5)
    assert asked == []
    assert reading.probability == pytest.approx(0.7)
    assert reading.probability == pytest.approx(0.7)
    assert asked == [1]


def test_below_the_floor_the_words_alone_decide():
    def never() -> float:
        raise AssertionError("the meaning was worked out")

    assert LearntReading(MEANING_FLOOR / 2, "abuse", never, 0.5).probability == (
        MEANING_FLOOR / 2
    )


def test_the_floor_never_hides_a_reading_tend_would_act_on():
    # Under the floor the meaning is not worked out; even a meaning of 1.0 must
    # not have reached the lowest threshold at which Tend replies (the question).
    # A faint sign (`learnt_faint`) says nothing by itself and is read only above
    # the floor: working out every message's meaning would cost 15-30 ms each.
    share = READER_STEP.get("meaning_share", DEFAULT_MEANING_SHARE)
    lowest = min(
        float(CRISIS_CHECK[key])
        for key in ("learnt_question", "learnt_crisis", "learnt_beside_idiom")
    )
    assert (1 - share) * MEANING_FLOOR + share * 1.0 <= lowest


def test_a_failing_meaning_leaves_the_words_to_decide(caplog):
    def broken() -> float:
        raise RuntimeError("no memory")

    assert LearntReading(0.6, "medical", broken, 0.5).probability == 0.6
    assert "the words decide" in caplog.text


def test_without_the_encoder_the_reader_learns_and_reads_words(
    tmp_path, nlu_data, monkeypatch
):
    import bot.nlu.crisis_model as crisis_model

    def missing():
        raise MeaningModelMissing("not installed")

    monkeypatch.setattr(crisis_model, "meaning_encoder", missing)
    folder = write_cases(
        tmp_path,
        "cases:\n"
        "  - {text: 'tonight i stop for good', expect: crisis, category: suicide}\n"
        "  - {text: 'the blade again tonight', expect: crisis, category: self_harm}\n"
        "  - {text: 'tonight i cook for good friends', expect: none}\n",
    )
    model = CrisisModel.train(load_examples(folder), ["hello"], 1.0, 0.5)
    [reading] = model.read(["tonight i stop"])
    assert reading.meaning is None
    assert reading.probability == reading.words
    # Two crisis categories: the fast reading still names scikit-learn's.
    for text in ("tonight i stop", "the blade again"):
        [fast], [slow] = model.read([text]), model.read_with_sklearn([text])
        assert fast.category == slow.category
