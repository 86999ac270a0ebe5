"""Training for the bench: the baseline model, and Tend's training times.

The baseline is trained from the same domain and data as Tend with only the config
swapped (bench/baseline_config.yml) into `var/bench/`, with its own Rasa cache
there, and retrained only when its inputs change. Tend's training times are taken in
a temporary copy of the project that shares nothing with `models/` or `.rasa/`:
a full train on an empty Rasa cache, then, on the same cache, a retrain after one
response's wording changed (what a practitioner does most often).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rasa.shared.utils.io import read_yaml_file, write_yaml

from bot.cli.train import training_fingerprint
from bot.config import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "var" / "bench"
BASELINE_CONFIG = PROJECT_ROOT / "bench" / "baseline_config.yml"
BASELINE_NAME = "baseline"
# Rasa reads its training cache folder from this variable (rasa/engine/caching.py).
RASA_CACHE_ENV = "RASA_CACHE_DIRECTORY"
WORDING_CHANGE = " Take all the time you need."
# Rasa would try to send usage reports; nothing leaves this machine.
TELEMETRY_OFF = {"RASA_TELEMETRY_ENABLED": "false"}


@dataclass(frozen=True)
class TrainedModel:
    """A model file, and how long it took to train (None: reused as it was)."""

    path: Path
    train_seconds: float | None
    recorded_train_seconds: float | None  # the last time it was really trained


@dataclass(frozen=True)
class TrainingTimes:
    """Tend's full train and its retrain after a wording-only change, in seconds."""

    full_seconds: float
    wording_only_seconds: float


def rasa_train(
    workdir: Path, config: Path, out: Path, name: str, cache_dir: Path
) -> float:
    """Runs `rasa train` in `workdir`; returns the seconds it took."""
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "train",
        "--fixed-model-name", name,
        "--out", str(out),
        "--domain", "domain.yml",
        "--config", str(config),
        "--data", "data",
    ]  # fmt: skip
    env = {
        **os.environ,
        RASA_CACHE_ENV: str(cache_dir),
        **TELEMETRY_OFF,
        # Tend's components are imported from the real project, whatever `workdir` is.
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not (out / f"{name}.tar.gz").is_file():
        # Progress bars would push the reason out of sight.
        lines = [
            line
            for line in (result.stdout + result.stderr).splitlines()
            if "it/s" not in line and line.strip()
        ]
        raise RuntimeError(
            f"`rasa train` with {config} failed in {workdir}; its output ends with:\n"
            + "\n".join(lines[-20:])
        )
    return seconds


def baseline_fingerprint() -> str:
    digest = hashlib.sha256(training_fingerprint().encode())
    digest.update(BASELINE_CONFIG.read_bytes())
    return digest.hexdigest()


def ensure_baseline_trained(bench_dir: Path = BENCH_DIR) -> TrainedModel:
    """The baseline model, trained first if Tend's data or the baseline changed."""
    model = bench_dir / f"{BASELINE_NAME}.tar.gz"
    stamp = bench_dir / f"{BASELINE_NAME}.json"
    fingerprint = baseline_fingerprint()
    recorded = json.loads(stamp.read_text()) if stamp.is_file() else {}
    if model.is_file() and recorded.get("fingerprint") == fingerprint:
        return TrainedModel(model, None, recorded.get("train_seconds"))
    print("Training the baseline model (stock Rasa config) into var/bench/ ...")
    seconds = rasa_train(
        PROJECT_ROOT, BASELINE_CONFIG, bench_dir, BASELINE_NAME, bench_dir / "cache"
    )
    stamp.write_text(json.dumps({"fingerprint": fingerprint, "train_seconds": seconds}))
    return TrainedModel(model, seconds, seconds)


def change_one_response_wording(domain_path: Path) -> str:
    """Adds a sentence to the first text response; returns the response's name."""
    domain = read_yaml_file(domain_path)
    for name, variations in domain.get("responses", {}).items():
        for variation in variations:
            if isinstance(variation.get("text"), str):
                variation["text"] = variation["text"].rstrip() + WORDING_CHANGE
                write_yaml(domain, domain_path)
                return name
    raise RuntimeError(f"{domain_path} has no text response to reword")


def measure_training_times(root: Path = PROJECT_ROOT) -> TrainingTimes:
    """Full train, then wording-only retrain, in a throw-away copy of the project."""
    with tempfile.TemporaryDirectory(prefix="tend-bench-train-") as temp:
        workdir = Path(temp)
        shutil.copy2(root / "domain.yml", workdir / "domain.yml")
        shutil.copy2(root / "config.yml", workdir / "config.yml")
        shutil.copytree(root / "data", workdir / "data")
        # The spaCy pipeline is only read: a link, not a copy.
        (workdir / "var").mkdir()
        (workdir / "var" / "spacy").symlink_to(root / "var" / "spacy")
        cache, models = workdir / "rasa-cache", workdir / "models"
        config = workdir / "config.yml"
        full = rasa_train(workdir, config, models, "tend", cache)
        change_one_response_wording(workdir / "domain.yml")
        wording_only = rasa_train(workdir, config, models, "tend", cache)
    return TrainingTimes(full_seconds=full, wording_only_seconds=wording_only)
