"""Leave one writer out (`make eval-writers`, bot/cli/eval_crisis_writers.py).

Training the reader once per set takes seconds, so one small set is read here:
every case of a left-out set is counted, and the reader reading it never saw it.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.cli import eval_crisis_writers as writers
from bot.cli.eval_crisis import Case, load_cases
from bot.cli.eval_crisis_model import figures, reading, reply
from bot.config import PROJECT_ROOT
from bot.nlu.safety_intents import FAINT_SIGN


def test_a_set_that_is_not_learnt_from_cannot_be_left_out(capsys):
    blind = PROJECT_ROOT / "tests" / "data" / "crisis_blind.yml"
    assert writers.main([str(blind)]) == 2
    assert "not a development set" in capsys.readouterr().out


@pytest.fixture(scope="module")
def nlu():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(PROJECT_ROOT / "data" / "nlu"))


def test_every_case_of_the_left_out_set_is_read(nlu):
    left_out = PROJECT_ROOT / "tests" / "data" / "crisis_dev_voices.yml"
    config = yaml.safe_load(writers.CONFIG.read_text(encoding="utf-8"))
    cases, readings = writers.read_left_out(
        left_out, config, nlu, writers.crisis_check(config)
    )
    counts = Counter(zip((c.expect for c in cases), readings, strict=True))
    expected = Counter(c.expect for c in load_cases(left_out))
    assert sum(n for (e, _), n in counts.items() if e == "crisis") == expected["crisis"]
    assert sum(n for (e, _), n in counts.items() if e == "none") == expected["none"]
    assert counts["crisis", "escalated"] > expected["crisis"] / 2
    # The other kinds are read too, most of them given their own reply.
    assert len(cases) == sum(expected.values())
    assert counts["someone_else", "someone_else"] > expected["someone_else"] / 2


def test_the_reader_learns_from_every_development_set_but_the_one_left_out():
    development = writers.DEVELOPMENT_SETS
    left_out = development[1]
    others = writers.learnt_from_without(left_out)
    assert left_out not in others
    assert len(others) == len(development) - 1


def test_a_line_gives_shares_of_crises_and_everyday_messages():
    crisis, everyday = (
        Case("a", "crisis", "suicide", False, ""),
        Case("b", "none", None, False, ""),
    )
    cases = [crisis] * 4 + [everyday]
    readings = ["escalated", "escalated", "escalated", "missed", "asked"]
    line = writers._line("set.yml", cases, readings)
    assert "crises    4: escalated  75.0%" in line
    assert "missed  25.0%" in line
    assert "everyday    1: escalated   0.0% asked 100.0%" in line


def test_a_faint_sign_is_noted_and_still_counted_as_missed():
    crisis = Case("a", "crisis", "suicide", False, "")
    parsed = {"intent": {"name": "greet"}, "entities": [], FAINT_SIGN: True}
    assert reading(parsed) == "noted"
    assert reading({**parsed, FAINT_SIGN: None}) == "missed"
    line = writers._line("set.yml", [crisis] * 4, ["noted", "missed", "asked", "asked"])
    assert "missed  50.0% (noted  25.0%)" in line


@pytest.mark.parametrize(
    ("intent", "entities", "expected"),
    [
        ("crisis_someone_else", [], "someone_else"),
        ("crisis_disclosure", [], "disclosure"),
        ("worry_signal", [], "worry"),
        ("worry_signal", [{"entity": "worry_level", "value": "strong"}], "asked"),
        ("crisis", [], "escalated"),
    ],
)
def test_each_safety_reply_is_told_apart(intent, entities, expected):
    parsed = {"intent": {"name": intent}, "entities": entities}
    assert reply(parsed) == expected
    # For a crisis, only the crisis reply and the question count.
    assert reading(parsed) == (
        expected if expected in ("escalated", "asked") else "missed"
    )


def test_the_other_kinds_are_counted_by_the_reply_they_got():
    someone, everyday = (
        Case("a", "someone_else", "suicide", False, ""),
        Case("b", "none", None, False, ""),
    )
    cases = [someone] * 4 + [everyday] * 2
    replies = ["someone_else", "someone_else", "escalated", "noted"]
    replies += ["disclosure", "missed"]
    result = figures(cases, replies)
    row = result["other_kinds"]["someone_else"]
    assert (row["own_reply"], row["crisis_or_asked"], row["ordinary"]) == (
        0.5,
        0.25,
        0.25,
    )
    assert row["noted"] == 0.25
    assert result["everyday"]["other_reply"] == 0.5
    assert result["other_kinds"]["worry"]["cases"] == 0
    assert "someone_else   4: own  50.0%" in writers._line("s.yml", cases, replies)
