"""Rasa's own validation (`rasa data validate --fail-on-warnings`), told in plain words.

Rasa prints its findings as Python warnings and log lines, without line numbers.
`parse_rasa_output()` turns each one into a `Problem`: stories that disagree, forms
that are not in the domain, files Rasa cannot read. Findings that Tend's own checks
already explain (with the line and a suggestion) are left out, so nothing is said
twice.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.checks.problem import Problem, did_you_mean
from bot.checks.project import CONFIG_FILE, DOMAIN_FILE, Project

RASA_CHECK = "Rasa's own check"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\([0B]")
_WARNING = re.compile(
    r"^(?P<source>\S+\.py):\d+: (?P<category>\w*Warning): (?P<message>.*)$",
    re.MULTILINE,
)
_NOT_MESSAGE = re.compile(r"^(\s+More info at |\d{4}-\d\d-\d\d |\S+\.py:\d+: )")
_CONFLICT = re.compile(
    r"Story structure conflict after (?P<after>.+?):\n(?P<body>(?:[ \t]+\S.*\n?)+)"
)
_PREDICTED = re.compile(r"^\s*(?P<action>\S+) predicted in '(?P<block>.*)'\s*$")
_SCHEMA = re.compile(
    r"^\s+in (?P<file>[^\s:]+):(?P<line>\d+):\n\s+(?P<message>.+)$", re.M
)
_EXCEPTION = re.compile(
    r"^(?P<kind>\w*(?:Exception|Error|InvalidDomain)): (?P<message>.+)$", re.M
)

# Findings Tend's own checks explain better (intents, responses, actions, examples).
_ALREADY_EXPLAINED = (
    re.compile(r"is listed in the domain file, but is not found in the NLU"),
    re.compile(r"There is a message in the training data labeled with intent"),
    re.compile(r"was found labeled with multiple different intents"),
    re.compile(r"is used in your stories, but it is not listed in the domain"),
    re.compile(r"Found intent '.*' in stories which is not part of the domain"),
    re.compile(r"The intent '.*' is not used in any story or rule"),
    re.compile(r"is used in the stories, but is not a valid utterance action"),
    re.compile(r"The utterance '.*' is not used in any story or rule"),
    re.compile(r"The action '.*' is used in the '.*' block, but it is not listed"),
)


@dataclass(frozen=True)
class RasaRun:
    """What `rasa data validate` printed, and how it ended."""

    returncode: int
    output: str


def start_rasa_validation(root: Path) -> subprocess.Popen[str]:
    """Starts `rasa data validate --fail-on-warnings` in the background."""
    rasa = Path(sys.executable).parent / "rasa"
    return subprocess.Popen(
        [
            str(rasa),
            "data",
            "validate",
            "--fail-on-warnings",
            "--domain",
            DOMAIN_FILE,
            "--data",
            "data",
            "--config",
            CONFIG_FILE,
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_rasa_validation(process: subprocess.Popen[str]) -> RasaRun:
    output, _ = process.communicate()
    return RasaRun(process.returncode, output or "")


def parse_rasa_output(run: RasaRun, project: Project) -> list[Problem]:
    """Rasa's findings as plain-language problems (minus those Tend explains itself)."""
    text = _ANSI.sub("", run.output).replace("\r", "\n")
    problems: list[Problem] = []
    explained_by_tend = 0
    for message in rasa_warnings(text):
        if any(pattern.search(message) for pattern in _ALREADY_EXPLAINED):
            explained_by_tend += 1
        else:
            problems.append(explain_warning(message, project))
    problems += [
        _explain_conflict(m.group("after"), m.group("body"), project)
        for m in _CONFLICT.finditer(text)
    ]
    problems += [
        Problem(
            m.group("file"), int(m.group("line")), _explain_schema(m.group("message"))
        )
        for m in _SCHEMA.finditer(text)
    ]
    if run.returncode != 0:
        for m in _EXCEPTION.finditer(text):
            if m.group("kind") == "YamlValidationException":
                continue  # told line by line above
            problems.append(
                Problem(
                    _file_named_in(m.group("message")),
                    None,
                    f"Rasa cannot read the data: {m.group('message').strip()}",
                )
            )
    # Rasa failing for a finding Tend tells better needs no second, vaguer message.
    if run.returncode != 0 and not problems and not explained_by_tend:
        last = [line for line in text.splitlines() if line.strip()][-1:] or [""]
        problems.append(
            Problem(
                RASA_CHECK,
                None,
                f"Rasa's validation stopped with: {last[0].strip()} Run "
                "`make validate` to see all it printed.",
            )
        )
    return problems


