"""`make eval`: held-out NLU figures and the crisis detector's figures, in results/.

Runs `rasa test nlu` on tests/data/nlu_holdout.yml (never used for training) and
prints the intent macro-F1 and the feeling-entity F1, then, on each labelled crisis
set, the word lists' recall and false-positive rate and what the trained model does
(escalates, asks directly, misses). Exits 1 when a target is missed: intent
macro-F1 >= 0.90, crisis recall >= 0.99, false positives <= 0.02.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.cli.train import ensure_trained
from bot.config import PROJECT_ROOT
from bot.nlu.reader_step import reader_case_files

CASES = PROJECT_ROOT / "tests" / "data"
HOLDOUT = CASES / "nlu_holdout.yml"
# The development sets are the case files the learnt reader learns from (config.yml's
# `also_learn_from`), which engineers may read while mending the word lists. The
# blind sets are never read while building and never learnt from (see each file's
# header). Tests check that every crisis set in tests/data is one or the other.
DEVELOPMENT_SETS = tuple(
    PROJECT_ROOT / path for path in reader_case_files(PROJECT_ROOT / "config.yml")
)
BLIND_SETS = tuple(
    CASES / name
    for name in (
        "crisis_blind.yml",
        "crisis_blind2.yml",
        "crisis_blind5.yml",
        "crisis_blind6.yml",
        "crisis_blind7.yml",
        "crisis_blind8.yml",
    )
)
CRISIS_SETS = DEVELOPMENT_SETS + BLIND_SETS
RESULTS = PROJECT_ROOT / "results"
INTENT_F1_TARGET = 0.90


def nlu_figures(model: Path) -> dict[str, float]:
    out = RESULTS / "nlu"
    command = [
        str(Path(sys.executable).parent / "rasa"), "test", "nlu",
        "--nlu", str(HOLDOUT), "--model", str(model), "--out", str(out),
        "--no-plot",
    ]  # fmt: skip
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
    intents = json.loads((out / "intent_report.json").read_text())
    figures = {
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "intent_accuracy": intents.get("accuracy", 0.0),
    }
    entity_report = out / "FeelingsExtractor_report.json"
    if entity_report.is_file():
        entities = json.loads(entity_report.read_text())
        if "feeling" in entities:
            figures["feeling_entity_f1"] = entities["feeling"]["f1-score"]
    return figures


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    model = ensure_trained()
    failed = False
    figures = nlu_figures(model)
    print("\nHeld-out NLU (tests/data/nlu_holdout.yml)")
    for name, value in figures.items():
        print(f"  {name:<22} {value:.3f}")
    if figures["intent_macro_f1"] < INTENT_F1_TARGET:
        print(f"  intent macro-F1 is below the target of {INTENT_F1_TARGET}")
        failed = True
    (RESULTS / "nlu_eval.json").write_text(json.dumps(figures, indent=2))

    for path in CRISIS_SETS:
        print(f"\nCrisis detector on {path.relative_to(PROJECT_ROOT)}")
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli.eval_crisis", str(path)],
            cwd=PROJECT_ROOT,
            check=False,
        )
        failed = failed or result.returncode != 0
        # What a person meets: the whole trained pipeline, lists, the learnt reader
        # and DIET together.
        subprocess.run(
            [sys.executable, "-m", "bot.cli.eval_crisis_model", str(path)],
            cwd=PROJECT_ROOT,
            check=True,
        )
    print("\nFigures written under results/.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
