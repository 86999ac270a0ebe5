"""Steps of config.yml's pipeline, the learnt crisis reader's above all, read
without loading Rasa.

`make train` fingerprints the case files the reader's step names before every
`make run`, and importing Rasa there would cost seconds; so the reader
(bot.nlu.crisis_model), the training fingerprint (bot.cli.train), the evaluations
and the tests all look steps up here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

READER_STEP = "bot.nlu.crisis_model.LearntCrisisReader"
# The step's key naming case files outside data/ that the reader learns from too.
READER_FILES_KEY = "also_learn_from"
# The step's key naming conversation sets whose everyday conversations it learns from.
READER_CONVERSATIONS_KEY = "everyday_from_conversations"


def read_config(config_file: Path) -> dict[str, Any]:
    """A config.yml, read once."""
    return yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}


def pipeline_step(config: dict[str, Any], name: str) -> dict[str, Any]:
    """The step of a config's pipeline with this name (empty if it has none)."""
    steps = config.get("pipeline") or []
    return next((s for s in steps if isinstance(s, dict) and s.get("name") == name), {})


def reader_step(config_file: Path) -> dict[str, Any]:
    """The reader's step of a config.yml pipeline (empty if it has none)."""
    return pipeline_step(read_config(config_file), READER_STEP)


def named_files(step: dict[str, Any], key: str) -> list[str]:
    """The files a reader step's `key` names, as config.yml writes them."""
    return [str(path) for path in step.get(key) or []]


def reader_case_files(config_file: Path) -> list[str]:
    """The case files the reader's step names, as config.yml writes them."""
    return named_files(reader_step(config_file), READER_FILES_KEY)


def reader_conversation_files(config_file: Path) -> list[str]:
    """The conversation sets the reader's step names, as config.yml writes them."""
    return named_files(reader_step(config_file), READER_CONVERSATIONS_KEY)
