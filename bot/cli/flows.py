"""`make flows`: draws every flow as a diagram in docs/flows/, so practitioners see it.

One picture per file in data/stories and data/rules, plus an overview of how the
flows lead into each other, and `docs/flows/index.html` showing them all. The
pictures are written as Graphviz DOT and laid out by Graphviz's `dot` (installed
by `make setup`); nothing is laid out by hand.

In the pictures a person's turn reads "Person: <intent>" with one example from the
NLU data, Tend's turn reads "Tend: <the first words of the response>", and an
exercise (a form) lists the questions it asks in turn.

    python -m bot.cli.flows [--project DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.checks.project import (
    CONVERSATION_TESTS_DIR,
    RULES_DIR,
    Block,
    Project,
    Response,
    Step,
    YamlDocument,
    flow_name,
    load_project,
)
from bot.checks.report import render_problems
from bot.config import PROJECT_ROOT

OUT_DIR = Path("docs/flows")
FONT = "Helvetica,Arial,sans-serif"
# Characters per line inside a box: narrow boxes keep a picture tall, not wide.
WRAP = 34
LONGEST = 110  # characters of a response shown before "…"
QUESTIONS_SHOWN = 6

# Who is speaking, told by colour and by shape (so it still reads printed in grey).
STYLE = {
    "start": 'shape=oval style="filled" fillcolor="#4a4a4a" fontcolor="white"',
    "person": 'shape=box style="rounded,filled" fillcolor="#dcebfa" color="#3d7cc9"',
    "tend": 'shape=box style="filled" fillcolor="#fdf0dc" color="#c98a2d"',
    "exercise": 'shape=box style="filled,bold" fillcolor="#e3f3e1" color="#3f8f3a"',
    "does": 'shape=box style="dashed" color="#777777" fontcolor="#444444"',
    "note": 'shape=note style="filled" fillcolor="#f4f4f4" color="#aaaaaa"',
}
GENERIC_INTENTS = frozenset({"affirm", "deny", "next_step", "thanks", "greet"})


@dataclass
class Node:
    """One box in a picture."""

    id: str
    kind: str
    label: str  # Graphviz HTML-like label


@dataclass
class Picture:
    """A picture being built: boxes, arrows, and a caption at the top."""

    title: str
    caption: str = ""
    rankdir: str = "TB"
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, style)
    clusters: dict[str, list[str]] = field(default_factory=dict)  # label -> node ids
    _children: dict[tuple[str, str], str] = field(default_factory=dict)

    def node(self, kind: str, label: str) -> str:
        node_id = f"n{len(self.nodes)}"
        self.nodes[node_id] = Node(node_id, kind, label)
        return node_id

    def child(self, parent: str, key: str, kind: str, label: str) -> str:
        """The box after `parent` for this step: shared when paths start alike."""
        if (parent, key) not in self._children:
            node_id = self.node(kind, label)
            self._children[(parent, key)] = node_id
            self.edges.append((parent, node_id, ""))
        return self._children[(parent, key)]

    def to_dot(self) -> str:
        lines = [
            f'digraph "{_dot_escape(self.title)}" {{',
            f'  graph [rankdir={self.rankdir} fontname="{FONT}" fontsize=16 labelloc=t '
            f"nodesep=0.35 ranksep=0.35 pad=0.3 label=<{_keep_space(self.caption)}>];",
            f'  node [fontname="{FONT}" fontsize=11 margin="0.15,0.08"];',
            f'  edge [fontname="{FONT}" fontsize=10 color="#666666" arrowsize=0.7];',
        ]
        lines += [
            f"  {n.id} [{STYLE[n.kind]} label=<{_keep_space(n.label)}>];"
            for n in self.nodes.values()
        ]
        for number, (label, members) in enumerate(self.clusters.items()):
            if members:
                lines.append(
                    f'  subgraph cluster_{number} {{ label=<{html.escape(label)}> '
                    f'style="rounded,dashed" color="#999999" fontsize=12; '
                    f'{" ".join(members)} }}'
                )
        for source, target, style in self.edges:
            lines.append(
                f"  {source} -> {target} [{f'style={style}' if style else ''}];"
            )
        lines.append("}")
        return "\n".join(lines) + "\n"


class Labels:
    """Plain-language labels from the project's own words."""

    def __init__(self, project: Project) -> None:
        self.responses = project.responses()
        self.forms = project.form_required_slots()
        self.examples: dict[str, str] = {}
        for example in project.examples():
            self.examples.setdefault(example.intent, example.text)

    def person(self, intents: tuple[str, ...]) -> str:
        names = " or ".join(intents)
        example = next((self.examples[i] for i in intents if i in self.examples), "")
        quoted = f"<br/><i>“{_wrap(_shorten(example, 60))}”</i>" if example else ""
        return f"<b>Person:</b> {_wrap(names)}{quoted}"

    def tend(self, name: str) -> str:
        response = self.responses.get(name)
        if response is None:
            return f"<b>Tend:</b> <i>{_wrap(name)} (not written yet)</i>"
        first_line = (
            response.first_text().strip().splitlines()[0]
            if response.first_text()
            else name
        )
        return f"<b>Tend:</b> {_wrap(_shorten(first_line, LONGEST))}"

    def exercise(self, form: str) -> str:
        questions = []
        for slot, _ in self.forms.get(form, []):
            ask = self.responses.get(f"utter_ask_{form}_{slot}") or self.responses.get(
                f"utter_ask_{slot}"
            )
            text = (
                ask.first_text().strip().splitlines()[0]
                if ask and ask.first_text()
                else slot
            )
            questions.append(_shorten(text, 48))
        shown = [
            f"{i}. {html.escape(q)}"
            for i, q in enumerate(questions[:QUESTIONS_SHOWN], 1)
        ]
        if len(questions) > QUESTIONS_SHOWN:
            shown.append(f"… and {len(questions) - QUESTIONS_SHOWN} more")
        listing = "<br align='left'/>".join(shown)
        asks = f"<br/>asks in turn:<br/>{listing}<br align='left'/>" if shown else ""
        return f"<b>Exercise:</b> {html.escape(_readable(form))}{asks}"

    @staticmethod
    def menu(response: Response) -> str:
        text = _shorten(response.first_text(), 60)
        name = f"<font point-size='10'>({html.escape(response.name)})</font>"
        return f"<b>Menu</b> {name}<br/>{_wrap(text)}"

    @staticmethod
    def does(name: str) -> str:
        return f"<b>Tend does:</b> {html.escape(_readable(name))}"


