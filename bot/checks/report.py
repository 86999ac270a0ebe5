"""How `make check` tells its findings: numbered, file and line first, plain words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.checks.problem import Problem


@dataclass(frozen=True)
class Summary:
    """What was checked, for the friendly "All good" line."""

    flows: int
    intents: int
    responses: int
    examples: int


def unique_problems(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in file order, top to bottom."""
    return sorted(set(problems), key=Problem.sort_key)


def render_problems(problems: list[Problem]) -> str:
    """The numbered list of things to fix, and what to do next."""
    problems = unique_problems(problems)
    count = len(problems)
    heading = "1 thing to fix" if count == 1 else f"{count} things to fix"
    lines = [f"Tend's check found {heading}:", ""]
    for number, problem in enumerate(problems, start=1):
        lines.append(f"{number}. {problem.where()}: {problem.message}")
    lines += [
        "",
        "Fix these, save, and run `make check` again. "
        "docs/practitioners.md explains each kind of change.",
    ]
    return "\n".join(lines)


def render_all_good(summary: Summary) -> str:
    """The short, friendly line when nothing needs fixing."""
    return (
        f"All good: {summary.flows} flows, {summary.intents} intents "
        f"({summary.examples} examples) and {summary.responses} responses checked. "
        "Nothing to fix. See them with `make flows`, try them with `make try`."
    )
