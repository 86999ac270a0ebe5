"""YAML mistakes (tabs, indentation, quotes, colons) explained with the line and a hint.

The parser's own messages ("expected <block end>, but found '<scalar>'") mean little
to someone who is not a programmer, so each kind of mistake is recognised and told
in plain words, with the line to look at.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from bot.checks.problem import Problem

_DASH_WITHOUT_SPACE = re.compile(r"^\s*-[A-Za-z_]+\s*:")


def read_yaml(text: str) -> Any:
    """Parses YAML keeping line numbers (ruamel's round-trip mode); may raise."""
    return YAML(typ="rt").load(text)


def check_yaml_text(path: str, text: str) -> list[Problem]:
    """Every YAML mistake Tend can explain in `text`; empty when the file reads well."""
    return parse_yaml_text(path, text)[1]


def parse_yaml_text(path: str, text: str) -> tuple[Any, list[Problem]]:
    """The document read once (None if it cannot be read) and every mistake in it.

    Reading is most of `make check --quick`'s time (ruamel's round-trip parser is
    pure Python), so each file is parsed once, for its mistakes and its content.
    """
    lines = text.splitlines()
    problems = [
        Problem(
            path,
            number,
            "there is a tab at the start of this line. YAML files need spaces, not "
            "tabs: replace the tab with spaces (2 spaces for each step in).",
        )
        for number, line in enumerate(lines, start=1)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]
    problems += [
        Problem(
            path,
            number,
            "a dash that starts a list item needs a space after it: write "
            f"`{line.strip().replace('-', '- ', 1)}`.",
        )
        for number, line in enumerate(lines, start=1)
        if _DASH_WITHOUT_SPACE.match(line)
    ]
    try:
        document = read_yaml(text)
    except MarkedYAMLError as error:
        explained = explain_parse_error(path, error, lines)
        if not any(p.line == explained.line for p in problems):
            problems.append(explained)
        return None, problems
    return document, problems


def explain_parse_error(path: str, error: MarkedYAMLError, lines: list[str]) -> Problem:
    """One parser error, told as what to change and where."""
    problem = str(error.problem or "")
    context = str(error.context or "")
    line = error.problem_mark.line + 1 if error.problem_mark else None
    context_line = error.context_mark.line + 1 if error.context_mark else line
    text_here = lines[line - 1] if line and line <= len(lines) else ""

    if "'\\t'" in problem:
        return Problem(
            path,
            line,
            "there is a tab here. YAML files need spaces, not tabs: replace the tab "
            "with spaces.",
        )
    if "duplicate key" in problem:
        key = re.search(r'duplicate key "([^"]*)"', problem)
        name = key.group(1) if key else "this name"
        first = _earlier_line_with_key(lines, name, line)
        seen = f" (it is already on line {first})" if first else ""
        return Problem(
            path,
            line,
            f"`{name}` is written twice in the same place{seen}. Keep one: the "
            "second would quietly replace the first.",
        )
    if "quoted scalar" in context:
        return Problem(
            path,
            context_line,
            "a quote mark opened on this line is never closed. Add the closing "
            "quote at the end of the text.",
        )
    if "mapping values are not allowed" in problem:
        return Problem(
            path,
            line,
            "there is a colon (:) inside a text here. Put the whole text in double "
            'quotes, like `- text: "Note: take your time"`.',
        )
    if "cannot start any token" in problem or "undefined alias" in problem:
        return Problem(
            path,
            line,
            "a text here starts with a sign YAML reserves (such as @, `, % or *). "
            'Put the whole text in double quotes, like `- text: "*breathe*"`.',
        )
    if "could not find expected ':'" in problem:
        return Problem(
            path,
            context_line,
            "this line is missing a colon or a dash: a name needs a colon after it "
            "(`text:`), and a list item needs a dash and a space in front "
            "(`- hello`).",
        )
    if "flow sequence" in context or "flow mapping" in context:
        return Problem(
            path,
            context_line,
            "a bracket [ or { opened on this line is never closed. Add the closing "
            "] or }, or put the text in double quotes.",
        )
    if _quote_inside_quotes(text_here):
        return Problem(
            path,
            line,
            "the text on this line starts with a quote mark, so YAML reads it only "
            "up to the next quote mark and is confused by what follows. Put the "
            "whole text in the other kind of quotes (`'\"Next\" for now'`, "
            '`"it\'s fine"`), or leave the quotes out.',
        )
    if "expected <block end>" in problem or "expected key" in problem:
        return Problem(
            path,
            line,
            "this line is not lined up with the lines around it. Lines at the same "
            "level must start in the same column (use 2 spaces for each step in); "
            f"compare it with line {context_line}.",
        )
    return Problem(
        path,
        line,
        f"YAML could not read this line ({problem or context}). Check the "
        "indentation and the quotes around here.",
    )


def _quote_inside_quotes(line: str) -> bool:
    """True for `text: 'it's'` or `text: "say "hi""`: a quote closed too early."""
    value = line.split(":", 1)[1].strip() if ":" in line else line.strip()
    value = value.lstrip("- ").strip()
    if not value or value[0] not in "'\"":
        return False
    return value.count(value[0]) > 2 or not value.endswith(value[0])


def _earlier_line_with_key(lines: list[str], key: str, before: int | None) -> int:
    """The first line above `before` that starts with `key:` at the same indent."""
    if before is None or before > len(lines):
        return 0
    indent = len(lines[before - 1]) - len(lines[before - 1].lstrip())
    pattern = re.compile(rf"^ {{{indent}}}{re.escape(key)}\s*:")
    for number, line in enumerate(lines[: before - 1], start=1):
        if pattern.match(line):
            return number
    return 0
