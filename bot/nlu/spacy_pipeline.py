"""Builds Tend's spaCy pipeline: a blank English tokenizer plus lookup lemmas.

No pretrained model can be downloaded here, so setup builds this small pipeline from
`spacy` and `spacy-lookups-data` into `var/spacy/tend_en` (not committed). A full
model (e.g. `en_core_web_md`) can replace it by changing `model:` in config.yml.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.language import Language

from bot.config import PROJECT_ROOT

PIPELINE_DIR = PROJECT_ROOT / "var" / "spacy" / "tend_en"


def build_blank_pipeline() -> Language:
    """A blank English pipeline whose lemmatizer reads spacy-lookups-data tables."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "tend_en"
    nlp.meta["description"] = (
        "Blank English tokenizer with lookup lemmas, built by Tend"
    )
    return nlp


def ensure_pipeline(path: Path = PIPELINE_DIR) -> Path:
    """Builds the pipeline directory once; later calls find it and return."""
    if not (path / "meta.json").is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_blank_pipeline().to_disk(path)
    return path


def load_pipeline(path: Path = PIPELINE_DIR) -> Language:
    """Loads the built pipeline, building it first if setup has not run."""
    return spacy.load(ensure_pipeline(path))


if __name__ == "__main__":
    print(ensure_pipeline(Path(sys.argv[1]) if len(sys.argv) > 1 else PIPELINE_DIR))
