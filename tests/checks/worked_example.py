"""Follows the worked example in docs/practitioners.md, step by step, in a folder.

The guide marks each step with an HTML comment (invisible when the guide is read)
just before its YAML block:

    <!-- worked-example: new-file data/rules/gratitude.yml -->
    <!-- worked-example: add-after-line domain.yml "^responses:" -->
    <!-- worked-example: add-after-text config.yml "button_intents:" "[" -->

`new-file` writes the block as a new file. `add-after-line` finds each pattern in
turn (a regular expression for a whole line, each searched after the one before)
and puts the block's lines after the last one found. `add-after-text` does the
same with plain text inside a line and puts the block's text right after it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from bot.config import PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "practitioners.md"
_STEP = re.compile(
    r"<!-- worked-example: (?P<how>.+?) -->\s*```yaml\n(?P<block>.*?)```", re.S
)


@dataclass(frozen=True)
class GuideStep:
    """One change the guide asks for."""

    action: str
    path: str
    anchors: tuple[str, ...]
    block: str


def guide_steps(guide: str) -> list[GuideStep]:
    steps = []
    for match in _STEP.finditer(guide):
        action, path, *anchors = shlex.split(match.group("how"))
        steps.append(GuideStep(action, path, tuple(anchors), match.group("block")))
    return steps


def apply_step(root: Path, step: GuideStep) -> None:
    target = root / step.path
    if step.action == "new-file":
        assert not target.exists(), f"{step.path} already exists"
        target.write_text(step.block, encoding="utf-8")
        return
    text = target.read_text(encoding="utf-8")
    if step.action == "add-after-line":
        lines = text.splitlines(keepends=True)
        after = 0
        for anchor in step.anchors:
            pattern = re.compile(anchor)
            found = next(
                (i for i in range(after, len(lines)) if pattern.match(lines[i])), None
            )
            assert found is not None, f"the guide's {anchor!r} is not in {step.path}"
            after = found + 1
        lines[after:after] = [step.block]
        target.write_text("".join(lines), encoding="utf-8")
    elif step.action == "add-after-text":
        position = 0
        for anchor in step.anchors:
            found = text.find(anchor, position)
            assert found >= 0, f"the guide's {anchor!r} is not in {step.path}"
            position = found + len(anchor)
        addition = step.block.strip() + " "
        target.write_text(
            text[:position] + addition + text[position:], encoding="utf-8"
        )
    else:
        raise AssertionError(f"the guide asks for an unknown step {step.action!r}")


def follow_worked_example(root: Path) -> list[GuideStep]:
    """Applies every step of the guide's worked example to the project at `root`."""
    steps = guide_steps(GUIDE.read_text(encoding="utf-8"))
    for step in steps:
        apply_step(root, step)
    return steps
