"""Tests for bot/checks/placeholders.py: the contacts are where they must be."""

from __future__ import annotations

from collections.abc import Callable

from bot.checks.placeholders import (
    CONTACT_PLACEHOLDERS,
    check_known_placeholders,
    check_required_placeholders,
    required_placeholders,
)
from bot.checks.project import Project
from bot.config import read_settings
from bot.responses import response_values
from tests.checks.conftest import messages

Load = Callable[..., Project]


def test_contacts_named_here_are_the_ones_tend_fills_in() -> None:
    settings = read_settings(environ={}, env_file=None)
    assert set(response_values(settings)) == CONTACT_PLACEHOLDERS


def test_which_responses_need_which_contact() -> None:
    assert required_placeholders("utter_crisis") == ("crisis_contact",)
    assert required_placeholders("utter_crisis_medical") == ("crisis_contact",)
    assert required_placeholders("utter_sos") == ("crisis_contact",)
    assert required_placeholders("utter_therapist_invitation") == ("therapist_contact",)
    assert required_placeholders("utter_closing_summary") == ("therapist_contact",)
    assert required_placeholders("utter_greet") == ()


def test_removed_crisis_contact_is_reported_on_its_variation(
    tiny_project: Load,
) -> None:
    project = tiny_project(
        {
            "domain.yml": (
                "        Please reach {crisis_contact}.",
                "        Please reach out.",
            )
        }
    )
    assert messages(check_required_placeholders(project)) == [
        "domain.yml line 33: this way of saying `utter_crisis` does not contain "
        "`{crisis_contact}`. Without it, the person is not told whom to contact: put "
        "`{crisis_contact}` back into the text."
    ]


def test_a_closing_therapist_invitation_must_exist(tiny_project: Load) -> None:
    project = tiny_project(
        {
            "domain.yml": ("utter_therapist_invitation:", "utter_see_you:"),
            "data/rules/welcome.yml": ("utter_therapist_invitation", "utter_see_you"),
        }
    )
    [problem] = check_required_placeholders(project)
    assert (
        "no closing response invites the person to see a therapist" in problem.message
    )


def test_misspelt_placeholder_is_reported_with_a_suggestion(tiny_project: Load) -> None:
    project = tiny_project(
        {"domain.yml": ("{crisis_contact} now", "{crisis_contat} now")}
    )
    problems = check_known_placeholders(project)
    assert messages(problems)[0].startswith(
        "domain.yml line 28: `{crisis_contat}` in `utter_crisis` is not something Tend "
        "can fill in"
    )
    assert problems[0].message.endswith("Did you mean `crisis_contact`?")


def test_slots_are_known_placeholders(tiny_project: Load) -> None:
    assert check_known_placeholders(tiny_project()) == []


def test_a_brace_without_its_partner_is_reported(tiny_project: Load) -> None:
    project = tiny_project({"domain.yml": ("{feeling}.", "{feeling.")})
    [problem] = check_known_placeholders(project)
    assert "`utter_feeling_heard` has a `{` without its partner" in problem.message