def _readable(name: str) -> str:
    """`action_begin_flow` -> `begin flow`; `safe_place_form` -> `safe place`."""
    for prefix in ("action_", "utter_"):
        name = name.removeprefix(prefix)
    return name.removesuffix("_form").replace("_", " ")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _wrap(text: str) -> str:
    return "<br/>".join(html.escape(line) for line in textwrap.wrap(text, WRAP) or [""])


def _keep_space(label: str) -> str:
    """Browsers drop the space after bold text in Graphviz's SVG: keep it fixed."""
    return label.replace("</b> ", "</b>&#160;")


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


# ---- from steps to boxes --------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """What one or more steps show as: a key (to merge equal paths), kind and label."""

    key: str
    kind: str
    label: str


def boxes_of(block: Block, labels: Labels) -> list[Box]:
    """A story or rule as the boxes a practitioner should see, in order.

    Rasa's bookkeeping is left out (`active_loop` right after its form,
    `requested_slot`), and answers given inside an exercise show as one
    "Person answers" box.
    """
    steps = [s for s in block.steps if not s.in_condition]
    boxes: list[Box] = []
    # A rule that applies during an exercise starts with that exercise running.
    form: str | None = next(
        (
            s.names[0]
            for s in block.steps
            if s.in_condition and s.kind == "active_loop" and s.names != ("null",)
        ),
        None,
    )
    index = 0
    while index < len(steps):
        step = steps[index]
        name = step.names[0] if step.names else ""
        if step.kind in {"intent", "or"} and form and _answers_form(steps, index, form):
            answers: list[str] = []
            while index < len(steps) and _answers_form(steps, index, form):
                answers += [n for n in steps[index].names if n not in answers]
                index += 2
            label = labels.person(tuple(answers)).replace(
                "Person:", "Person answers:", 1
            )
            boxes.append(Box(f"answers:{','.join(answers)}", "person", label))
            continue
        index += 1
        if step.kind in {"intent", "or"}:
            boxes.append(
                Box(
                    f"intent:{','.join(step.names)}",
                    "person",
                    labels.person(step.names),
                )
            )
        elif step.kind == "action" and name in labels.forms:
            if form != name:
                boxes.append(Box(f"form:{name}", "exercise", labels.exercise(name)))
            elif not boxes or boxes[-1].key != f"form:{name}":
                text = f"<b>Exercise:</b> the {html.escape(_readable(name))} carries on"
                boxes.append(Box(f"form-on:{name}", "exercise", text))
            form = name
        elif step.kind == "action" and name.startswith("utter_"):
            boxes.append(Box(f"utter:{name}", "tend", labels.tend(name)))
        elif step.kind == "action" and name == "action_deactivate_loop":
            form = None
            boxes.append(Box("stop-exercise", "note", "<i>Tend stops the exercise</i>"))
            if index < len(steps) and steps[index].kind == "active_loop":
                index += 1  # Rasa's own record of the same thing
        elif step.kind == "action" and name != "action_listen":
            boxes.append(Box(f"action:{name}", "does", labels.does(name)))
        elif step.kind == "active_loop" and name == "null":
            form = None
            boxes.append(Box("exercise-ends", "note", "<i>the exercise ends</i>"))
        elif step.kind == "active_loop" and name != form:
            form = name
            boxes.append(
                Box(
                    f"in:{name}",
                    "note",
                    f"<i>during the {html.escape(_readable(name))} exercise</i>",
                )
            )
        elif step.kind == "slot_was_set":
            remembered = [n for n in step.names if not n.startswith("requested_slot")]
            if remembered:
                text = ", ".join(remembered).replace("=", " = ")
                boxes.append(
                    Box(f"slot:{text}", "note", f"<i>Tend remembers: {_wrap(text)}</i>")
                )
        elif step.kind == "checkpoint":
            boxes.append(
                Box(f"checkpoint:{name}", "note", f"<i>↪ {html.escape(name)}</i>")
            )
    return boxes


