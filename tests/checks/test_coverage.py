"""Tests for bot/checks/coverage.py: every flow has a conversation test."""

from __future__ import annotations

from collections.abc import Callable

from bot.checks.coverage import check_flows_have_tests, conversation_tests_for
from bot.checks.project import Project
from tests.checks.conftest import TINY_PROJECT, messages

Load = Callable[..., Project]


def test_flow_without_conversation_test_is_reported(tiny_project: Load) -> None:
    project = tiny_project({"tests/conversations/test_welcome.yml": None})
    assert messages(check_flows_have_tests(project)) == [
        "data/rules/welcome.yml: the flow `welcome` has no conversation test. Add "
        "tests/conversations/test_welcome.yml with an example conversation (see "
        "docs/practitioners.md, “Write a conversation test”)."
    ]


def test_a_story_file_is_a_flow_too(tiny_project: Load) -> None:
    story = TINY_PROJECT["data/rules/welcome.yml"].replace("rules:", "stories:")
    story = story.replace("- rule:", "- story:")
    project = tiny_project({"data/stories/gratitude.yml": story})
    [problem] = check_flows_have_tests(project)
    assert problem.file == "data/stories/gratitude.yml"


def test_tests_are_matched_by_flow_name() -> None:
    files = [
        "tests/conversations/test_safe_place.yml",
        "tests/conversations/test_safe_place_stop_midway.yml",
        "tests/conversations/test_safe_placebo.yml",
        "tests/conversations/test_letter.yml",
    ]
    assert conversation_tests_for("safe_place", files) == files[:2]
