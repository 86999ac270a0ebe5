"""Tests for bot/checks/safe_messaging.py and data/lexicons/unsafe_phrases.yml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.checks.project import Project
from bot.checks.safe_messaging import (
    UNSAFE_PHRASES_FILE,
    UnsafePhrasesError,
    check_safe_messaging,
    find_unsafe,
    load_unsafe_phrases,
    phrase_pattern,
)
from bot.config import PROJECT_ROOT

Load = Callable[..., Project]


@pytest.fixture(scope="module")
def phrases() -> list:
    return load_unsafe_phrases(PROJECT_ROOT / UNSAFE_PHRASES_FILE)


def found(text: str, phrases: list) -> list[str]:
    return [words for _, words in find_unsafe(text, phrases)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("He committed suicide last year.", "committed suicide"),
        ("Some people commit suicide.", "commit suicide"),
        ("It was a failed attempt.", "failed attempt"),
        ("Don't take more pills.", "pills"),
        ("I can't diagnose anything.", "diagnose"),
        ("It sounds like you have depression.", "you have depression"),
        ("This will cure your pain.", "cure"),
        ("I promise it gets easier.", "I promise"),
        ("Results are guaranteed.", "guaranteed"),
        ("Book a therapy session with me.", "therapy session with me"),
        ("You’re depressed, that’s all.", "You're depressed"),
        ("Just cheer up!", "cheer up"),
    ],
)
def test_unsafe_wording_is_found(text: str, words: str, phrases: list) -> None:
    assert found(text, phrases) == [words]


@pytest.mark.parametrize(
    "text",
    [
        "Hang in there, I'm right here.",
        "Let's hang on to that thought.",
        "Notice your shoulder blades soften.",
        "Could you cut yourself some slack today?",
        "You are secure here, and curious is good.",
        "Tend is a scripted companion, not a therapist.",
        "If you have taken something, tell them what it was.",
        "A trauma-informed therapist can help you work through it.",
    ],
)
def test_kind_everyday_wording_is_not_flagged(text: str, phrases: list) -> None:
    assert found(text, phrases) == []


def test_phrases_match_whole_words_only() -> None:
    assert phrase_pattern("cure*").search("secure") is None
    assert phrase_pattern("hang").search("change") is None
    assert phrase_pattern("diagnos*").search("a Diagnosis").group(0) == "Diagnosis"
    assert phrase_pattern("commit* suicide").search("commits\n  suicide")


def test_unsafe_response_is_reported_with_name_line_and_reason(
    tiny_project: Load, phrases: list
) -> None:
    project = tiny_project(
        {
            "domain.yml": (
                "        You deserve help from a person right now.\n",
                "        You deserve help from a person right now. I promise\n"
                "        you will feel better.\n",
            )
        }
    )
    problems = check_safe_messaging(project, phrases)
    assert [(p.file, p.line) for p in problems] == [
        ("domain.yml", 34),
        ("domain.yml", 35),
    ]
    assert problems[0].message.startswith(
        "the response `utter_crisis` says “I promise”. Tend never promises outcomes."
    )
    assert "unsafe_phrases.yml" in problems[0].message
    assert "“you will feel better”" in problems[1].message


def test_button_titles_are_checked_too(tiny_project: Load, phrases: list) -> None:
    project = tiny_project({"domain.yml": ('title: "Yes please"', 'title: "Cheer up"')})
    [problem] = check_safe_messaging(project, phrases)
    assert problem.line == 21


def test_the_tiny_project_says_nothing_unsafe(
    tiny_project: Load, phrases: list
) -> None:
    assert check_safe_messaging(tiny_project(), phrases) == []


def test_an_entry_without_a_reason_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "unsafe.yml"
    path.write_text("unsafe:\n  - say: hang\n")
    with pytest.raises(UnsafePhrasesError, match="entry 1 needs both"):
        load_unsafe_phrases(path)
