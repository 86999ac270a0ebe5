"""Tests for bot/checks/intents.py: intents named, taught and answered."""

from __future__ import annotations

from collections.abc import Callable

from bot.checks.intents import (
    check_button_intents_exist,
    check_button_payloads,
    check_example_intents_are_in_domain,
    check_examples_belong_to_one_intent,
    check_intents_have_examples,
    check_intents_lead_somewhere,
    check_step_intents_are_in_domain,
)
from bot.checks.project import Project
from tests.checks.conftest import TINY_PROJECT, messages

Load = Callable[..., Project]
NEW_INTENT = {"domain.yml": ("  - greet\n", "  - greet\n  - start_gratitude\n")}


def test_intent_missing_from_domain_is_found_where_it_is_used(
    tiny_project: Load,
) -> None:
    project = tiny_project({"domain.yml": ("  - sos\n", "")})
    assert messages(check_step_intents_are_in_domain(project)) == [
        "data/rules/safety.yml line 10: the intent `sos` is used here but is not "
        "listed under `intents:` in domain.yml.",
        "tests/conversations/test_safety.yml line 5: the intent `sos` is used here "
        "but is not listed under `intents:` in domain.yml.",
    ]


def test_misspelt_intent_in_an_or_step_gets_a_suggestion(tiny_project: Load) -> None:
    project = tiny_project(
        {"data/rules/safety.yml": ("- intent: worry_signal", "- intent: worry_signl")}
    )
    [problem] = check_step_intents_are_in_domain(project)
    assert problem.message.endswith("Did you mean `worry_signal`?")


def test_intent_without_examples_is_reported_at_its_domain_line(
    tiny_project: Load,
) -> None:
    project = tiny_project(NEW_INTENT)
    assert messages(check_intents_have_examples(project)) == [
        "domain.yml line 4: the intent `start_gratitude` has no examples, so Tend can "
        "never recognise it. Add a few ways people say it to the flow's file in "
        "data/nlu/."
    ]


def test_examples_under_an_unknown_intent_suggest_the_right_name(
    tiny_project: Load,
) -> None:
    project = tiny_project(
        {"data/nlu/welcome.yml": ("intent: affirm", "intent: afirm")}
    )
    assert messages(check_example_intents_are_in_domain(project)) == [
        "data/nlu/welcome.yml line 7: these examples are for the intent `afirm`, "
        "which is not listed under `intents:` in domain.yml. Did you mean `affirm`?"
    ]


def test_same_example_under_two_intents_names_both_places(tiny_project: Load) -> None:
    project = tiny_project(
        {"data/nlu/welcome.yml": ("      - yes\n", "      - Hello\n")}
    )
    [problem] = check_examples_belong_to_one_intent(project)
    assert (problem.file, problem.line) == ("data/nlu/welcome.yml", 9)
    assert "`affirm` here and `greet` in data/nlu/welcome.yml line 5" in problem.message


def test_intent_no_rule_answers_is_reported(tiny_project: Load) -> None:
    project = tiny_project(NEW_INTENT)
    [problem] = check_intents_lead_somewhere(project)
    assert "after the intent `start_gratitude`" in problem.message


def test_intent_that_fills_a_slot_needs_no_rule(tiny_project: Load) -> None:
    # The same new intent as above, now filling the `feeling` slot: it has a job.
    slot_mapping = (
        "        entity: feeling\n",
        "        entity: feeling\n      - type: from_intent\n"
        "        intent: start_gratitude\n        value: grateful\n",
    )
    domain = TINY_PROJECT["domain.yml"].replace(*NEW_INTENT["domain.yml"])
    project = tiny_project({"domain.yml": domain.replace(*slot_mapping)})
    assert check_intents_lead_somewhere(project) == []


def test_button_to_an_unknown_intent_is_reported(tiny_project: Load) -> None:
    project = tiny_project({"domain.yml": ('payload: "/affirm"', 'payload: "/afirm"')})
    assert messages(check_button_payloads(project)) == [
        "domain.yml line 21: the button “Yes please” in `utter_greet` sends `/afirm`, "
        "but `afirm` is not an intent in domain.yml. Did you mean `affirm`?"
    ]


def test_button_list_shared_by_an_anchor_is_reported_once_where_written(
    tiny_project: Load,
) -> None:
    # Like Tend's menu: written once under an anchor, reused by another response.
    shared = (
        '      buttons:\n        - title: "Yes please"\n          payload: "/affirm"\n',
        '      buttons: &greet_buttons\n        - title: "Yes please"\n'
        '          payload: "/afirm"\n'
        "  utter_greet_again:\n    - text: Welcome back.\n"
        "      buttons: *greet_buttons\n",
    )
    project = tiny_project({"domain.yml": shared})
    assert messages(check_button_payloads(project)) == [
        "domain.yml line 21: the button “Yes please” in `utter_greet` sends `/afirm`, "
        "but `afirm` is not an intent in domain.yml. Did you mean `affirm`?"
    ]


def test_button_intent_must_be_on_the_command_guard_list(tiny_project: Load) -> None:
    project = tiny_project({"config.yml": ("[greet, affirm, sos]", "[greet, sos]")})
    [problem] = check_button_payloads(project)
    assert "not in the `button_intents` list in config.yml" in problem.message


def test_button_with_entities_is_read_as_plain_text(tiny_project: Load) -> None:
    project = tiny_project(
        {"domain.yml": ('payload: "/affirm"', 'payload: \'/affirm{"feeling": "sad"}\'')}
    )
    [problem] = check_button_payloads(project)
    assert "send just `/affirm`" in problem.message


def test_plain_text_button_payloads_are_fine(tiny_project: Load) -> None:
    project = tiny_project(
        {"domain.yml": ('payload: "/affirm"', 'payload: "I feel sad"')}
    )
    assert check_button_payloads(project) == []


def test_button_intents_list_names_only_known_intents(tiny_project: Load) -> None:
    project = tiny_project(
        {"config.yml": ("[greet, affirm, sos]", "[greet, affirm, sos, start_gratitud]")}
    )
    [problem] = check_button_intents_exist(project)
    assert (problem.file, problem.line) == ("config.yml", 6)
    assert "`start_gratitud` is in the `button_intents` list" in problem.message
