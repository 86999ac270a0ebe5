"""`make check`: checks the flows practitioners edit and explains every problem plainly.

Runs Rasa's own validation (`rasa data validate --fail-on-warnings`) in the
background while Tend's checks run (YAML, names, examples, conversation tests, the
crisis safeguards, safe-messaging wording, placeholders, the word lists), then
prints one numbered list with the file and line of each problem. Exits 1 when
anything needs fixing, 0 with a short "All good" otherwise.

    python -m bot.cli.check [--project DIR] [--quick]

`--quick` leaves out the two slow parts (Rasa's validation and loading the word
lists with spaCy): a few seconds instead of a minute, for while you are writing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot.checks import (
    coverage,
    intents,
    placeholders,
    responses,
    safe_messaging,
    safety,
    structure,
)
from bot.checks.problem import Problem
from bot.checks.project import CRISIS_EXAMPLES_DIR, Project, flow_name, load_project
from bot.checks.rasa_validation import (
    finish_rasa_validation,
    parse_rasa_output,
    start_rasa_validation,
)
from bot.checks.report import Summary, render_all_good, render_problems
from bot.config import PROJECT_ROOT

Check = Callable[[Project], list[Problem]]

TEND_CHECKS: tuple[Check, ...] = (
    structure.check_structure,
    responses.check_used_responses_are_written,
    responses.check_written_responses_are_used,
    responses.check_form_questions_are_written,
    responses.check_actions_are_known,
    responses.check_actions_have_code,
    intents.check_step_intents_are_in_domain,
    intents.check_intents_have_examples,
    intents.check_example_intents_are_in_domain,
    intents.check_examples_belong_to_one_intent,
    intents.check_intents_lead_somewhere,
    intents.check_button_payloads,
    intents.check_button_intents_exist,
    coverage.check_flows_have_tests,
    safety.check_safety_intents,
    safety.check_crisis_rule,
    safety.check_safety_responses,
    safety.check_safety_config,
    placeholders.check_required_placeholders,
    placeholders.check_known_placeholders,
)


def tend_problems(project: Project) -> list[Problem]:
    """Everything Tend's own checks find (fast: no Rasa, no spaCy)."""
    found = [problem for check in TEND_CHECKS for problem in check(project)]
    path = project.root / safe_messaging.UNSAFE_PHRASES_FILE
    if not path.is_file():
        return [
            *found,
            Problem(
                safe_messaging.UNSAFE_PHRASES_FILE,
                None,
                "the safe-messaging word list is missing: put it back.",
            ),
        ]
    try:
        phrases = safe_messaging.load_unsafe_phrases(path)
    except safe_messaging.UnsafePhrasesError as error:
        return [*found, Problem(safe_messaging.UNSAFE_PHRASES_FILE, None, str(error))]
    return found + safe_messaging.check_safe_messaging(project, phrases)


def word_list_problems(root: Path) -> list[Problem]:
    """The crisis and feelings word lists, and the crisis examples, load with the
    code Tend runs them with."""
    # Imported here: they load spaCy and TensorFlow (about 10 seconds), which --quick
    # skips. Their start-up chatter would bury the findings, so it is silenced.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # (The imports reset the warning filters, so their output is set aside instead.)
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            from bot.nlu.crisis import CrisisDetector
            from bot.nlu.crisis_model import example_files, load_example_file
            from bot.nlu.feelings import FeelingsFinder
        except ImportError as error:
            return [
                Problem(
                    "bot/nlu",
                    None,
                    f"Tend's word-list code could not be loaded ({error}); ask a "
                    "developer.",
                )
            ]
        return (
            safety.check_word_list_loads(
                root, safety.CRISIS_LEXICON, CrisisDetector.from_lexicon
            )
            + safety.check_word_list_loads(
                root, safety.FEELINGS_LEXICON, FeelingsFinder.from_lexicon
            )
            + [
                problem
                for path in example_files(root / CRISIS_EXAMPLES_DIR)
                for problem in safety.check_word_list_loads(
                    root, str(path.relative_to(root)), load_example_file
                )
            ]
        )


def summary_of(project: Project) -> Summary:
    return Summary(
        flows=len({flow_name(d.path) for d in project.flow_files()}),
        intents=len(project.domain_intents()),
        responses=len(project.responses()),
        examples=len(project.examples()),
    )


def run(root: Path, quick: bool = False) -> tuple[list[Problem], Project]:
    """All problems in the project at `root` (Rasa's included unless `quick`)."""
    project, yaml_problems = load_project(root)
    if yaml_problems:
        # Nothing else can be read reliably until the files read well.
        return yaml_problems, project
    rasa = None if quick else start_rasa_validation(root)
    try:
        problems = tend_problems(project)
        if not quick:
            problems += word_list_problems(root)
        if rasa is not None:
            places = {(p.file, p.line) for p in problems}
            problems += [
                p
                for p in parse_rasa_output(finish_rasa_validation(rasa), project)
                if p.line is None or (p.file, p.line) not in places
            ]
    finally:
        if rasa is not None and rasa.poll() is None:
            rasa.kill()
            rasa.wait()
    return problems, project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make check", description="Check Tend's flows and explain any problem."
    )
    parser.add_argument(
        "--project", type=Path, default=PROJECT_ROOT, help="the project folder"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="skip Rasa's own validation and the word-list loading (faster)",
    )
    args = parser.parse_args(argv)
    root = args.project.resolve()
    if not args.quick:
        print("Checking the flows (Rasa's own check takes a minute or so)...")
    problems, project = run(root, quick=args.quick)
    if problems:
        print(render_problems(problems))
        return 1
    print(render_all_good(summary_of(project)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