def rasa_warnings(text: str) -> list[str]:
    """The messages of the warnings Rasa raised about the data, each on one line.

    A message may go on over several lines; it ends at an empty line, Rasa's
    "More info at" line, a log line or the next warning.
    """
    messages: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        head = _WARNING.match(line)
        if head:
            current = None
            if "/rasa/" in head.group("source") and head.group("category") in {
                "UserWarning",
                "FutureWarning",
            }:
                current = [head.group("message").strip()]
                messages.append(current)
        elif current is not None and line.strip() and not _NOT_MESSAGE.match(line):
            current.append(line.strip())
        else:
            current = None
    return [" ".join(parts) for parts in messages]


def explain_warning(message: str, project: Project) -> Problem:
    """One Rasa warning, in plain words, placed in the file it is about."""
    form = re.search(r"The form '(.+?)' is used in the '(.+?)' block, but", message)
    if form:
        name, block = form.groups()
        file, line = _block_place(project, block)
        return Problem(
            file,
            line,
            f"the form `{name}` is used in “{block}”, but it is not listed under "
            f"`forms:` in domain.yml.{did_you_mean(name, project.domain_forms())}",
        )
    form_slot = re.search(
        r"The form slot '(.+?)' in form '(.+?)' is not present", message
    )
    if form_slot:
        slot, name = form_slot.groups()
        return Problem(
            DOMAIN_FILE,
            project.domain_forms().get(name),
            f"the form `{name}` asks for `{slot}`, but there is no slot `{slot}` under "
            f"`slots:` in domain.yml.{did_you_mean(slot, project.domain_slots())}",
        )
    mapping = re.search(
        r"Slot '(.+?)' has a mapping condition for form '(.+?)'", message
    )
    if mapping:
        slot, name = mapping.groups()
        return Problem(
            DOMAIN_FILE,
            project.domain_slots().get(slot),
            f"the slot `{slot}` is filled only while the form `{name}` runs, but that "
            f"form does not list `{slot}` in its `required_slots` (or does not exist).",
        )
    config = re.search(r"The config file is missing the '(.+?)' mandatory key", message)
    if config:
        return Problem(
            CONFIG_FILE,
            None,
            f"`{config.group(1)}:` is missing at the top of config.yml; put it back.",
        )
    if "unique value for the 'assistant_id'" in message:
        return Problem(
            CONFIG_FILE, None, "`assistant_id:` in config.yml needs a name of its own."
        )
    return Problem(_file_named_in(message), None, f"Rasa warns: {message}")


def _explain_conflict(after: str, body: str, project: Project) -> Problem:
    predictions = [
        m.groups() for line in body.splitlines() if (m := _PREDICTED.match(line))
    ]
    file, line = (
        _block_place(project, predictions[0][1]) if predictions else (RASA_CHECK, None)
    )
    said = "; ".join(f"“{block}” has `{action}`" for action, block in predictions)
    what = re.sub(r"^(intent|action) '(.*)'$", r"the \1 `\2`", after.strip())
    return Problem(
        file,
        line,
        f"these conversations disagree about what Tend does after {what}: {said}. "
        "Tend can learn only one next step for the same conversation so far: make "
        "them agree, or make what happens before differ.",
    )


def _explain_schema(message: str) -> str:
    key = re.search(r"Key '(.+?)' was not defined", message)
    if key:
        known = ("intent", "action", "steps", "examples", "rule", "story", "condition")
        return (
            f"`{key.group(1)}` is not something Rasa expects here."
            f"{did_you_mean(key.group(1), known)}"
        )
    return f"Rasa cannot read this part: {message.strip()}"


def _block_place(project: Project, name: str) -> tuple[str, int | None]:
    for block in project.blocks():
        if block.name == name:
            return block.file, block.line
    return RASA_CHECK, None


def _file_named_in(message: str) -> str:
    found = re.search(
        r"((?:data|tests)/[\w./-]+\.ya?ml|domain\.yml|config\.yml)", message
    )
    return found.group(1) if found else RASA_CHECK
