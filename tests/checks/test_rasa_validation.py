"""Tests for bot/checks/rasa_validation.py: Rasa's findings told in plain words.

The samples in rasa_output/ are what `rasa data validate --fail-on-warnings` (Rasa
3.6) printed for real mistakes, colours included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.checks.project import Project
from bot.checks.rasa_validation import RasaRun, parse_rasa_output

Load = Callable[..., Project]
SAMPLES = Path(__file__).parent / "rasa_output"
IO = "/work/main/.venv/lib/python3.10/site-packages/rasa/shared/utils/io.py:100"


def sample(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


CONFLICT, COVERED, FORM, SCHEMA, NOISE = (
    sample(name) for name in ("conflict", "covered", "form", "schema", "noise")
)


def test_disagreeing_stories_are_explained_at_the_first_one(tiny_project: Load) -> None:
    [problem] = parse_rasa_output(RasaRun(1, CONFLICT), tiny_project())
    assert (problem.file, problem.line) == ("data/rules/welcome.yml", 4)
    assert problem.message.startswith(
        "these conversations disagree about what Tend does after the intent `greet`: "
        "“A greeting is answered” has `utter_greet`; “SOS shows the contacts” has "
        "`utter_sos`."
    )


def test_findings_tend_explains_itself_are_not_repeated(tiny_project: Load) -> None:
    assert parse_rasa_output(RasaRun(0, COVERED), tiny_project()) == []


def test_unknown_form_is_placed_in_its_block(tiny_project: Load) -> None:
    [problem] = parse_rasa_output(RasaRun(0, FORM), tiny_project())
    assert (problem.file, problem.line) == ("data/rules/welcome.yml", 4)
    assert "the form `gratitude_form` is used in “A greeting is answered”" in (
        problem.message
    )


def test_schema_error_gets_its_file_line_and_a_suggestion(tiny_project: Load) -> None:
    [problem] = parse_rasa_output(RasaRun(1, SCHEMA), tiny_project())
    assert str(problem) == (
        "data/stories/demo.yml line 7: `intnet` is not something Rasa expects here. "
        "Did you mean `intent`?"
    )


def test_library_noise_is_ignored(tiny_project: Load) -> None:
    assert parse_rasa_output(RasaRun(0, NOISE), tiny_project()) == []


def test_an_unexplained_failure_is_still_a_problem(tiny_project: Load) -> None:
    [problem] = parse_rasa_output(
        RasaRun(1, NOISE + "Something went wrong inside Rasa\n"), tiny_project()
    )
    assert "Something went wrong inside Rasa" in problem.message
    assert "make validate" in problem.message


def test_other_rasa_warnings_are_passed_on(tiny_project: Load) -> None:
    output = f"{IO}: UserWarning: Something new Rasa noticed in data/nlu/welcome.yml.\n"
    [problem] = parse_rasa_output(RasaRun(0, output), tiny_project())
    assert problem.file == "data/nlu/welcome.yml"
    assert problem.message == (
        "Rasa warns: Something new Rasa noticed in data/nlu/welcome.yml."
    )


def test_a_warning_over_several_lines_is_read_whole(tiny_project: Load) -> None:
    output = (
        f"{IO}: UserWarning: Issue found while processing 'data/nlu/welcome.yml': "
        "Could not find supported key in the section:\n"
        "{'intnet': 'greet'}\n"
        "Supported keys are: 'intent', 'synonym', 'regex', 'lookup'.\n"
        "  More info at https://rasa.com/docs/rasa/training-data-format\n"
        "2026-11-26 02:19:00 INFO     rasa.validator  - Validating intents...\n"
    )
    [problem] = parse_rasa_output(RasaRun(0, output), tiny_project())
    assert problem.file == "data/nlu/welcome.yml"
    assert problem.message.endswith(
        "{'intnet': 'greet'} Supported keys are: 'intent', 'synonym', 'regex', "
        "'lookup'."
    )


def test_rasa_failing_for_a_finding_tend_explains_adds_nothing(
    tiny_project: Load,
) -> None:
    output = COVERED + "Project validation completed with errors.\n"
    assert parse_rasa_output(RasaRun(1, output), tiny_project()) == []
