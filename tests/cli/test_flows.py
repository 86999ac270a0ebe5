"""Tests for bot/cli/flows.py: every flow drawn, with readable labels, by Graphviz."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.checks.project import Block, Step, load_project
from bot.cli.flows import Labels, boxes_of, draw_flows, main
from tests.checks.conftest import write_project

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz `dot` is not installed (make setup)"
)

FORM_STORY = """\
version: "3.1"
stories:
  - story: Gratitude, with a question on the way
    steps:
      - intent: greet
      - action: gratitude_form
      - active_loop: gratitude_form
      - intent: affirm
      - action: gratitude_form
      - intent: greet
      - action: gratitude_form
      - intent: sos
      - action: utter_sos
      - action: gratitude_form
      - active_loop: null
      - slot_was_set:
          - requested_slot: null
      - action: utter_therapist_invitation
"""


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@needs_dot
def test_every_flow_file_gets_a_picture_and_the_index_links_them(
    project_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "flows"
    written = {path.name for path in draw_flows(project_root, out)}
    assert written == {
        "overview.svg",
        "welcome.rules.svg",
        "safety.rules.svg",
        "index.html",
    }
    index = (out / "index.html").read_text(encoding="utf-8")
    for picture in written - {"index.html"}:
        assert f'src="{picture}"' in index


@needs_dot
def test_pictures_speak_as_person_and_tend_with_real_words(
    project_root: Path, tmp_path: Path
) -> None:
    draw_flows(project_root, tmp_path / "flows")
    svg = (tmp_path / "flows" / "welcome.rules.svg").read_text(encoding="utf-8")
    assert "Person:" in svg and "greet" in svg
    assert "“hello”" in svg  # the first NLU example of `greet`
    assert "Tend:" in svg and "Hello, I&#39;m {bot_name}." in svg


@needs_dot
def test_a_deleted_flow_loses_its_picture(project_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "flows"
    (out).mkdir()
    (out / "gone.rules.svg").write_text("<svg/>")
    draw_flows(project_root, out)
    assert not (out / "gone.rules.svg").exists()


def test_exercise_answers_show_as_one_box_and_bookkeeping_is_hidden(
    tmp_path: Path,
) -> None:
    form = "forms:\n  gratitude_form:\n    required_slots: [feeling]\nactions:\n"
    root = write_project(
        tmp_path / "with_form",
        {"domain.yml": ("actions:\n", form), "data/stories/gratitude.yml": FORM_STORY},
    )
    project, _ = load_project(root)
    [story] = [b for b in project.blocks() if b.kind == "story"]
    kinds = [(box.kind, box.key) for box in boxes_of(story, Labels(project))]
    assert kinds == [
        ("person", "intent:greet"),
        ("exercise", "form:gratitude_form"),
        ("person", "answers:affirm,greet"),
        ("person", "intent:sos"),
        ("tend", "utter:utter_sos"),
        ("exercise", "form-on:gratitude_form"),
        ("note", "exercise-ends"),
        ("tend", "utter:utter_therapist_invitation"),
    ]


def test_tend_speaks_with_the_first_words_of_its_response(project_root: Path) -> None:
    project, _ = load_project(project_root)
    labels = Labels(project)
    assert labels.tend("utter_sos") == (
        "<b>Tend:</b> If you need help now:<br/>{crisis_contact}."
    )
    assert "(not written yet)" in labels.tend("utter_missing")
    assert labels.person(("affirm",)) == "<b>Person:</b> affirm<br/><i>“yes”</i>"


def test_rule_during_an_exercise_starts_with_it_running() -> None:
    step = Step("f.yml", 1, "b", "active_loop", ("gratitude_form",), in_condition=True)
    action = Step("f.yml", 2, "b", "action", ("gratitude_form",))
    block = Block("f.yml", 1, "rule", "b", (step, action))

    class NoWords(Labels):
        def __init__(self) -> None:
            self.responses, self.examples = {}, {}
            self.forms = {"gratitude_form": []}

    [box] = boxes_of(block, NoWords())
    assert box.key == "form-on:gratitude_form"
    assert "carries on" in box.label


def test_yaml_mistake_is_explained_instead_of_drawn(
    project_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = project_root / "data/rules/welcome.yml"
    rules.write_text(
        rules.read_text().replace("      - intent: greet", "\t- intent: greet")
    )
    code = main(["--project", str(project_root), "--out", str(tmp_path / "flows")])
    assert code == 1
    error = capsys.readouterr().err
    assert "data/rules/welcome.yml line 6: there is a tab" in error
