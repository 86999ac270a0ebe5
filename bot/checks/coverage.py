"""Every flow has a conversation test, so a change that breaks it is noticed.

A flow is one file in data/stories or data/rules, named after the flow. Its test is
`tests/conversations/test_<flow>.yml`; a flow may also have several test files
named `test_<flow>_<anything>.yml` (`test_safe_place_stop_midway.yml`).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from bot.checks.problem import Problem
from bot.checks.project import CONVERSATION_TESTS_DIR, Project, flow_name


def conversation_tests_for(flow: str, test_files: list[str]) -> list[str]:
    """The conversation test files that belong to `flow`."""
    return [
        path
        for path in test_files
        if (stem := PurePosixPath(path).stem) == f"test_{flow}"
        or stem.startswith(f"test_{flow}_")
    ]


def check_flows_have_tests(project: Project) -> list[Problem]:
    """Each story or rule file has at least one conversation test."""
    test_files = [document.path for document in project.conversation_tests]
    return [
        Problem(
            document.path,
            None,
            f"the flow `{flow}` has no conversation test. Add "
            f"{CONVERSATION_TESTS_DIR}/test_{flow}.yml with an example conversation "
            "(see docs/practitioners.md, “Write a conversation test”).",
        )
        for document in project.flow_files()
        if not conversation_tests_for(flow := flow_name(document.path), test_files)
    ]
