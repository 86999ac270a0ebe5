"""`make check` on a copy of the real project with one practitioner mistake each.

Each test copies the project into a temp folder, makes one mistake a practitioner
could make, runs `python -m bot.cli.check --project <copy>` as `make check` does,
and reads what it prints: the file, the line, plain words, a suggestion, exit 1.
Most use `--quick` (Tend's own checks, a few seconds); the last two run the full
check with Rasa's validation (a minute or two each).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

COPIED = (
    "domain.yml",
    "config.yml",
    "data",
    "tests/conversations",
    # The case files config.yml's learnt crisis reader learns from (also_learn_from).
    "tests/data",
    "endpoints.yml",
    "credentials.yml",
    "actions",
    "bot",
)
SAFETY_RULES = "data/rules/safety.yml"


def copy_project(target: Path) -> Path:
    """The files `make check` reads, copied; the virtualenv and spaCy linked."""
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules")
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    # The spaCy pipeline `make setup` built (config.yml names var/spacy/tend_en).
    (target / "var").mkdir()
    (target / "var" / "spacy").symlink_to(PROJECT_ROOT / "var" / "spacy")
    return target


def run_check(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.check", "--project", str(project), *options],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def line_of(project: Path, path: str, text: str) -> int:
    """The line where `text` first appears in a file of the project."""
    content = (project / path).read_text(encoding="utf-8")
    assert text in content, f"{text!r} is not in {path}: the test needs updating"
    return content[: content.index(text)].count("\n") + 1


def edit(project: Path, path: str, old: str, new: str) -> int:
    """Replaces the first `old` in a file; returns the line it was on."""
    line = line_of(project, path, old)
    file = project / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), "utf-8")
    return line


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_misspelt_response_name_is_found_with_a_suggestion(project: Path) -> None:
    line = edit(
        project,
        SAFETY_RULES,
        "- action: utter_worry_heard",
        "- action: utter_worry_herd",
    )
    result = run_check(project, "--quick")
    assert result.returncode == 1
    assert (
        f"{SAFETY_RULES} line {line}: the response `utter_worry_herd` is used here "
        "but never written in domain.yml. Did you mean `utter_worry_heard`?"
    ) in result.stdout


def test_intent_missing_from_the_domain_is_found_where_it_is_used(
    project: Path,
) -> None:
    edit(project, "domain.yml", "  - misunderstood\n", "")
    rule_line = line_of(project, SAFETY_RULES, "- intent: misunderstood")
    result = run_check(project, "--quick")
    assert result.returncode == 1
    assert (
        f"{SAFETY_RULES} line {rule_line}: the intent `misunderstood` is used here but "
        "is not listed under `intents:` in domain.yml."
    ) in result.stdout


def test_deleted_crisis_rule_stops_the_check(project: Path) -> None:
    rules = project / SAFETY_RULES
    text = rules.read_text(encoding="utf-8")
    start = text.index("  - rule: A crisis message")
    end = text.index("  - rule:", start + 1)
    rules.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_check(project, "--quick")
    assert result.returncode == 1
    assert (
        f"{SAFETY_RULES}: the crisis rule is missing or changed: a rule must answer "
        "`- intent: crisis` straight away with `- action: utter_crisis`."
    ) in result.stdout


def test_tab_in_yaml_is_told_with_its_line_and_no_traceback(project: Path) -> None:
    line = edit(project, SAFETY_RULES, "      - intent: sos", "\t- intent: sos")
    result = run_check(project, "--quick")
    assert result.returncode == 1
    assert f"{SAFETY_RULES} line {line}: there is a tab" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_unsafe_phrase_in_a_response_is_reported(project: Path) -> None:
    line = edit(
        project,
        "domain.yml",
        "That sounds like a lot to carry.",
        "That sounds like a lot to carry. I promise it will pass.",
    )
    result = run_check(project, "--quick")
    assert result.returncode == 1
    assert (
        f"domain.yml line {line}: the response `utter_worry_heard` says “I promise”. "
        "Tend never promises outcomes."
    ) in result.stdout


def test_removed_crisis_contact_is_reported(project: Path) -> None:
    line = edit(
        project,
        "domain.yml",
        "If you need help now: {crisis_contact}.",
        "If you need help now.",
    )
    result = run_check(project, "--quick")
    assert result.returncode == 1
    # The text starts on the line after `- text: >-`.
    assert re.search(
        rf"domain\.yml line {line - 1}: this way of saying `utter_sos` does not "
        r"contain `\{crisis_contact\}`",
        result.stdout,
    ), result.stdout


def test_full_check_with_rasa_fails_on_a_misspelt_response(project: Path) -> None:
    line = edit(
        project,
        SAFETY_RULES,
        "- action: utter_worry_heard",
        "- action: utter_worry_herd",
    )
    result = run_check(project)
    assert result.returncode == 1
    assert (
        f"{SAFETY_RULES} line {line}: the response `utter_worry_herd`" in result.stdout
    )
    assert "Rasa's validation stopped" not in result.stdout  # told once, plainly
    assert "Traceback" not in result.stdout + result.stderr


def test_untouched_project_passes_the_full_check(project: Path) -> None:
    result = run_check(project)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("All good:")


def test_a_crisis_example_without_its_category_is_named(project: Path) -> None:
    from bot.cli.check import word_list_problems

    edit(project, "data/crisis_examples/teen.yml", "  category: suicide\n", "")
    [problem] = word_list_problems(project)
    assert problem.file == "data/crisis_examples/teen.yml"
    assert "needs a `category`" in problem.message
    assert str(project) not in problem.message
