"""The crisis answer is intact: it cannot be removed or switched off by accident.

Whatever else changes, a crisis message must always get "contact a crisis line or
a therapist now". That needs the safety intents, the crisis rule, the crisis and
SOS responses, the crisis classifier last in the pipeline, the safety policy, and
a crisis word list that loads. Each is checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.checks.problem import Problem
from bot.checks.project import CONFIG_FILE, DOMAIN_FILE, Project
from bot.nlu.safety_intents import SAFETY_INTENTS

SAFETY_RESPONSES = ("utter_crisis", "utter_sos")
CRISIS_RULES_FILE = "data/rules/safety.yml"
CRISIS_CLASSIFIER = "bot.nlu.crisis.CrisisClassifier"
SAFETY_POLICY = "bot.policies.safety.SafetyPolicy"
CRISIS_LEXICON = "data/lexicons/crisis.yml"
FEELINGS_LEXICON = "data/lexicons/feelings.yml"

_KEEP = "Tend needs it to answer people in crisis: put it back."


def check_safety_intents(project: Project) -> list[Problem]:
    """The safety intents are listed in domain.yml."""
    known = project.domain_intents()
    return [
        Problem(
            DOMAIN_FILE,
            None,
            f"the safety intent `{name}` is missing from `intents:`. {_KEEP}",
        )
        for name in SAFETY_INTENTS
        if name not in known
    ]


def check_crisis_rule(project: Project) -> list[Problem]:
    """data/rules/safety.yml answers `intent: crisis` with `utter_crisis`."""
    if not any(d.path == CRISIS_RULES_FILE for d in project.training):
        return [
            Problem(
                CRISIS_RULES_FILE,
                None,
                "this file is missing. It holds the crisis rule (a crisis message is "
                f"answered with `utter_crisis`). {_KEEP}",
            )
        ]
    for block in project.blocks():
        if block.file != CRISIS_RULES_FILE or block.kind != "rule":
            continue
        steps = [s for s in block.steps if not s.in_condition]
        for step, following in pairwise(steps):
            if (
                step.kind == "intent"
                and step.names == ("crisis",)
                and following.kind == "action"
                and following.names == ("utter_crisis",)
            ):
                return []
    return [
        Problem(
            CRISIS_RULES_FILE,
            None,
            "the crisis rule is missing or changed: a rule must answer "
            "`- intent: crisis` straight away with `- action: utter_crisis`. " + _KEEP,
        )
    ]


def check_safety_responses(project: Project) -> list[Problem]:
    """`utter_crisis` and `utter_sos` are written in domain.yml."""
    written = project.responses()
    return [
        Problem(DOMAIN_FILE, None, f"the safety response `{name}` is missing. {_KEEP}")
        for name in SAFETY_RESPONSES
        if name not in written
    ]


def check_safety_config(project: Project) -> list[Problem]:
    """The crisis classifier runs last in the pipeline; the safety policy is on."""
    problems = []
    pipeline = project.pipeline()
    if not pipeline or pipeline[-1][0] != CRISIS_CLASSIFIER:
        where = next(
            (line for name, line, _ in pipeline if name == CRISIS_CLASSIFIER), None
        )
        problems.append(
            Problem(
                CONFIG_FILE,
                where,
                f"`{CRISIS_CLASSIFIER}` must be the last step of the pipeline, so "
                "nothing after it can undo a crisis reading. "
                + ("Move it to the end." if where else _KEEP),
            )
        )
    if not any(name == SAFETY_POLICY for name, _, _ in project.policies()):
        problems.append(
            Problem(
                CONFIG_FILE,
                None,
                f"`{SAFETY_POLICY}` is missing from `policies:`. It answers crisis "
                f"messages in every state, even in the middle of an exercise. {_KEEP}",
            )
        )
    return problems


def check_word_list_loads(
    root: Path, path: str, load: Callable[[Path], Any]
) -> list[Problem]:
    """The word list at `path` loads with Tend's own reader, or says why not."""
    full = root / path
    if not full.is_file():
        return [Problem(path, None, "this word list is missing: put it back.")]
    try:
        load(full)
    except Exception as error:  # any reader error is told, never a traceback
        message = str(error).replace(str(full), path).replace(str(root) + "/", "")
        return [Problem(path, None, f"Tend could not read this word list: {message}")]
    return []
