"""Tend's own NLU data meets the quality bar: enough examples, an honest held-out set.

Practitioners may add an intent with fewer examples (`make check` only asks for
some); the flows Tend ships are held to at least 25 varied examples each, and the
held-out file `make eval` scores must share no sentence with the training data.
The learnt crisis reader may learn from the development crisis sets, never from the
blind ones, and the training fingerprint covers every file it learns from.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.checks.intents import RASA_SET_INTENTS
from bot.checks.project import load_project
from bot.cli.eval_conversations import (
    BLIND_CONVERSATIONS,
    DEFAULT_CONVERSATIONS,
    SECOND_CONVERSATIONS,
)
from bot.cli.eval_crisis import load_cases
from bot.cli.evaluate import BLIND_SETS, DEVELOPMENT_SETS, HOLDOUT
from bot.cli.train import training_fingerprint
from bot.config import PROJECT_ROOT
from bot.nlu.conversation_sets import load_conversation_set
from bot.nlu.crisis_model import (
    CrisisExamplesError,
    LearntCrisisReader,
    conversation_examples,
    load_examples,
)
from bot.nlu.reader_step import (
    READER_CONVERSATIONS_KEY,
    READER_FILES_KEY,
    READER_STEP,
    reader_step,
)

READER = reader_step(PROJECT_ROOT / "config.yml")

MIN_EXAMPLES_PER_INTENT = 25
MIN_HELD_OUT_EXAMPLES = 150


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def _project():
    project, problems = load_project(PROJECT_ROOT)
    assert not problems, problems
    return project


def test_every_intent_has_at_least_25_examples() -> None:
    project = _project()
    counts = Counter(example.intent for example in project.examples())
    short = {
        name: counts[name]
        for name in project.domain_intents()
        if name not in RASA_SET_INTENTS and counts[name] < MIN_EXAMPLES_PER_INTENT
    }
    assert short == {}


def test_the_held_out_set_is_large_and_never_trained_on() -> None:
    held_out = load_data(str(HOLDOUT))
    assert len(held_out.intent_examples) >= MIN_HELD_OUT_EXAMPLES
    trained = {_plain(example.text) for example in _project().examples()}
    overlap = {
        example.get("text")
        for example in held_out.intent_examples
        if _plain(example.get("text")) in trained
    }
    assert overlap == set()


def test_the_held_out_set_only_uses_intents_tend_knows() -> None:
    held_out = load_data(str(HOLDOUT))
    known = set(_project().domain_intents())
    assert {example.get("intent") for example in held_out.intent_examples} <= known


def test_the_blind_crisis_sets_are_never_trained_on() -> None:
    learnt_from = LearntCrisisReader.more_example_files(READER)
    trained = {
        _plain(example.text)
        for example in load_examples(
            LearntCrisisReader.examples_folder(READER), learnt_from
        )
    }
    assert BLIND_SETS
    for path in BLIND_SETS:
        assert path not in learnt_from, path.name
        cases = load_cases(path)
        overlap = {case.text for case in cases if _plain(case.text) in trained}
        assert overlap == set(), path.name


def test_every_crisis_set_is_either_learnt_from_or_blind() -> None:
    # A new case file must be named in one place: config.yml's also_learn_from
    # (a development set) or evaluate.py's BLIND_SETS; `make eval` reads both.
    on_disk = set((PROJECT_ROOT / "tests" / "data").glob("crisis_*.yml"))
    development, blind = set(DEVELOPMENT_SETS), set(BLIND_SETS)
    assert development and not development & blind
    assert on_disk == development | blind


# Written word for word by writers who never saw each other's sets.
EVERYONES_SENTENCES = frozenset({"i want to kill myself", "thank you for listening"})


def test_the_blind_conversations_are_never_learnt_from() -> None:
    learnt = LearntCrisisReader.conversation_files(READER)
    assert DEFAULT_CONVERSATIONS in learnt
    assert BLIND_CONVERSATIONS not in learnt
    # The second development set was blind until 2026-11-29; it is read, not learnt.
    assert SECOND_CONVERSATIONS not in learnt
    trained = {
        _plain(example.text)
        for example in load_examples(
            LearntCrisisReader.examples_folder(READER),
            LearntCrisisReader.more_example_files(READER),
        )
        + conversation_examples(learnt)
    }
    blind = load_conversation_set(BLIND_CONVERSATIONS)
    repeated = [m for c in blind for m in c.messages if _plain(m) in trained]
    # A few short answers ("ok", "yes") and sentences are everyone's; nothing else.
    assert all(
        len(m.split()) <= 2 or _plain(m) in EVERYONES_SENTENCES for m in repeated
    )


def test_only_everyday_conversations_are_learnt_and_only_as_everyday(tmp_path) -> None:
    path = tmp_path / "conversations.yml"
    path.write_text(
        "conversations:\n"
        "  - {expect: none, messages: [baked bread, it rose]}\n"
        "  - {expect: crisis, category: suicide, messages: [not labelled alone]}\n"
    )
    examples = conversation_examples([path])
    assert [(e.text, e.crisis) for e in examples] == [
        ("baked bread", False),
        ("it rose", False),
    ]


def test_a_broken_conversation_set_is_named_for_the_reader(tmp_path) -> None:
    path = tmp_path / "conversations.yml"
    path.write_text("conversations:\n  - {expect: none, messages: []}\n")
    with pytest.raises(CrisisExamplesError, match="conversation 1 needs"):
        conversation_examples([path])


def test_editing_a_conversation_set_the_reader_learns_from_retrains(tmp_path) -> None:
    step = f"  - name: {READER_STEP}\n    {READER_CONVERSATIONS_KEY}: [talk.yml]\n"
    (tmp_path / "config.yml").write_text(f"pipeline:\n{step}", encoding="utf-8")
    (tmp_path / "talk.yml").write_text("conversations: []\n", encoding="utf-8")
    before = training_fingerprint(tmp_path)
    (tmp_path / "talk.yml").write_text(
        "conversations: [{expect: none, messages: [a]}]\n"
    )
    assert training_fingerprint(tmp_path) != before


def test_config_yml_names_the_readers_step_as_the_class_is_named() -> None:
    assert READER["name"] == READER_STEP
    reader = LearntCrisisReader
    assert f"{reader.__module__}.{reader.__name__}" == READER_STEP
    assert READER_FILES_KEY in reader.get_default_config()


def test_editing_a_case_file_the_reader_learns_from_retrains(tmp_path) -> None:
    step = f"  - name: {READER_STEP}\n    {READER_FILES_KEY}: [cases.yml]\n"
    config = f"pipeline:\n{step}"
    (tmp_path / "config.yml").write_text(config, encoding="utf-8")
    (tmp_path / "cases.yml").write_text("cases: []\n", encoding="utf-8")
    before = training_fingerprint(tmp_path)
    (tmp_path / "cases.yml").write_text("cases: [{text: a, expect: none}]\n")
    assert training_fingerprint(tmp_path) != before


def test_the_training_check_before_make_run_does_not_load_rasa() -> None:
    # It runs before every `make run`; importing Rasa there costs seconds.
    script = "import sys, bot.cli.train; print({m.split('.')[0] for m in sys.modules})"
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'bot'" in loaded and "'rasa'" not in loaded
