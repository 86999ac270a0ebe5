"""Tests for bot/checks/responses.py: responses and actions used and written."""

from __future__ import annotations

from collections.abc import Callable

from bot.checks.project import Project
from bot.checks.responses import (
    check_actions_are_known,
    check_actions_have_code,
    check_form_questions_are_written,
    check_used_responses_are_written,
    check_written_responses_are_used,
)
from tests.checks.conftest import messages

Load = Callable[..., Project]
FORM = {
    "domain.yml": (
        "actions:\n",
        "forms:\n  gratitude_form:\n    required_slots: [feeling]\nactions:\n",
    )
}


def test_misspelt_response_in_a_rule_is_found_with_a_suggestion(
    tiny_project: Load,
) -> None:
    project = tiny_project(
        {"data/rules/safety.yml": ("action: utter_sos", "action: utter_soss")}
    )
    assert messages(check_used_responses_are_written(project)) == [
        "data/rules/safety.yml line 11: the response `utter_soss` is used here but "
        "never written in domain.yml. Did you mean `utter_sos`?"
    ]


def test_misspelt_response_in_a_conversation_test_is_found(tiny_project: Load) -> None:
    project = tiny_project(
        {"tests/conversations/test_welcome.yml": ("utter_greet", "utter_greeting")}
    )
    [problem] = check_used_responses_are_written(project)
    assert problem.file == "tests/conversations/test_welcome.yml"
    assert "Did you mean `utter_greet`?" in problem.message


def test_response_sent_by_code_must_be_written(tiny_project: Load) -> None:
    project = tiny_project(
        {"actions/send.py": 'dispatcher.utter_message(response="utter_gratitude")\n'}
    )
    assert messages(check_used_responses_are_written(project)) == [
        "actions/send.py line 1: this code sends the response `utter_gratitude`, but "
        "it is not written in domain.yml."
    ]


def test_unused_response_is_reported_at_its_line(tiny_project: Load) -> None:
    project = tiny_project(
        {"domain.yml": ("actions:\n", "  utter_spare:\n    - text: hi\nactions:\n")}
    )
    [problem] = check_written_responses_are_used(project)
    assert (problem.file, problem.line) == ("domain.yml", 40)
    assert "`utter_spare` is written but never used" in problem.message


def test_response_sent_only_by_code_counts_as_used(tiny_project: Load) -> None:
    project = tiny_project(
        {
            "domain.yml": ("actions:\n", "  utter_spare:\n    - text: hi\nactions:\n"),
            "actions/send.py": 'dispatcher.utter_message(response="utter_spare")\n',
        }
    )
    assert check_written_responses_are_used(project) == []


def test_form_question_needs_a_response(tiny_project: Load) -> None:
    project = tiny_project(FORM)
    [problem] = check_form_questions_are_written(project)
    assert "the form `gratitude_form` asks for `feeling`" in problem.message
    assert "utter_ask_feeling" in problem.message


def test_form_question_response_counts_as_used(tiny_project: Load) -> None:
    edits = dict(FORM)
    edits["domain.yml"] = (
        "actions:\n",
        "  utter_ask_feeling:\n    - text: How do you feel?\n"
        "forms:\n  gratitude_form:\n    required_slots: [feeling]\nactions:\n",
    )
    project = tiny_project(edits)
    assert check_form_questions_are_written(project) == []
    assert check_written_responses_are_used(project) == []


def test_unknown_action_in_a_rule_gets_a_suggestion(tiny_project: Load) -> None:
    project = tiny_project(
        {
            "data/rules/welcome.yml": (
                "action_reflect_feelings",
                "action_reflect_feeling",
            )
        }
    )
    assert messages(check_actions_are_known(project)) == [
        "data/rules/welcome.yml line 11: the action `action_reflect_feeling` is used "
        "here but is not listed under `actions:` in domain.yml. Did you mean "
        "`action_reflect_feelings`?"
    ]


def test_rasa_default_actions_are_known(tiny_project: Load) -> None:
    project = tiny_project(
        {
            "data/rules/welcome.yml": (
                "- action: utter_greet",
                "- action: action_restart",
            )
        }
    )
    assert check_actions_are_known(project) == []


def test_action_listed_without_code_is_reported(tiny_project: Load) -> None:
    project = tiny_project({"actions/reflect.py": "# nothing here yet\n"})
    [problem] = check_actions_have_code(project)
    assert (problem.file, problem.line) == ("domain.yml", 41)
    assert "`action_reflect_feelings` is listed here but no code" in problem.message