def _answers_form(steps: list[Step], index: int, form: str) -> bool:
    """A person's turn that the running exercise takes as an answer."""
    following = steps[index + 1] if index + 1 < len(steps) else None
    return (
        steps[index].kind in {"intent", "or"}
        and following is not None
        and following.kind == "action"
        and following.names == (form,)
    )


def start_of(block: Block) -> tuple[str, str]:
    """Where a block begins, as (key, label) of its starting oval."""
    condition = [s for s in block.steps if s.in_condition]
    if condition:
        parts = []
        for step in condition:
            name = step.names[0] if step.names else ""
            if step.kind == "active_loop":
                parts.append(f"during the {_readable(name)} exercise")
            elif step.kind == "slot_was_set":
                parts.append("when " + ", ".join(step.names).replace("=", " is "))
        text = "; ".join(parts) or "under a condition"
        return f"when:{text}", f"Only {html.escape(text)}"
    if block.conversation_start:
        return "first", "At the very start"
    if block.kind == "story":
        return "story", "A conversation"
    return "anytime", "Any time"


def flow_picture(document: YamlDocument, project: Project, labels: Labels) -> Picture:
    """The picture of one story or rule file."""
    kind = "rules" if document.path.startswith(RULES_DIR) else "stories"
    flow = flow_name(document.path)
    caption = _file_comment(document)
    heading = (
        f"<b>{html.escape(_title(flow))}</b> ({kind}: {html.escape(document.path)})"
    )
    picture = Picture(
        # Rules are many short steps: one row each reads like a list. Stories are
        # long conversations: they read top to bottom.
        rankdir="LR" if kind == "rules" else "TB",
        title=f"{flow} {kind}",
        caption=heading
        + (
            f"<br/><font point-size='12'>{_wrap_wide(caption)}</font>"
            if caption
            else ""
        ),
    )
    starts: dict[str, str] = {}
    first_box_of: dict[str, str] = {}  # box key -> the first node showing it
    for block in project.blocks():
        if block.file != document.path:
            continue
        boxes = boxes_of(block, labels)
        if not boxes:
            continue
        start_key, start_label = start_of(block)
        # A rule that begins with something Tend says continues from where Tend
        # says it elsewhere in this file, so the branches hang together.
        if (
            start_key == "anytime"
            and boxes[0].kind != "person"
            and boxes[0].key in first_box_of
        ):
            parent = first_box_of[boxes[0].key]
            boxes = boxes[1:]
        else:
            if start_key not in starts:
                starts[start_key] = picture.node("start", start_label)
            parent = starts[start_key]
        for box in boxes:
            parent = picture.child(parent, box.key, box.kind, box.label)
            first_box_of.setdefault(box.key, parent)
    return picture


