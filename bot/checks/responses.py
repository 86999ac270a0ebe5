"""Responses and actions: every one used is written, every one written is used.

A response is *used* when a story or rule sends it, a form asks its question with
it (`utter_ask_<slot>`), or code sends it by name (the safety policy, actions). A
misspelt name in a story quietly breaks a flow, and an unused response is words
nobody will ever read, so both are reported.
"""

from __future__ import annotations

from rasa.shared.core.constants import DEFAULT_ACTION_NAMES

from bot.checks.problem import Problem, did_you_mean
from bot.checks.project import DOMAIN_FILE, Project, Step

# Responses Rasa's own actions send when they exist (action_default_fallback,
# action_default_ask_rephrase, action_back, action_restart).
RASA_BUILT_IN_RESPONSES = frozenset(
    {"utter_default", "utter_ask_rephrase", "utter_back", "utter_restart"}
)


def _action_steps(steps: list[Step]) -> list[tuple[Step, str]]:
    return [
        (step, name)
        for step in steps
        if step.kind == "action"
        for name in step.names
        if name
    ]


def form_questions(project: Project) -> dict[str, list[str]]:
    """Form slot -> the names that may ask for it (`utter_ask_<form>_<slot>`, ...)."""
    return {
        f"{form}.{slot}": [
            f"utter_ask_{form}_{slot}",
            f"utter_ask_{slot}",
            f"action_ask_{form}_{slot}",
            f"action_ask_{slot}",
        ]
        for form, slots in project.form_required_slots().items()
        for slot, _ in slots
    }


def check_used_responses_are_written(project: Project) -> list[Problem]:
    """A response sent by a story, rule, test or code exists in domain.yml."""
    written = project.responses()
    steps = [s for b in project.blocks() + project.test_blocks() for s in b.steps]
    problems = [
        Problem(
            step.file,
            step.line,
            f"the response `{name}` is used here but never written in domain.yml."
            + did_you_mean(name, written),
        )
        for step, name in _action_steps(steps)
        if name.startswith("utter_") and name not in written
    ]
    problems += [
        Problem(
            use.file,
            use.line,
            f"this code sends the response `{use.name}`, but it is not written in "
            f"domain.yml.{did_you_mean(use.name, written)}",
        )
        for use in project.responses_named_in_code()
        if use.name not in written and use.name not in RASA_BUILT_IN_RESPONSES
    ]
    problems += [
        Problem(
            DOMAIN_FILE,
            line,
            f"`{name}` is listed under `actions:` but no response of that name is "
            f"written under `responses:`.{did_you_mean(name, written)}",
        )
        for name, line in project.domain_actions().items()
        if name.startswith("utter_") and name not in written
    ]
    return problems


def check_written_responses_are_used(project: Project) -> list[Problem]:
    """Every response in domain.yml is sent by something."""
    steps = [s for b in project.blocks() for s in b.steps]
    used = {name for _, name in _action_steps(steps)}
    used |= {use.name for use in project.responses_named_in_code()}
    used |= {name for names in form_questions(project).values() for name in names}
    used |= RASA_BUILT_IN_RESPONSES
    return [
        Problem(
            DOMAIN_FILE,
            response.line,
            f"the response `{name}` is written but never used: no story, rule, form "
            "or action sends it. Use it in a flow, or delete it if it is no longer "
            "needed.",
        )
        for name, response in project.responses().items()
        if name not in used
    ]


def check_form_questions_are_written(project: Project) -> list[Problem]:
    """Each slot a form asks for has a question (`utter_ask_<slot>`)."""
    known = set(project.responses()) | set(project.domain_actions())
    problems = []
    for form, slots in project.form_required_slots().items():
        for slot, line in slots:
            if not known & set(form_questions(project)[f"{form}.{slot}"]):
                problems.append(
                    Problem(
                        DOMAIN_FILE,
                        line,
                        f"the form `{form}` asks for `{slot}`, but there is no "
                        f"question for it: write a response `utter_ask_{slot}` "
                        "with the words Tend should ask.",
                    )
                )
    return problems


def check_actions_are_known(project: Project) -> list[Problem]:
    """Actions in stories, rules and tests are listed in domain.yml (or Rasa's own)."""
    listed = set(project.domain_actions()) | set(project.domain_forms())
    known = listed | set(DEFAULT_ACTION_NAMES) | {"action_listen"}
    steps = [s for b in project.blocks() + project.test_blocks() for s in b.steps]
    return [
        Problem(
            step.file,
            step.line,
            f"the action `{name}` is used here but is not listed under `actions:` "
            f"in domain.yml.{did_you_mean(name, listed)}",
        )
        for step, name in _action_steps(steps)
        if not name.startswith("utter_") and name not in known
    ]


def check_actions_have_code(project: Project) -> list[Problem]:
    """Each custom action listed in domain.yml is defined in actions/."""
    defined = {
        use.name
        for use in project.names_in_code("actions/")
        if not use.name.startswith("utter_")
    }
    return [
        Problem(
            DOMAIN_FILE,
            line,
            f"the action `{name}` is listed here but no code in actions/ defines "
            f'it (its `name()` must return "{name}").{did_you_mean(name, defined)}',
        )
        for name, line in project.domain_actions().items()
        if not name.startswith("utter_") and name not in defined
    ]
