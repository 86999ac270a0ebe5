"""Tests for bot/checks/project.py: the project read once, with the right lines."""

from __future__ import annotations

from collections.abc import Callable

from bot.checks.project import Project, plain_example


def test_steps_keep_their_file_and_line(tiny_project: Callable[..., Project]) -> None:
    project = tiny_project()
    greet_rule = next(b for b in project.blocks() if b.name == "A greeting is answered")
    assert [(s.kind, s.names, s.line) for s in greet_rule.steps] == [
        ("intent", ("greet",), 6),
        ("action", ("utter_greet",), 7),
    ]


def test_or_steps_list_their_intents(tiny_project: Callable[..., Project]) -> None:
    project = tiny_project()
    step = next(s for b in project.blocks() for s in b.steps if s.kind == "or")
    assert step.names == ("crisis_disclosure", "crisis_someone_else", "worry_signal")


def test_test_story_user_turns_are_read_as_intents(
    tiny_project: Callable[..., Project],
) -> None:
    [story] = [b for b in tiny_project().test_blocks() if b.name == "hello"]
    assert story.steps[0].kind == "intent" and story.steps[0].names == ("greet",)


def test_examples_have_their_own_line_and_no_annotations(
    tiny_project: Callable[..., Project],
) -> None:
    affirm = [e for e in tiny_project().examples() if e.intent == "affirm"]
    assert [(e.text, e.line, e.intent_line) for e in affirm] == [
        ("yes", 9, 7),
        ("sure thing", 10, 7),
    ]


def test_response_variations_know_where_their_text_is(
    tiny_project: Callable[..., Project],
) -> None:
    crisis = tiny_project().responses()["utter_crisis"]
    first, conditional = crisis.variations
    assert (first.line, first.text_line) == (28, 28)
    assert conditional.has_condition and conditional.text_line == 33
    assert conditional.end_line == 35  # the line before `utter_sos:`


def test_button_payloads_are_read_with_their_line(
    tiny_project: Callable[..., Project],
) -> None:
    [variation] = tiny_project().responses()["utter_greet"].variations
    assert variation.buttons == ((21, "Yes please", "/affirm"),)


def test_responses_named_in_code_are_found(
    tiny_project: Callable[..., Project],
) -> None:
    project = tiny_project({"actions/send.py": 'dispatcher(response="utter_sos")\n'})
    assert [(n.file, n.line, n.name) for n in project.responses_named_in_code()] == [
        ("actions/send.py", 1, "utter_sos")
    ]


def test_plain_example_removes_entity_annotations() -> None:
    assert plain_example('I feel [sad](feeling) and [low]{"entity": "x"}') == (
        "I feel sad and low"
    )


def test_a_prefix_used_to_build_names_is_not_a_response(
    tiny_project: Callable[..., Project],
) -> None:
    code = 'prefix = "utter_ask_"\nname = f"utter_ask_{slot}"\nsent = "utter_sos"\n'
    project = tiny_project({"actions/forms.py": code})
    assert [n.name for n in project.responses_named_in_code()] == ["utter_sos"]
