"""Tests for bot/checks/report.py: numbered, in file order, friendly when all good."""

from __future__ import annotations

from bot.checks.problem import Problem, did_you_mean
from bot.checks.report import Summary, render_all_good, render_problems


def test_problems_are_numbered_in_file_order_without_repeats() -> None:
    text = render_problems(
        [
            Problem("domain.yml", 40, "second"),
            Problem("data/rules/a.yml", 3, "first"),
            Problem("domain.yml", None, "whole file"),
            Problem("domain.yml", 40, "second"),
        ]
    )
    assert text.splitlines()[:5] == [
        "Tend's check found 3 things to fix:",
        "",
        "1. data/rules/a.yml line 3: first",
        "2. domain.yml: whole file",
        "3. domain.yml line 40: second",
    ]
    assert "run `make check` again" in text


def test_one_problem_reads_as_one_thing() -> None:
    assert render_problems([Problem("a.yml", 1, "x")]).startswith(
        "Tend's check found 1 thing to fix:"
    )


def test_all_good_says_what_was_checked() -> None:
    text = render_all_good(Summary(flows=9, intents=30, responses=80, examples=700))
    assert text.startswith("All good: 9 flows, 30 intents (700 examples)")


def test_suggestions_only_for_close_names() -> None:
    assert did_you_mean("utter_safeplace_step3", ["utter_safe_place_step3"]) == (
        " Did you mean `utter_safe_place_step3`?"
    )
    assert did_you_mean("utter_goodbye", ["utter_safe_place_step3"]) == ""
