"""The files practitioners edit, read once with line numbers (for checks and diagrams).

`load_project(root)` reads domain.yml, config.yml, the training data under data/
(one file per flow in data/nlu, data/stories, data/rules), the conversation tests and
the Python code that names responses. The accessors below turn Rasa's formats into
simple records (`Step`, `Example`, `Response`) that keep the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.checks.problem import Problem
from bot.checks.yaml_syntax import parse_yaml_text

DOMAIN_FILE = "domain.yml"
CONFIG_FILE = "config.yml"
DATA_DIR = "data"
LEXICONS_DIR = "data/lexicons"
CRISIS_EXAMPLES_DIR = "data/crisis_examples"
# Read by Tend's own code, not Rasa's: their YAML is checked, their shape is not
# Rasa training data (make check loads them with Tend's readers instead).
OWN_DATA_DIRS = (LEXICONS_DIR + "/", CRISIS_EXAMPLES_DIR + "/")
STORIES_DIR = "data/stories"
RULES_DIR = "data/rules"
CONVERSATION_TESTS_DIR = "tests/conversations"
# Code that sends responses by name (actions, the safety policy). The checks and the
# diagram code only talk about responses, so they are left out.
CODE_DIRS = ("actions", "bot")
CODE_NOT_SENDING_RESPONSES = ("bot/checks/", "bot/cli/check.py", "bot/cli/flows.py")

# A whole name in quotes: "utter_sos", not the prefix "utter_ask_" of a built name.
_RESPONSE_NAME_IN_CODE = re.compile(
    r"""(?<![\w.])["'](utter_[A-Za-z0-9_]*[A-Za-z0-9])["']"""
)
_ACTION_NAME_IN_CODE = re.compile(
    r"""(?<![\w.])["']((?:action|validate)_[A-Za-z0-9_]*[A-Za-z0-9])["']"""
)
_ANNOTATION = re.compile(r"\[([^\]]*)\]\s*(?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class YamlDocument:
    """One YAML file: its path relative to the project and its parsed content."""

    path: str
    data: Any
    lines: tuple[str, ...] = ()

    def line_with(self, needle: str, start: int = 1, end: int | None = None) -> int:
        """The first line from `start` to `end` containing `needle`, else `start`."""
        wanted = needle.lower()
        last = len(self.lines) if end is None else min(end, len(self.lines))
        for number in range(max(start, 1), last + 1):
            if wanted in self.lines[number - 1].lower():
                return number
        return start


@dataclass(frozen=True)
class Step:
    """One step of a story, rule or conversation test.

    `kind` is the key Rasa reads (`intent`, `action`, `slot_was_set`, `active_loop`,
    `checkpoint`, `or`, `user`, `bot`, ...); `names` holds the intent(s), action or
    other value. `in_condition` marks the `condition:` part of a rule.
    """

    file: str
    line: int
    block: str
    kind: str
    names: tuple[str, ...]
    in_condition: bool = False


@dataclass(frozen=True)
class Block:
    """A story, rule or test story: its name, where it starts and its steps."""

    file: str
    line: int
    kind: str  # "story" or "rule"
    name: str
    steps: tuple[Step, ...]
    conversation_start: bool = False


@dataclass(frozen=True)
class Example:
    """One NLU example (`- I feel lonely`) of an intent, annotations removed."""

    file: str
    line: int
    intent: str
    text: str
    intent_line: int


@dataclass(frozen=True)
class Variation:
    """One way of saying a response: its text, buttons and the line it starts on."""

    line: int
    text: str
    text_line: int
    end_line: int
    buttons: tuple[tuple[int, str, str], ...]  # (line, title, payload)
    has_condition: bool

    def written_buttons(self) -> tuple[tuple[int, str, str], ...]:
        """The buttons written in this variation's own lines.

        A list shared with a YAML anchor (`&menu_buttons`, reused as `*menu_buttons`)
        shows in every response that reuses it, but is written, and fixed, once:
        checks report it there, not once per response.
        """
        return tuple(b for b in self.buttons if self.line <= b[0] <= self.end_line)


@dataclass(frozen=True)
class Response:
    """A response written in domain.yml, with all its variations."""

    name: str
    line: int
    variations: tuple[Variation, ...]

    def first_text(self) -> str:
        """The first non-empty text, for labels and summaries."""
        return next((v.text for v in self.variations if v.text), "")


@dataclass(frozen=True)
class CodeName:
    """A response or action name written in Python code."""

    file: str
    line: int
    name: str


@dataclass
class Project:
    """Everything the checks and diagrams read, already parsed."""

    root: Path
    domain: YamlDocument | None = None
    config: YamlDocument | None = None
    training: list[YamlDocument] = field(default_factory=list)
    conversation_tests: list[YamlDocument] = field(default_factory=list)
    lexicons: list[YamlDocument] = field(default_factory=list)  # and examples
    code: list[tuple[str, str]] = field(default_factory=list)  # (path, source)

    # ---- domain.yml -------------------------------------------------------

    def _domain_section(self, key: str) -> Any:
        if self.domain is None or not isinstance(self.domain.data, dict):
            return None
        return self.domain.data.get(key)

    def domain_intents(self) -> dict[str, int]:
        """Intent name -> its line in domain.yml."""
        return _names_with_lines(self._domain_section("intents"))

    def domain_actions(self) -> dict[str, int]:
        """Custom action name -> its line in domain.yml."""
        return _names_with_lines(self._domain_section("actions"))

    def domain_slots(self) -> dict[str, int]:
        return _names_with_lines(self._domain_section("slots"))

    def domain_forms(self) -> dict[str, int]:
        return _names_with_lines(self._domain_section("forms"))

    def form_required_slots(self) -> dict[str, list[tuple[str, int]]]:
        """Form name -> its required slots, each with its line in domain.yml."""
        forms = self._domain_section("forms")
        if not isinstance(forms, dict):
            return {}
        result: dict[str, list[tuple[str, int]]] = {}
        for name, body in forms.items():
            slots = body.get("required_slots") if isinstance(body, dict) else None
            result[str(name)] = list(_names_with_lines(slots).items())
        return result

    def slot_mapping_intents(self) -> Iterator[tuple[str, int, str]]:
        """(slot, line, intent) for every intent a slot mapping listens for."""
        slots = self._domain_section("slots")
        if not isinstance(slots, dict):
            return
        for slot, body in slots.items():
            mappings = body.get("mappings") if isinstance(body, dict) else None
            for mapping in mappings if isinstance(mappings, list) else []:
                if not isinstance(mapping, dict):
                    continue
                intents = mapping.get("intent")
                for intent in intents if isinstance(intents, list) else [intents]:
                    if isinstance(intent, str):
                        yield str(slot), line_of(mapping), intent

    def responses(self) -> dict[str, Response]:
        """Every response in domain.yml, by name."""
        section = self._domain_section("responses")
        if not isinstance(section, dict) or self.domain is None:
            return {}
        # Where each response and variation starts: a variation ends where the next
        # one starts, so its words can be found on the right line.
        starts = sorted(
            {key_line(section, name) for name in section}
            | {
                _item_line(items, index)
                for items in section.values()
                if isinstance(items, list)
                for index in range(len(items))
            }
        )
        last_line = len(self.domain.lines)
        result = {}
        for name, items in section.items():
            variations = []
            for index, item in enumerate(items if isinstance(items, list) else []):
                if not isinstance(item, dict):
                    continue
                line = _item_line(items, index)
                end = next((s - 1 for s in starts if s > line), last_line)
                variations.append(_variation(item, line, end))
            result[str(name)] = Response(
                name=str(name),
                line=key_line(section, name),
                variations=tuple(variations),
            )
        return result

    # ---- config.yml -------------------------------------------------------

    def pipeline(self) -> list[tuple[str, int, dict[str, Any]]]:
        """(component name, line, settings) in pipeline order."""
        return self._config_list("pipeline")

    def policies(self) -> list[tuple[str, int, dict[str, Any]]]:
        return self._config_list("policies")

    def _config_list(self, key: str) -> list[tuple[str, int, dict[str, Any]]]:
        if self.config is None or not isinstance(self.config.data, dict):
            return []
        items = self.config.data.get(key)
        if not isinstance(items, list):
            return []
        return [
            (str(item.get("name", "")), _item_line(items, index), dict(item))
            for index, item in enumerate(items)
            if isinstance(item, dict)
        ]

    def button_intents(self) -> set[str] | None:
        """The button payloads the command guard lets through, or None without it."""
        for name, _, settings in self.pipeline():
            if name.endswith("CommandSyntaxGuard"):
                return {str(i) for i in settings.get("button_intents") or []}
        return None

    # ---- data/ ------------------------------------------------------------

    def blocks(self) -> list[Block]:
        """Every story and rule in data/, in file order."""
        return [b for document in self.training for b in _blocks(document)]

    def test_blocks(self) -> list[Block]:
        """Every story in tests/conversations."""
        return [b for document in self.conversation_tests for b in _blocks(document)]

    def examples(self) -> list[Example]:
        """Every NLU example in data/."""
        found = []
        for document in self.training:
            items = _section(document, "nlu")
            for item in items:
                if isinstance(item, dict) and "intent" in item:
                    found += _examples(document.path, item)
        return found

    def flow_files(self) -> list[YamlDocument]:
        """Story and rule files: each is one flow, named after the file."""
        return [
            d
            for d in self.training
            if d.path.startswith((STORIES_DIR + "/", RULES_DIR + "/"))
        ]

    # ---- code -------------------------------------------------------------

    def responses_named_in_code(self) -> list[CodeName]:
        """Responses sent by name from Python code (`response="utter_..."`)."""
        return self._names_in_code(_RESPONSE_NAME_IN_CODE)

    def names_in_code(self, under: str) -> list[CodeName]:
        """`action_...` and `validate_...` names written in code under a folder."""
        return [
            n
            for n in self._names_in_code(_ACTION_NAME_IN_CODE)
            if n.file.startswith(under)
        ]

    def _names_in_code(self, pattern: re.Pattern[str]) -> list[CodeName]:
        return [
            CodeName(path, number, match.group(1))
            for path, source in self.code
            for number, line in enumerate(source.splitlines(), start=1)
            for match in pattern.finditer(line)
        ]


def load_project(root: Path) -> tuple[Project, list[Problem]]:
    """Reads the project; YAML mistakes come back as problems, not exceptions."""
    project = Project(root=root)
    problems: list[Problem] = []

    def read(path: Path) -> YamlDocument | None:
        relative = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(
                Problem(relative, None, "this file is not saved as UTF-8 text.")
            )
            return None
        document, found = parse_yaml_text(relative, text)
        problems.extend(found)
        if found:
            return None
        return YamlDocument(relative, document, tuple(text.splitlines()))

    for name, attribute in ((DOMAIN_FILE, "domain"), (CONFIG_FILE, "config")):
        path = root / name
        if path.is_file():
            setattr(project, attribute, read(path))
        else:
            problems.append(Problem(name, None, "this file is missing."))

    for path in _yaml_files(root / DATA_DIR):
        document = read(path)
        if document is None:
            continue
        if document.path.startswith(OWN_DATA_DIRS):
            project.lexicons.append(document)
        else:
            project.training.append(document)
    project.conversation_tests = [
        d for p in _yaml_files(root / CONVERSATION_TESTS_DIR) if (d := read(p))
    ]
    for directory in CODE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative.startswith(CODE_NOT_SENDING_RESPONSES) or (
                "node_modules" in path.parts
            ):
                continue
            project.code.append((relative, path.read_text(encoding="utf-8")))
    return project, problems


def flow_name(path: str) -> str:
    """`data/stories/safe_place.yml` -> `safe_place`."""
    return Path(path).stem


def plain_example(text: str) -> str:
    """An example without annotations: `I feel [sad](feeling)` -> `I feel sad`."""
    return _ANNOTATION.sub(r"\1", text).strip()


# ---- reading Rasa's formats ---------------------------------------------------


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.rglob("*") if p.suffix in {".yml", ".yaml"} and p.is_file()
    )


