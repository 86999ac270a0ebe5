"""Leave one writer out: how the crisis readers do on a voice they never learnt.

Each development set (config.yml's `also_learn_from`) was written by a different
writer. For each set named (all of them by default), this trains the learnt reader
on everything it normally learns from except that set, then reads the set through
the word lists and the reader, decided exactly as `CrisisClassifier` decides (DIET
is left out: it rarely changes a reading). It prints, per set and pooled, what
happens to crises (escalated / asked directly / missed) and to everyday messages.

Choices about the reader are made with this and the first two blind sets, so the
later blind sets stay blind (docs/safety.md). About a minute per set.

    python -m bot.cli.eval_crisis_writers [tests/data/crisis_dev_voices6.yml ...]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bot.cli.eval_crisis import load_cases
from bot.cli.eval_crisis_model import reading
from bot.config import PROJECT_ROOT
from bot.nlu.crisis_model import READING_KEY, LearntCrisisReader, train_reader
from bot.nlu.reader_step import reader_step

CONFIG = PROJECT_ROOT / "config.yml"
CHECK_STEP = "bot.nlu.crisis.CrisisClassifier"


def crisis_check(config: dict[str, Any]) -> Any:
    """The `CrisisClassifier` as config.yml sets it up."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.nlu.crisis import CrisisClassifier

    step = next(s for s in config["pipeline"] if s.get("name") == CHECK_STEP)
    settings = {**CrisisClassifier.get_default_config(), **step}
    storage = LocalModelStorage(PROJECT_ROOT / "var" / "eval_crisis_writers")
    context = ExecutionContext(GraphSchema({}), "eval-crisis-writers")
    return CrisisClassifier.create(settings, storage, Resource("check"), context)


def development_sets() -> list[Path]:
    """The case files the reader learns from (config.yml's `also_learn_from`)."""
    return LearntCrisisReader.more_example_files(reader_step(CONFIG))


def learnt_from_without(left_out: Path) -> list[Path]:
    """Every development set but the one left out."""
    return [p for p in development_sets() if p.resolve() != left_out.resolve()]


def read_left_out(left_out: Path, config: dict[str, Any], nlu: Any) -> Counter:
    """(expect, reading) counts for one set, read by a reader that never saw it."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    step = {**LearntCrisisReader.get_default_config(), **reader_step(CONFIG)}
    reader = train_reader(
        LearntCrisisReader.examples_folder(step),
        nlu,
        LearntCrisisReader.feelings_lexicon(step),
        learnt_from_without(left_out),
    )
    check = crisis_check(config)
    cases = [c for c in load_cases(left_out) if c.expect in ("crisis", "none")]
    counts: Counter = Counter()
    for case, learnt in zip(cases, reader.read([c.text for c in cases]), strict=True):
        message = Message(data={TEXT: case.text})
        message.set(READING_KEY, learnt)
        check.process([message])
        parsed = {"intent": message.get("intent"), "entities": message.get("entities")}
        counts[case.expect, reading(parsed)] += 1
    return counts


def _line(name: str, counts: Counter) -> str:
    crises = sum(n for (expect, _), n in counts.items() if expect == "crisis")
    everyday = sum(n for (expect, _), n in counts.items() if expect == "none")

    def share(expect: str, outcome: str, total: int) -> str:
        return f"{100 * counts[expect, outcome] / total:5.1f}%" if total else "    –"

    return (
        f"  {name:<30} crises {crises:>4}:"
        f" escalated {share('crisis', 'escalated', crises)}"
        f" asked {share('crisis', 'asked', crises)}"
        f" missed {share('crisis', 'missed', crises)} | everyday {everyday:>4}:"
        f" escalated {share('none', 'escalated', everyday)}"
        f" asked {share('none', 'asked', everyday)}"
    )


def main(argv: list[str] | None = None) -> int:
    import yaml
    from rasa.shared.nlu.training_data.loading import load_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    args = parser.parse_args(argv)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    development = development_sets()
    chosen = [p if p.is_absolute() else PROJECT_ROOT / p for p in args.sets]
    unknown = [
        p for p in chosen if p.resolve() not in {d.resolve() for d in development}
    ]
    if unknown:
        print(
            f"{unknown[0]} is not a development set (config.yml's also_learn_from); "
            "only those can be left out."
        )
        return 2
    nlu = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    pooled: Counter = Counter()
    print("Leave one writer out (lists and learnt reader, decided as Tend decides)")
    for path in chosen or development:
        counts = read_left_out(path, config, nlu)
        pooled.update(counts)
        print(_line(path.name, counts), flush=True)
    print(_line("all left out, pooled", pooled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
