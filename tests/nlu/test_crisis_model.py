"""The learnt crisis reader: its examples, the model, and the Rasa component.

The model is trained here once, as `rasa train` trains it, from
data/crisis_examples/ and Tend's own NLU examples. The sentences below were written
for these tests; none is in the examples or the case files (a test in
tests/nlu/test_training_data.py keeps the examples apart from the case files).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.config import PROJECT_ROOT
from bot.nlu.crisis import CrisisDetector, reader_is_asked
from bot.nlu.crisis_model import (
    CATEGORIES,
    CrisisExamplesError,
    CrisisModel,
    LearntCrisisReader,
    everyday_examples,
    examples_digest,
    feeling_answers,
    learnt_reading,
    load_examples,
    train_configured_reader,
)
from bot.nlu.feelings import load_feelings_lexicon
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
        "tool and a time are a known false alarm (docs/safety.md)"
    ),
    "she locked the front door and took the keys by mistake lol": (
        "0.557 since the question threshold went from 0.6 to 0.55 in the thirteenth "
        "session (five more crises asked about for each everyday question added, "
        "docs/safety.md)"
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
    assert len(model.read(texts)) == len(texts)
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
    fast, slow = model.read(texts), model.read_with_sklearn(texts)
    assert [r.category for r in fast] == [r.category for r in slow]
    for quick, reference in zip(fast, slow, strict=True):
        assert quick.probability == pytest.approx(reference.probability, abs=1e-9)
