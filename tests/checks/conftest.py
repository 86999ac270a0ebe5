"""Fixtures for the checks: a tiny, correct Tend project to make mistakes in.

`tiny_project(edits)` writes the project below into a temp folder, applies the
edits (`{path: text}` replaces a file, `{path: (old, new)}` changes part of one,
`{path: None}` deletes it) and loads it. Each test makes one mistake, so each can
fail for one reason only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.checks.problem import Problem
from bot.checks.project import Project, load_project

Edits = dict[str, str | tuple[str, str] | None]

TINY_PROJECT: dict[str, str] = {
    "domain.yml": """\
version: "3.1"
intents:
  - greet
  - affirm
  - sos
  - crisis
  - crisis_disclosure
  - crisis_someone_else
  - worry_signal
slots:
  feeling:
    type: text
    influence_conversation: false
    mappings:
      - type: from_entity
        entity: feeling
responses:
  utter_greet:
    - text: "Hello, I'm {bot_name}. Shall we begin?"
      buttons:
        - title: "Yes please"
          payload: "/affirm"
  utter_therapist_invitation:
    - text: >-
        If you'd like to explore this with a trauma-informed therapist:
        {therapist_contact}.
  utter_crisis:
    - text: "Please reach {crisis_contact} now."
    - condition:
        - type: slot
          name: feeling
          value: scared
      text: >-
        You deserve help from a person right now.
        Please reach {crisis_contact}.
  utter_sos:
    - text: "If you need help now: {crisis_contact}."
  utter_feeling_heard:
    - text: "It sounds like you feel {feeling}."
actions:
  - action_reflect_feelings
""",
    "config.yml": """\
recipe: default.v1
language: en
assistant_id: tend
pipeline:
  - name: bot.nlu.command_guard.CommandSyntaxGuard
    button_intents: [greet, affirm, sos]
  - name: WhitespaceTokenizer
  - name: bot.nlu.crisis.CrisisClassifier
policies:
  - name: bot.policies.safety.SafetyPolicy
  - name: RulePolicy
""",
    "data/nlu/welcome.yml": """\
version: "3.1"
nlu:
  - intent: greet
    examples: |
      - hello
      - hi there
  - intent: affirm
    examples: |
      - yes
      - [sure](feeling) thing
""",
    "data/nlu/safety.yml": """\
version: "3.1"
nlu:
  - intent: sos
    examples: |
      - sos
  - intent: crisis
    examples: |
      - I am not safe
  - intent: crisis_disclosure
    examples: |
      - when I was young I wanted to disappear
  - intent: crisis_someone_else
    examples: |
      - my friend is not safe
  - intent: worry_signal
    examples: |
      - nothing matters
""",
    "data/rules/welcome.yml": """\
# Welcome: a greeting, then an invitation.
version: "3.1"
rules:
  - rule: A greeting is answered
    steps:
      - intent: greet
      - action: utter_greet
  - rule: Yes leads to the invitation
    steps:
      - intent: affirm
      - action: action_reflect_feelings
      - action: utter_feeling_heard
      - action: utter_therapist_invitation
""",
    "data/rules/safety.yml": """\
# Safety rules.
version: "3.1"
rules:
  - rule: A crisis message is answered with help
    steps:
      - intent: crisis
      - action: utter_crisis
  - rule: SOS shows the contacts
    steps:
      - intent: sos
      - action: utter_sos
  - rule: Other worries get help too
    steps:
      - or:
          - intent: crisis_disclosure
          - intent: crisis_someone_else
          - intent: worry_signal
      - action: utter_crisis
""",
    "tests/conversations/test_welcome.yml": """\
version: "3.1"
stories:
  - story: hello
    steps:
      - user: |
          hello
        intent: greet
      - action: utter_greet
""",
    "tests/conversations/test_safety.yml": """\
version: "3.1"
stories:
  - story: sos
    steps:
      - intent: sos
      - action: utter_sos
""",
    "actions/reflect.py": """\
class ReflectFeelings:
    def name(self) -> str:
        return "action_reflect_feelings"
""",
}


def write_project(root: Path, edits: Edits | None = None) -> Path:
    """Writes the tiny project with `edits` applied; returns its folder."""
    files: dict[str, str | None] = dict(TINY_PROJECT)
    for path, edit in (edits or {}).items():
        if isinstance(edit, tuple):
            old, new = edit
            assert old in (files[path] or ""), f"{old!r} is not in {path}"
            files[path] = (files[path] or "").replace(old, new, 1)
        else:
            files[path] = edit
    for path, text in files.items():
        if text is not None:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tiny_project(tmp_path: Path) -> Callable[..., Project]:
    """Loads the tiny project with some edits; YAML problems fail the test."""

    def load(edits: Edits | None = None) -> Project:
        project, problems = load_project(write_project(tmp_path, edits))
        assert problems == [], problems
        return project

    return load


def messages(problems: list[Problem]) -> list[str]:
    """Problems as the lines `make check` prints, for readable assertions."""
    return [str(problem) for problem in problems]
