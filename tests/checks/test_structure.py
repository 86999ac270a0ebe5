"""Tests for bot/checks/structure.py: the keys Rasa reads, spelt right."""

from __future__ import annotations

from collections.abc import Callable

from bot.checks.project import Project
from bot.checks.structure import check_structure
from tests.checks.conftest import messages

Load = Callable[..., Project]


def test_misspelt_step_key_suggests_the_right_one(tiny_project: Load) -> None:
    project = tiny_project(
        {"data/rules/welcome.yml": ("- intent: greet", "- intnet: greet")}
    )
    [problem] = check_structure(project)
    assert (problem.file, problem.line) == ("data/rules/welcome.yml", 6)
    assert problem.message.startswith(
        "`intnet` is not a step Rasa knows here. Did you mean `intent`?"
    )


def test_misspelt_key_in_nlu_file_is_found(tiny_project: Load) -> None:
    project = tiny_project(
        {
            "data/nlu/welcome.yml": (
                "examples: |\n      - yes",
                "exmaples: |\n      - yes",
            )
        }
    )
    [problem] = check_structure(project)
    assert (
        "`exmaples`" in problem.message
        and "Did you mean `examples`?" in problem.message
    )


def test_rule_without_steps_is_reported(tiny_project: Load) -> None:
    project = tiny_project(
        {
            "data/rules/welcome.yml": (
                "    steps:\n      - intent: greet\n      - action: utter_greet\n",
                "",
            )
        }
    )
    assert (
        "data/rules/welcome.yml line 4: this rule has no `steps:`, so it says nothing."
        in messages(check_structure(project))
    )


def test_the_tiny_project_has_the_expected_shape(tiny_project: Load) -> None:
    assert check_structure(tiny_project()) == []
