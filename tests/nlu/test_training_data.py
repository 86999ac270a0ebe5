"""Tend's own NLU data meets the quality bar: enough examples, an honest held-out set.

Practitioners may add an intent with fewer examples (`make check` only asks for
some); the flows Tend ships are held to at least 25 varied examples each, and the
held-out file `make eval` scores must share no sentence with the training data.
The same holds for the learnt crisis reader's examples and the crisis case files.
"""

from __future__ import annotations

from collections import Counter

from rasa.shared.nlu.training_data.loading import load_data

from bot.checks.intents import RASA_SET_INTENTS
from bot.checks.project import load_project
from bot.cli.eval_crisis import load_cases
from bot.cli.evaluate import CRISIS_SETS, HOLDOUT
from bot.config import PROJECT_ROOT
from bot.nlu.crisis_model import load_examples

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


def test_the_crisis_case_files_are_never_trained_on() -> None:
    trained = {
        _plain(example.text)
        for example in load_examples(PROJECT_ROOT / "data" / "crisis_examples")
    }
    for name in CRISIS_SETS:
        cases = load_cases(PROJECT_ROOT / "tests" / "data" / name)
        overlap = {case.text for case in cases if _plain(case.text) in trained}
        assert overlap == set(), name
