"""Fixtures shared by the whole run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa.core.agent import Agent

from bot.cli.train import ensure_trained


@pytest.fixture(scope="session")
def loaded_agent() -> Iterator[Agent]:
    """The trained model loaded once for the run: loading it takes tens of seconds.

    Conversations are kept in memory and there is no action server: a test that
    needs one sets `processor.action_endpoint` and puts it back. Tests share it,
    so each uses its own sender ids.
    """
    yield Agent.load(str(ensure_trained()))
