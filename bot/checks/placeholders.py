"""Placeholders in responses: the contacts are where they must be, and none is unknown.

Words in braces are filled in when Tend speaks: a slot (`{feeling}`) or one of the
contacts from the settings (`{crisis_contact}`, see `bot/responses.py`). If a name
in braces is misspelt, Rasa shows the whole response with its braces unfilled, so
`{crisis_contat}` would hide the crisis line from someone who needs it.

Which responses must carry which contact:
- `{crisis_contact}`: every variation of `utter_sos` and of every response whose
  name starts with `utter_crisis`.
- `{therapist_contact}`: every variation of the closing responses that invite the
  person to see a therapist, found by name: names that contain
  `therapist_invitation`, or start with `utter_closing`. At least one must exist.
"""

from __future__ import annotations

import re

from bot.checks.problem import Problem, did_you_mean
from bot.checks.project import DOMAIN_FILE, Project

# Filled by bot/responses.py from the settings (tests/checks guards that they agree).
CONTACT_PLACEHOLDERS = frozenset(
    {
        "bot_name",
        "crisis_contact",
        "therapist_contact",
        "child_contact",
        "child_contact_line",
    }
)
THERAPIST_INVITATION = re.compile(r"^utter_closing|therapist_invitation")
_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")


def required_placeholders(name: str) -> tuple[str, ...]:
    """The contacts a response with this name must always contain."""
    if name == "utter_sos" or name.startswith("utter_crisis"):
        return ("crisis_contact",)
    if THERAPIST_INVITATION.search(name):
        return ("therapist_contact",)
    return ()


def check_required_placeholders(project: Project) -> list[Problem]:
    """Crisis and SOS responses name the crisis line; the closing, the therapist."""
    responses = project.responses()
    problems = [
        Problem(
            DOMAIN_FILE,
            variation.text_line,
            f"this way of saying `{response.name}` does not contain "
            f"`{{{placeholder}}}`. Without it, the person is not told whom to "
            f"contact: put `{{{placeholder}}}` back into the text.",
        )
        for response in responses.values()
        for placeholder in required_placeholders(response.name)
        for variation in response.variations
        if f"{{{placeholder}}}" not in variation.text
    ]
    if responses and not any(THERAPIST_INVITATION.search(n) for n in responses):
        problems.append(
            Problem(
                DOMAIN_FILE,
                None,
                "no closing response invites the person to see a therapist. Tend "
                "looks for a response named `utter_closing...` (or with "
                "`therapist_invitation` in its name) that contains "
                "`{therapist_contact}`.",
            )
        )
    return problems


def check_known_placeholders(project: Project) -> list[Problem]:
    """Every `{name}` in a response is a slot or a contact, and braces are closed."""
    known = CONTACT_PLACEHOLDERS | set(project.domain_slots())
    problems = []
    for response in project.responses().values():
        for variation in response.variations:
            problems += _placeholder_problems(
                project,
                response.name,
                variation.text,
                known,
                (variation.text_line, variation.end_line),
            )
            for line, title, _ in variation.written_buttons():
                problems += _placeholder_problems(
                    project, response.name, title, known, (line, line)
                )
    return problems


def _placeholder_problems(
    project: Project,
    name: str,
    text: str,
    known: set[str] | frozenset[str],
    lines: tuple[int, int],
) -> list[Problem]:
    def where(needle: str) -> int:
        domain = project.domain
        return domain.line_with(needle, *lines) if domain else lines[0]

    problems = []
    for match in _PLACEHOLDER.finditer(text):
        placeholder = match.group(1).strip()
        if placeholder not in known:
            problems.append(
                Problem(
                    DOMAIN_FILE,
                    where(match.group(0)),
                    f"`{match.group(0)}` in `{name}` is not something Tend can fill "
                    "in: it is not a slot, nor one of "
                    f"{', '.join('{' + n + '}' for n in sorted(CONTACT_PLACEHOLDERS))}."
                    + did_you_mean(placeholder, known),
                )
            )
    leftover = _PLACEHOLDER.sub("", text)
    if "{" in leftover or "}" in leftover:
        brace = "{" if "{" in leftover else "}"
        problems.append(
            Problem(
                DOMAIN_FILE,
                where(brace),
                f"`{name}` has a `{brace}` without its partner. Names to fill in are "
                "written in a pair of braces, like `{crisis_contact}`.",
            )
        )
    return problems
