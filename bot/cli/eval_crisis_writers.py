"""Leave one writer out: how the crisis readers do on a voice they never learnt.

Each development set (config.yml's `also_learn_from`) was written by a different
writer. For each set named (all of them by default), this trains the learnt reader
on everything it normally learns from except that set, then reads the set through
the word lists and the reader, decided exactly as `CrisisClassifier` decides (DIET
is left out: it rarely changes a reading). It prints, per set and pooled, what
happens to crises (escalated / asked directly / missed), to everyday messages, and
to the other kinds (given their own reply, or the crisis reply or the question).

Choices about the reader are made with this and the first two blind sets, so the
later blind sets stay blind (docs/safety-history.md). About two minutes per set.

    python -m bot.cli.eval_crisis_writers [tests/data/crisis_dev_voices6.yml ...]
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from bot.cli.eval_crisis import Case, load_cases, percent
from bot.cli.eval_crisis_model import figures, reply
from bot.cli.evaluate import DEVELOPMENT_SETS
from bot.config import PROJECT_ROOT
from bot.nlu.crisis_model import READING_KEY, LearntCrisisReader, train_reader
from bot.nlu.reader_step import READER_STEP, pipeline_step, read_config
from bot.nlu.safety_intents import FAINT_SIGN

CONFIG = PROJECT_ROOT / "config.yml"
CHECK_STEP = "bot.nlu.crisis.CrisisClassifier"


def crisis_check(config: dict[str, Any]) -> Any:
    """The `CrisisClassifier` as config.yml sets it up."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.nlu.crisis import CrisisClassifier

    settings = {
        **CrisisClassifier.get_default_config(),
        **pipeline_step(config, CHECK_STEP),
    }
    storage = LocalModelStorage(PROJECT_ROOT / "var" / "eval_crisis_writers")
    context = ExecutionContext(GraphSchema({}), "eval-crisis-writers")
    return CrisisClassifier.create(settings, storage, Resource("check"), context)


def learnt_from_without(left_out: Path) -> list[Path]:
    """Every development set but the one left out."""
    return [p for p in DEVELOPMENT_SETS if p.resolve() != left_out.resolve()]


def read_left_out(
    left_out: Path, config: dict[str, Any], nlu: Any, check: Any
) -> tuple[list[Case], list[str]]:
    """The set's cases, and the reply each got (`reply`: escalated, asked,
    someone_else, ...) from the lists and a reader that never saw the set."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    step = {
        **LearntCrisisReader.get_default_config(),
        **pipeline_step(config, READER_STEP),
    }
    reader = train_reader(
        LearntCrisisReader.examples_folder(step),
        nlu,
        LearntCrisisReader.feelings_lexicon(step),
        learnt_from_without(left_out),
        LearntCrisisReader.meaning_share(step),
        LearntCrisisReader.conversation_files(step),
    )
    cases = load_cases(left_out)
    messages = [Message(data={TEXT: c.text}) for c in cases]
    for message, learnt in zip(
        messages, reader.read([c.text for c in cases]), strict=True
    ):
        message.set(READING_KEY, learnt)
    check.process(messages)
    readings = [
        reply(
            {
                "intent": m.get("intent"),
                "entities": m.get("entities"),
                FAINT_SIGN: m.get(FAINT_SIGN),
            }
        )
        for m in messages
    ]
    return cases, readings


def _line(name: str, cases: list[Case], readings: list[str]) -> str:
    result = figures(cases, readings)
    crises, everyday = result["crisis"], result["everyday"]
    return (
        f"  {name:<30} crises {crises['cases']:>4}:"
        f" escalated {percent(crises['escalated'])}"
        f" asked {percent(crises['asked'])}"
        f" missed {percent(crises['missed'])} (noted {percent(crises['noted'])})"
        f" | everyday {everyday['cases']:>4}:"
        f" escalated {percent(everyday['escalated'])}"
        f" asked {percent(everyday['asked'])}"
        f" noted {percent(everyday['noted'])}"
        f" other reply {percent(everyday['other_reply'])}"
        + "".join(
            f" | {kind} {row['cases']:>3}: own {percent(row['own_reply'])}"
            f" crisis/asked {percent(row['crisis_or_asked'])}"
            f" noted {percent(row['noted'])}"
            for kind, row in result["other_kinds"].items()
        )
    )


def main(argv: list[str] | None = None) -> int:
    from rasa.shared.nlu.training_data.loading import load_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    args = parser.parse_args(argv)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    chosen = [p if p.is_absolute() else PROJECT_ROOT / p for p in args.sets]
    known = {d.resolve() for d in DEVELOPMENT_SETS}
    unknown = [p for p in chosen if p.resolve() not in known]
    if unknown:
        print(
            f"{unknown[0]} is not a development set (config.yml's also_learn_from); "
            "only those can be left out."
        )
        return 2
    config = read_config(CONFIG)
    nlu = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    check = crisis_check(config)
    pooled: tuple[list[Case], list[str]] = ([], [])
    print("Leave one writer out (lists and learnt reader, decided as Tend decides)")
    for path in chosen or DEVELOPMENT_SETS:
        cases, readings = read_left_out(path, config, nlu, check)
        pooled[0].extend(cases)
        pooled[1].extend(readings)
        print(_line(path.name, cases, readings), flush=True)
    print(_line("all left out, pooled", *pooled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