def line_of(node: Any) -> int:
    """The line (from 1) a parsed mapping or list starts on."""
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else 0


def key_line(mapping: Any, key: Any) -> int:
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return line_of(mapping)


def _value_line(mapping: Any, key: Any) -> int:
    try:
        return mapping.lc.value(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return key_line(mapping, key)


def _item_line(sequence: Any, index: int) -> int:
    try:
        return sequence.lc.item(index)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return line_of(sequence)


def _names_with_lines(section: Any) -> dict[str, int]:
    """Names in a domain list (`- greet`, `- greet: {...}`) or mapping, with lines."""
    names: dict[str, int] = {}
    if isinstance(section, CommentedSeq | list):
        for index, item in enumerate(section):
            line = _item_line(section, index)
            if isinstance(item, dict):
                for key in item:
                    names.setdefault(str(key), line)
            elif item is not None:
                names.setdefault(str(item), line)
    elif isinstance(section, CommentedMap | dict):
        for key in section:
            names.setdefault(str(key), key_line(section, key))
    return names


def _section(document: YamlDocument, key: str) -> list[Any]:
    data = document.data
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _blocks(document: YamlDocument) -> list[Block]:
    blocks = []
    for kind, section in (("story", "stories"), ("rule", "rules")):
        for item in _section(document, section):
            if not isinstance(item, dict):
                continue
            name = str(item.get(kind) or item.get("story") or "")
            steps: list[Step] = []
            condition = item.get("condition")
            if isinstance(condition, list):
                steps += _steps(document.path, name, condition, in_condition=True)
            if isinstance(item.get("steps"), list):
                steps += _steps(document.path, name, item["steps"])
            blocks.append(
                Block(
                    file=document.path,
                    line=line_of(item),
                    kind=kind,
                    name=name,
                    steps=tuple(steps),
                    conversation_start=bool(item.get("conversation_start")),
                )
            )
    return blocks


def _steps(
    path: str, block: str, items: list[Any], in_condition: bool = False
) -> list[Step]:
    steps = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not item:
            continue
        # A test story's user turn is `user: text` with `intent:` beside it.
        kind = "intent" if "intent" in item else str(next(iter(item)))
        value = item[kind]
        if kind == "or" and isinstance(value, list):
            names = tuple(
                str(v["intent"]) for v in value if isinstance(v, dict) and "intent" in v
            )
        elif kind == "slot_was_set":
            names = tuple(_slot_names(value))
        elif value is None:
            names = ("null",)
        elif isinstance(value, str | int | float | bool):
            names = (str(value),)
        else:
            names = ()
        line = _item_line(items, index)
        steps.append(Step(path, line, block, kind, names, in_condition))
    return steps


def _slot_names(value: Any) -> list[str]:
    """`slot_was_set` lists `- name: value` or just `- name`."""
    names = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict):
            names += [f"{k}={entry[k]}" for k in entry]
        elif entry is not None:
            names.append(str(entry))
    return names


def _examples(path: str, item: Any) -> list[Example]:
    raw = item.get("examples")
    if not isinstance(raw, str):
        return []
    # Examples are a block of `- text` lines that starts on the line after `|`.
    first = _value_line(item, "examples") + 1
    found = []
    for offset, line in enumerate(raw.splitlines()):
        text = line.strip()
        if text.startswith("- "):
            text = text[2:]
        elif text == "-":
            text = ""
        if text:
            found.append(
                Example(
                    path,
                    first + offset,
                    str(item["intent"]),
                    plain_example(text),
                    key_line(item, "intent"),
                )
            )
    return found


def _variation(item: dict[str, Any], line: int, end: int) -> Variation:
    buttons = item.get("buttons")
    return Variation(
        line=line,
        text=str(item.get("text") or ""),
        text_line=_value_line(item, "text") if "text" in item else line,
        end_line=end,
        buttons=tuple(
            (
                _item_line(buttons, index),
                str(b.get("title", "")),
                str(b.get("payload", "")),
            )
            for index, b in enumerate(buttons if isinstance(buttons, list) else [])
            if isinstance(b, dict)
        ),
        has_condition=bool(item.get("condition")),
    )