def overview_picture(project: Project) -> Picture:
    """One box per flow, and arrows for the ways one flow leads into another.

    Solid arrows come from the stories (whole conversations: what usually comes
    next). A response whose buttons open three or more flows is a menu: it gets
    its own box, with dashed arrows from the flows that show it and to the flows
    its buttons open. Flows with no arrow in (help, safety, ...) work at any time.
    """
    picture = Picture(
        title="overview",
        caption="<b>Tend's flows</b>: solid arrows are what usually comes next (from "
        "the stories); dashed arrows go through a menu's buttons",
        rankdir="LR",
    )
    flows = sorted({flow_name(d.path) for d in project.flow_files()})
    blocks = [b for b in project.blocks() if flow_name(b.file) in flows]
    # How a flow starts: the first intent of its rules (stories often begin inside
    # another flow), or of its stories when it has no rules.
    entries: dict[str, set[str]] = {flow: set() for flow in flows}
    for kind in ("rule", "story"):
        for block in blocks:
            flow = flow_name(block.file)
            first = block.steps[0] if block.steps else None
            starts_flow = first is not None and first.kind == "intent"
            if (
                block.kind == kind
                and starts_flow
                and (kind == "rule" or not entries[flow])
            ):
                entries[flow].update(first.names)
    owners: dict[str, set[str]] = {}
    for flow, intents in entries.items():
        for intent in intents - GENERIC_INTENTS:
            owners.setdefault(intent, set()).add(flow)

    def opened_by(intents: set[str]) -> set[str]:
        """The flows these intents start (an intent shared by flows starts none)."""
        return {
            next(iter(owners[i]))
            for i in intents
            if i in owners and len(owners[i]) == 1
        }

    ids = {}
    for flow in flows:
        ways_in = sorted(entries[flow] - GENERIC_INTENTS) or sorted(entries[flow])
        label = f"<b>{html.escape(_title(flow))}</b>"
        if ways_in:
            shown = ", ".join(ways_in[:3]) + (" …" if len(ways_in) > 3 else "")
            label += f"<br/><font point-size='10'>{_wrap(shown)}</font>"
        ids[flow] = picture.node("tend" if flow == "safety" else "exercise", label)

    # The main menu: the response whose buttons open the most flows (and, of
    # those, the one sent most often).
    sent = Counter(
        step.names[0]
        for block in blocks
        for step in block.steps
        if step.kind == "action" and step.names
    )
    menu_name, menu_targets = max(
        (
            (name, opened_by(_payload_intents(response)))
            for name, response in project.responses().items()
        ),
        key=lambda item: (len(item[1]), sent[item[0]], item[0]),
        default=("", set()),
    )
    menu_id = ""
    if len(menu_targets) >= 3:
        menu_id = picture.node("tend", Labels.menu(project.responses()[menu_name]))

    edges = set()
    for block in blocks:
        flow = flow_name(block.file)
        for step in block.steps:
            name = step.names[0] if step.names else ""
            if step.kind == "intent" and block.kind == "story":
                for target in opened_by({name}) - {flow}:
                    edges.add((ids[flow], ids[target], ""))
            elif step.kind == "action" and name == menu_name and menu_id:
                edges.add((ids[flow], menu_id, "dashed"))
    if menu_id:
        edges |= {(menu_id, ids[target], "dashed") for target in menu_targets}
    picture.edges = sorted(edges)
    reached = {target for _, target, _ in edges} | {
        source for source, target, _ in edges if target == menu_id
    }
    picture.clusters["Any time (help, questions, safety, your data)"] = [
        ids[flow] for flow in flows if ids[flow] not in reached
    ]
    return picture


def _payload_intents(response: Response) -> set[str]:
    return {
        payload.strip().lstrip("/")
        for variation in response.variations
        for _, _, payload in variation.buttons
    }


def _title(flow: str) -> str:
    return flow.replace("_", " ").capitalize()


def _wrap_wide(text: str) -> str:
    return "<br/>".join(html.escape(line) for line in textwrap.wrap(text, 90))


def _file_comment(document: YamlDocument) -> str:
    """The comment at the top of a flow file: what the flow is for."""
    lines = []
    for line in document.lines:
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines).strip()


# ---- writing the files ----------------------------------------------------------


def render_svg(dot_text: str, target: Path) -> None:
    """Lays out the picture with Graphviz and writes it as SVG."""
    subprocess.run(
        ["dot", "-Tsvg", "-o", str(target)],
        input=dot_text,
        text=True,
        check=True,
        capture_output=True,
    )


def picture_file(document: YamlDocument) -> str:
    """`data/rules/safe_place.yml` -> `safe_place.rules.svg`."""
    kind = "rules" if document.path.startswith(RULES_DIR) else "stories"
    return f"{flow_name(document.path)}.{kind}.svg"


