"""The shape of stories, rules and NLU files: the keys Rasa reads, spelt right.

`- intnet: greet` is valid YAML, so only Rasa notices it, with a schema error. Here
it is told as "`intnet` is not a kind of step. Did you mean `intent`?".
"""

from __future__ import annotations

from typing import Any

from bot.checks.problem import Problem, did_you_mean
from bot.checks.project import Project, YamlDocument, key_line, line_of

STEP_KEYS = frozenset(
    {
        "intent",
        "action",
        "or",
        "slot_was_set",
        "active_loop",
        "checkpoint",
        "user",
        "bot",
        "entities",
    }
)
BLOCK_KEYS = {
    "stories": frozenset({"story", "steps", "metadata"}),
    "rules": frozenset(
        {
            "rule",
            "steps",
            "condition",
            "conversation_start",
            "wait_for_user_input",
            "metadata",
        }
    ),
}
NLU_KEYS = frozenset({"intent", "examples", "synonym", "regex", "lookup", "metadata"})
TOP_KEYS = frozenset({"version", "nlu", "stories", "rules", "responses"})


def check_training_file_shape(document: YamlDocument) -> list[Problem]:
    """Unknown keys in one data or test file, with the closest known key."""
    data = document.data
    if data is None:
        return []
    if not isinstance(data, dict):
        return [
            Problem(
                document.path,
                1,
                "this file should start with names such as `version:`, `nlu:`, "
                "`stories:` or `rules:`.",
            )
        ]
    problems = [
        _unknown(document, key_line(data, key), key, TOP_KEYS, "section")
        for key in data
        if key not in TOP_KEYS
    ]
    for section, allowed in BLOCK_KEYS.items():
        for block in _items(data.get(section)):
            problems += [
                _unknown(document, key_line(block, key), key, allowed, "setting")
                for key in block
                if key not in allowed
            ]
            if "steps" not in block:
                kind = "story" if section == "stories" else "rule"
                problems.append(
                    Problem(
                        document.path,
                        line_of(block),
                        f"this {kind} has no `steps:`, so it says nothing.",
                    )
                )
            for where in ("steps", "condition"):
                for step in _items(block.get(where)):
                    problems += [
                        _unknown(document, key_line(step, key), key, STEP_KEYS, "step")
                        for key in step
                        if key not in STEP_KEYS
                    ]
    for item in _items(data.get("nlu")):
        problems += [
            _unknown(document, key_line(item, key), key, NLU_KEYS, "setting")
            for key in item
            if key not in NLU_KEYS
        ]
    return problems


def check_structure(project: Project) -> list[Problem]:
    """Every data and conversation test file has the shape Rasa expects."""
    return [
        problem
        for document in project.training + project.conversation_tests
        for problem in check_training_file_shape(document)
    ]


def _unknown(
    document: YamlDocument, line: int, key: Any, allowed: frozenset[str], what: str
) -> Problem:
    return Problem(
        document.path,
        line,
        f"`{key}` is not a {what} Rasa knows here.{did_you_mean(str(key), allowed)} "
        f"It can be one of: {', '.join(sorted(allowed))}.",
    )


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
