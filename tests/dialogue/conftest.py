"""Fixtures for the dialogue tests: domain.yml, where Tend's words live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import PROJECT_ROOT


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load(Path(PROJECT_ROOT / "domain.yml").read_text())
