"""Tests for bot/checks/yaml_syntax.py: YAML mistakes told with the line and a hint."""

from __future__ import annotations

from bot.checks.yaml_syntax import check_yaml_text

RULES = "rules:\n  - rule: hello\n    steps:\n      - intent: greet\n"


def test_clean_yaml_has_no_problems() -> None:
    assert check_yaml_text("data/rules/x.yml", RULES) == []


def test_tab_in_indentation_is_reported_on_its_line() -> None:
    text = RULES + "\t- action: utter_greet\n"
    [problem] = check_yaml_text("data/rules/x.yml", text)
    assert problem.line == 5
    assert "tab" in problem.message and "spaces" in problem.message


def test_unclosed_quote_points_at_the_line_where_it_opens() -> None:
    text = (
        'responses:\n  utter_a:\n    - text: "hello there\n  utter_b:\n    - text: hi\n'
    )
    [problem] = check_yaml_text("domain.yml", text)
    assert problem.line == 3
    assert "never closed" in problem.message


def test_colon_inside_text_suggests_double_quotes() -> None:
    text = "responses:\n  utter_a:\n    - text: Note: breathe slowly\n"
    [problem] = check_yaml_text("domain.yml", text)
    assert problem.line == 3
    assert "colon" in problem.message and "double quotes" in problem.message


def test_line_out_of_step_is_called_indentation() -> None:
    text = RULES + "     - action: utter_greet\n"
    [problem] = check_yaml_text("data/rules/x.yml", text)
    assert problem.line == 5
    assert "not lined up" in problem.message


def test_apostrophe_inside_single_quotes_is_explained() -> None:
    text = "responses:\n  utter_a:\n    - text: 'it's fine'\n"
    [problem] = check_yaml_text("domain.yml", text)
    assert problem.line == 3
    assert "quote" in problem.message


def test_name_written_twice_names_both_lines() -> None:
    text = "responses:\n  utter_a:\n    - text: a\n  utter_a:\n    - text: b\n"
    [problem] = check_yaml_text("domain.yml", text)
    assert problem.line == 4
    assert "`utter_a` is written twice" in problem.message
    assert "line 2" in problem.message


def test_dash_without_space_is_reported_even_though_yaml_accepts_it() -> None:
    text = "rules:\n  - rule: hello\n    steps:\n      -intent: greet\n"
    [problem] = check_yaml_text("data/rules/x.yml", text)
    assert problem.line == 4
    assert "`- intent: greet`" in problem.message


def test_parser_jargon_never_reaches_the_practitioner() -> None:
    broken = [
        RULES + "\t- action: x\n",
        RULES + "     - action: x\n",
        "a: [x, y\nb: 1\n",
        "responses:\n  utter_a:\n    - text: @hello\n",
        "intents:\n  - greet\n  goodbye\n",
    ]
    for text in broken:
        for problem in check_yaml_text("f.yml", text):
            assert "<block" not in problem.message
            assert "Traceback" not in problem.message
            assert problem.line is not None