def index_html(project: Project) -> str:
    """The page that shows the overview and every flow's pictures."""
    flows: dict[str, list[YamlDocument]] = {}
    for document in sorted(project.flow_files(), key=lambda d: d.path):
        flows.setdefault(flow_name(document.path), []).append(document)
    sections = []
    for flow in sorted(flows):
        documents = sorted(flows[flow], key=lambda d: not d.path.startswith(RULES_DIR))
        about = html.escape(_file_comment(documents[0]))
        pictures = "\n".join(
            f"    <figure><figcaption>{html.escape(d.path)}</figcaption>"
            f'<a href="{picture_file(d)}"><img src="{picture_file(d)}" '
            f'alt="The {html.escape(_title(flow))} flow, {html.escape(d.path)}">'
            "</a></figure>"
            for d in documents
        )
        sections.append(
            f'  <section id="{flow}">\n    <h2>{html.escape(_title(flow))}</h2>\n'
            f"    <p>{about}</p>\n{pictures}\n  </section>"
        )
    toc = " · ".join(
        f'<a href="#{flow}">{html.escape(_title(flow))}</a>' for flow in sorted(flows)
    )
    return INDEX_PAGE.format(toc=toc, sections="\n".join(sections))


INDEX_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tend's conversations</title>
<style>
  body {{ font-family: Helvetica, Arial, sans-serif; margin: 2rem auto;
         max-width: 72rem; padding: 0 1rem; color: #222; line-height: 1.5; }}
  figure {{ margin: 1rem 0 2rem; }}
  figcaption {{ color: #666; font-size: 0.9rem; }}
  img {{ max-width: 100%; height: auto; border: 1px solid #eee; }}
  .key span {{ display: inline-block; padding: 0.1rem 0.5rem; margin-right: 0.5rem;
              border: 1px solid; border-radius: 4px; }}
</style>
</head>
<body>
<h1>Tend's conversations</h1>
<p>Every flow, drawn from the files in <code>data/rules</code> and
<code>data/stories</code>. Made by <code>make flows</code>: run it again after a
change to see the new version. Click a picture to open it full size.</p>
<p class="key">
  <span style="background:#dcebfa;border-color:#3d7cc9">
    Person: what someone says</span>
  <span style="background:#fdf0dc;border-color:#c98a2d">
    Tend: what Tend says</span>
  <span style="background:#e3f3e1;border-color:#3f8f3a">
    Exercise: questions asked in turn</span>
  <span style="border-style:dashed;border-color:#777">
    Tend does: something behind the scenes</span>
</p>
<p>Rules say what always happens at that moment; stories show whole
conversations.</p>
<p>{toc}</p>
<h2>Overview</h2>
<p><a href="overview.svg"><img src="overview.svg"
  alt="How Tend's flows lead into each other"></a></p>
{sections}
</body>
</html>
"""


def draw_flows(root: Path, out: Path) -> list[Path]:
    """Writes every picture and index.html into `out`; returns the files written."""
    project, problems = load_project(root)
    # Conversation tests are not drawn, so a mistake in one does not stop the drawing.
    problems = [p for p in problems if not p.file.startswith(CONVERSATION_TESTS_DIR)]
    if problems:
        raise FlowsError(render_problems(problems))
    labels = Labels(project)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.svg"):
        old.unlink()  # a flow that was deleted loses its picture too
    written = []
    pictures = [(out / "overview.svg", overview_picture(project))] + [
        (out / picture_file(d), flow_picture(d, project, labels))
        for d in project.flow_files()
    ]
    for target, picture in pictures:
        render_svg(picture.to_dot(), target)
        written.append(target)
    index = out / "index.html"
    index.write_text(index_html(project), encoding="utf-8")
    return [*written, index]


class FlowsError(RuntimeError):
    """The flows cannot be drawn; the message says why in plain words."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make flows", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--project", type=Path, default=PROJECT_ROOT)
    parser.add_argument("--out", type=Path, default=None, help="default: docs/flows")
    args = parser.parse_args(argv)
    root = args.project.resolve()
    out = (args.out or root / OUT_DIR).resolve()
    if shutil.which("dot") is None:
        print(
            "Drawing the flows needs Graphviz's `dot`. Run `make setup`, or install it "
            "with `apt-get install graphviz`.",
            file=sys.stderr,
        )
        return 1
    try:
        written = draw_flows(root, out)
    except FlowsError as error:
        print(
            f"The flows cannot be drawn until these are fixed:\n\n{error}",
            file=sys.stderr,
        )
        return 1
    shown = out.relative_to(root) if out.is_relative_to(root) else out
    print(
        f"Drew {len(written) - 1} pictures. Open {shown / 'index.html'} in a browser."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
