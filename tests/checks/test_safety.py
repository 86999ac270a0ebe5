"""Tests for bot/checks/safety.py: the crisis answer cannot be removed by accident."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.checks.project import Project
from bot.checks.safety import (
    check_crisis_rule,
    check_safety_config,
    check_safety_intents,
    check_safety_responses,
    check_word_list_loads,
)
from tests.checks.conftest import TINY_PROJECT

Load = Callable[..., Project]
CRISIS_RULE = (
    "  - rule: A crisis message is answered with help\n    steps:\n"
    "      - intent: crisis\n      - action: utter_crisis\n"
)


def test_the_tiny_project_is_safe(tiny_project: Load) -> None:
    project = tiny_project()
    for check in (
        check_safety_intents,
        check_crisis_rule,
        check_safety_responses,
        check_safety_config,
    ):
        assert check(project) == []


@pytest.mark.parametrize(
    "intent",
    ["crisis", "crisis_disclosure", "crisis_someone_else", "worry_signal", "sos"],
)
def test_removed_safety_intent_is_reported(tiny_project: Load, intent: str) -> None:
    project = tiny_project({"domain.yml": (f"  - {intent}\n", "")})
    [problem] = check_safety_intents(project)
    assert f"the safety intent `{intent}` is missing" in problem.message


def test_deleted_crisis_rule_is_reported(tiny_project: Load) -> None:
    project = tiny_project({"data/rules/safety.yml": (CRISIS_RULE, "")})
    [problem] = check_crisis_rule(project)
    assert problem.file == "data/rules/safety.yml"
    assert "the crisis rule is missing or changed" in problem.message


def test_crisis_rule_answered_with_something_else_is_reported(
    tiny_project: Load,
) -> None:
    changed = CRISIS_RULE.replace("utter_crisis", "utter_sos")
    project = tiny_project({"data/rules/safety.yml": (CRISIS_RULE, changed)})
    assert check_crisis_rule(project) != []


def test_crisis_rule_moved_to_another_file_does_not_count(tiny_project: Load) -> None:
    project = tiny_project({"data/rules/safety.yml": None})
    [problem] = check_crisis_rule(project)
    assert "this file is missing" in problem.message


def test_missing_crisis_response_is_reported(tiny_project: Load) -> None:
    domain = TINY_PROJECT["domain.yml"]
    start, end = domain.index("  utter_sos:"), domain.index("  utter_feeling_heard:")
    project = tiny_project({"domain.yml": domain[:start] + domain[end:]})
    [problem] = check_safety_responses(project)
    assert "the safety response `utter_sos` is missing" in problem.message


def test_crisis_classifier_must_be_last(tiny_project: Load) -> None:
    project = tiny_project(
        {
            "config.yml": (
                "  - name: bot.nlu.crisis.CrisisClassifier\n",
                "  - name: bot.nlu.crisis.CrisisClassifier\n"
                "  - name: FallbackClassifier\n",
            )
        }
    )
    [problem] = check_safety_config(project)
    assert (problem.file, problem.line) == ("config.yml", 8)
    assert "must be the last step of the pipeline" in problem.message


def test_safety_policy_must_be_on(tiny_project: Load) -> None:
    project = tiny_project(
        {"config.yml": ("  - name: bot.policies.safety.SafetyPolicy\n", "")}
    )
    [problem] = check_safety_config(project)
    assert (
        "`bot.policies.safety.SafetyPolicy` is missing from `policies:`"
        in problem.message
    )


def test_word_list_error_is_told_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/list.yml").write_text("x: 1\n")

    def broken_reader(path: Path) -> None:
        raise ValueError(f"{path}: category `suicide` needs `phrases`.")

    [problem] = check_word_list_loads(tmp_path, "data/list.yml", broken_reader)
    assert problem.message == (
        "Tend could not read this word list: data/list.yml: category `suicide` needs "
        "`phrases`."
    )


def test_missing_word_list_is_reported(tmp_path: Path) -> None:
    [problem] = check_word_list_loads(tmp_path, "data/lexicons/crisis.yml", print)
    assert "this word list is missing" in problem.message
