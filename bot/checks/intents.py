"""Intents: named consistently, taught with examples, and answered by some flow.

An intent is what a person means ("greet", "start_safe_place"). A typo in its name
in a story, an intent without examples, or a button sending an intent Tend does not
know all break a conversation without any error at training time.
"""

from __future__ import annotations

import re

from rasa.shared.core.constants import DEFAULT_INTENTS

from bot.checks.problem import Problem, did_you_mean
from bot.checks.project import CONFIG_FILE, DOMAIN_FILE, Project

# Rasa sets these itself; they need no examples. `out_of_scope` is left out of the
# list on purpose: Tend only recognises it from examples.
RASA_SET_INTENTS = frozenset(DEFAULT_INTENTS) - {"out_of_scope"}
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<rest>.*)", re.DOTALL)


def check_step_intents_are_in_domain(project: Project) -> list[Problem]:
    """Intents in stories, rules and tests are listed in domain.yml."""
    known = set(project.domain_intents())
    blocks = project.blocks() + project.test_blocks()
    return [
        Problem(
            step.file,
            step.line,
            f"the intent `{name}` is used here but is not listed under `intents:` in "
            f"domain.yml.{did_you_mean(name, known)}",
        )
        for block in blocks
        for step in block.steps
        if step.kind in {"intent", "or"}
        for name in step.names
        if name and name not in known and name not in RASA_SET_INTENTS
    ]


def check_intents_have_examples(project: Project) -> list[Problem]:
    """Every intent in domain.yml has NLU examples, or Tend can never recognise it."""
    taught = {example.intent for example in project.examples()}
    return [
        Problem(
            DOMAIN_FILE,
            line,
            f"the intent `{name}` has no examples, so Tend can never recognise it. "
            "Add a few ways people say it to the flow's file in data/nlu/.",
        )
        for name, line in project.domain_intents().items()
        if name not in taught and name not in RASA_SET_INTENTS
    ]


def check_example_intents_are_in_domain(project: Project) -> list[Problem]:
    """Examples are written under intents that domain.yml lists."""
    known = set(project.domain_intents())
    seen: set[tuple[str, str]] = set()
    problems = []
    for example in project.examples():
        key = (example.file, example.intent)
        if example.intent in known or key in seen:
            continue
        seen.add(key)
        problems.append(
            Problem(
                example.file,
                example.intent_line,
                f"these examples are for the intent `{example.intent}`, which is not "
                f"listed under `intents:` in domain.yml."
                + did_you_mean(example.intent, known),
            )
        )
    return problems


def check_examples_belong_to_one_intent(project: Project) -> list[Problem]:
    """The same example under two intents leaves Tend unable to tell them apart."""
    first_seen: dict[str, tuple[str, str, int]] = {}
    problems = []
    for example in project.examples():
        key = " ".join(example.text.lower().split())
        if key not in first_seen:
            first_seen[key] = (example.intent, example.file, example.line)
            continue
        intent, file, line = first_seen[key]
        if intent != example.intent:
            problems.append(
                Problem(
                    example.file,
                    example.line,
                    f"the example “{example.text}” is written under two intents: "
                    f"`{example.intent}` here and `{intent}` in {file} line {line}. "
                    "Tend can't tell which one it means: keep it under one.",
                )
            )
    return problems


def check_intents_lead_somewhere(project: Project) -> list[Problem]:
    """Every intent is answered by a story or rule (or fills a slot in a form)."""
    used = {
        name
        for block in project.blocks()
        for step in block.steps
        if step.kind in {"intent", "or"}
        for name in step.names
    }
    used |= {intent for _, _, intent in project.slot_mapping_intents()}
    return [
        Problem(
            DOMAIN_FILE,
            line,
            f"no story or rule says what Tend does after the intent `{name}`. Add a "
            "rule for it in data/rules/ (or a story in data/stories/), or remove it.",
        )
        for name, line in project.domain_intents().items()
        if name not in used and name not in DEFAULT_INTENTS
    ]


def check_button_payloads(project: Project) -> list[Problem]:
    """Buttons send intents Tend knows, and that the command guard lets through."""
    known = set(project.domain_intents())
    allowed = project.button_intents()
    problems = []
    for name, response in project.responses().items():
        for variation in response.variations:
            for line, title, payload in variation.written_buttons():
                match = _PAYLOAD.fullmatch(payload.strip())
                if not match:
                    continue  # plain text payloads go through NLU like typing
                intent, rest = match.group("intent"), match.group("rest").strip()
                button = f"the button “{title}” in `{name}` sends `{payload}`"
                if intent not in known:
                    problems.append(
                        Problem(
                            DOMAIN_FILE,
                            line,
                            f"{button}, but `{intent}` is not an intent in "
                            f"domain.yml.{did_you_mean(intent, known)}",
                        )
                    )
                elif rest:
                    problems.append(
                        Problem(
                            DOMAIN_FILE,
                            line,
                            f"{button}: Tend reads anything after the intent name "
                            f"as plain text, so send just `/{intent}`, or plain "
                            "words.",
                        )
                    )
                elif allowed is not None and intent not in allowed:
                    problems.append(
                        Problem(
                            DOMAIN_FILE,
                            line,
                            f"{button}, but `{intent}` is not in the `button_intents` "
                            "list in config.yml, so Tend would read it as plain "
                            "text. Add it to that list.",
                        )
                    )
    return problems


def check_button_intents_exist(project: Project) -> list[Problem]:
    """Each intent in config.yml's `button_intents` list is in domain.yml."""
    allowed = project.button_intents()
    if allowed is None:
        return []
    known = set(project.domain_intents())
    start = next(
        (
            ln
            for name, ln, _ in project.pipeline()
            if name.endswith("CommandSyntaxGuard")
        ),
        1,
    )
    config = project.config
    return [
        Problem(
            CONFIG_FILE,
            config.line_with(intent, config.line_with("button_intents", start))
            if config
            else None,
            f"`{intent}` is in the `button_intents` list but is not an intent in "
            f"domain.yml.{did_you_mean(intent, known)}",
        )
        for intent in sorted(allowed - known)
    ]
