"""Trains Tend's model only when what it is trained from has changed.

The inputs (domain, config, training data, word lists, the case files the learnt
crisis reader learns from, and the code of Tend's own NLU components and policies)
are hashed; when the hash matches the one stored beside `models/tend.tar.gz`,
nothing runs. Otherwise `rasa train` runs, and Rasa's own cache (`.rasa/cache`)
retrains only the parts that changed.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.nlu.reader_step import reader_case_files, reader_conversation_files

MODEL_NAME = "tend"
MODELS_DIR = PROJECT_ROOT / "models"
TRAINING_INPUTS = (
    "domain.yml",
    "config.yml",
    "data",
    "bot/nlu",
    "bot/policies",
)


def training_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of every file the model is trained from."""
    digest = hashlib.sha256()
    config = root / "config.yml"
    learnt = (*reader_case_files(config), *reader_conversation_files(config))
    for name in (*TRAINING_INPUTS, *learnt):
        path = root / name
        files = (
            sorted(p for p in path.rglob("*") if p.is_file())
            if path.is_dir()
            else [path]
        )
        for file in files:
            if file.suffix in {".pyc"} or "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes() if file.exists() else b"")
    return digest.hexdigest()


def model_path(models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"{MODEL_NAME}.tar.gz"


def ensure_trained(root: Path = PROJECT_ROOT, models_dir: Path | None = None) -> Path:
    """Returns the model, training it first if the inputs changed."""
    models_dir = models_dir or root / "models"
    model = model_path(models_dir)
    stamp = models_dir / f"{MODEL_NAME}.inputs"
    fingerprint = training_fingerprint(root)
    if model.is_file() and stamp.is_file() and stamp.read_text() == fingerprint:
        print(f"Model is up to date: {model.relative_to(root)}")
        return model
    print("Training data, domain or config changed: training (a minute or two)...")
    started = time.monotonic()
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "train",
        "--fixed-model-name",
        MODEL_NAME,
        "--out",
        str(models_dir),
        "--domain",
        "domain.yml",
        "--config",
        "config.yml",
        "--data",
        "data",
    ]
    result = subprocess.run(command, cwd=root, check=False)
    if result.returncode != 0 or not model.is_file():
        raise SystemExit(
            "Training failed: read the messages above, or run `make check` for a plain "
            "explanation of what is wrong in the data."
        )
    stamp.write_text(fingerprint)
    print(f"Trained in {time.monotonic() - started:.0f} s: {model.relative_to(root)}")
    return model


if __name__ == "__main__":
    ensure_trained()
