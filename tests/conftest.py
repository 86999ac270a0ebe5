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


@pytest.fixture
def rasa_extensions_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever `bot.server.install_rasa_extensions()` replaces in Rasa during the
    test is put back afterwards, so later tests meet Rasa's own code."""
    import rasa.utils.log_utils as log_utils
    from rasa.core.actions.action import RemoteAction
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.tensorflow.models import RasaModel

    for owner, name in (
        (RemoteAction, "_validate_action_result"),
        (RemoteAction, "run"),
        (RasaModel, "_rasa_predict"),
        (DialogueStateTracker, "past_states"),
        (MessageProcessor, "_predict_next_with_tracker"),
        (MessageProcessor, "_parse_message_with_graph"),
        (RulePolicy, "_get_possible_keys"),
        (RulePolicy, "predict_action_probabilities"),
        (RulePolicy, "train"),
        (log_utils, "_anonymizer"),
    ):
        monkeypatch.setattr(owner, name, getattr(owner, name))
