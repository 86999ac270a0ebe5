"""DIET and TED give the same readings through their traced graph called directly
(bot/tf_inference.py) as through Rasa's own call, and the server installs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from bot.tf_inference import CONCRETE_ATTRIBUTE, install_concrete_predict
from tests.model_visits import graph_nodes, remembering_ted_node, visit

# A short visit: NLU (DIET) reads each message, TED predicts the next action.
VISIT = (
    "hi there",
    "/start_checkin",
    "I feel lonely and a bit anxious today",
    "it started when I was small I think",
    "yes",
    "can we do the safe place exercise",
    "i dont really know what im feeling",
)

Reading = tuple[str, dict[str, Any]]


@pytest.fixture(scope="module")
def agent(loaded_agent: Agent) -> Agent:
    return loaded_agent


@pytest.fixture
def rasas_own_call(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Rasa's own `_rasa_predict` in place for the test (an earlier test in the
    run may have installed Tend's), put back as it was afterwards."""
    own = getattr(RasaModel._rasa_predict, "__wrapped__", RasaModel._rasa_predict)
    monkeypatch.setattr(RasaModel, "_rasa_predict", own)
    return own


def readings_of_a_visit(agent: Agent, sender: str) -> list[Reading]:
    """Every TensorFlow reading made while the visit is read and its actions
    predicted, in order, with the model that made it."""
    made: list[Reading] = []
    predict = RasaModel._rasa_predict
    # Tend's TED answers a state it remembers without TensorFlow: each visit starts
    # with an empty memory, so every visit makes the same calls.
    remembering_ted_node(agent)._component._answers.clear()

    def recording(model: RasaModel, batch_in: Any) -> dict[str, Any]:
        outputs = predict(model, batch_in)
        made.append((type(model).__name__, outputs))
        return outputs

    RasaModel._rasa_predict = recording  # type: ignore[method-assign]
    try:
        visit(agent, sender, VISIT)
    finally:
        RasaModel._rasa_predict = predict  # type: ignore[method-assign]
    return made


def assert_same(expected: Any, actual: Any, where: str) -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and expected.keys() == actual.keys(), where
        for key in expected:
            assert_same(expected[key], actual[key], f"{where}.{key}")
    elif isinstance(expected, list | tuple):
        assert len(expected) == len(actual), where
        for index, (one, other) in enumerate(zip(expected, actual, strict=True)):
            assert_same(one, other, f"{where}[{index}]")
    elif isinstance(expected, np.ndarray) or isinstance(actual, np.ndarray):
        np.testing.assert_allclose(
            actual, expected, rtol=1e-5, atol=1e-6, err_msg=where
        )
    else:
        assert actual == expected, where


def test_the_direct_call_reads_exactly_as_rasas_own(
    agent: Agent, rasas_own_call: Callable[..., Any]
) -> None:
    before = readings_of_a_visit(agent, "visit-rasa")
    install_concrete_predict()
    readings_of_a_visit(agent, "visit-warm")  # the first call per model is Rasa's
    after = readings_of_a_visit(agent, "visit-direct")

    assert {name for name, _ in before} == {"DIET", "TED"}
    assert [name for name, _ in after] == [name for name, _ in before]
    for index, ((name, expected), (_, actual)) in enumerate(
        zip(before, after, strict=True)
    ):
        assert_same(expected, actual, f"{name} reading {index}")


def test_after_the_first_call_each_model_keeps_its_traced_graph(
    agent: Agent, rasas_own_call: Callable[..., Any]
) -> None:
    install_concrete_predict()
    readings_of_a_visit(agent, "visit-traced")
    models = {
        type(node._component.model).__name__: node._component.model
        for node in graph_nodes(agent)
        if isinstance(getattr(node._component, "model", None), RasaModel)
    }
    assert set(models) >= {"DIET", "TED"}
    for name, model in models.items():
        assert getattr(model, CONCRETE_ATTRIBUTE, None) is not None, name


def test_installing_twice_wraps_once(rasas_own_call: Callable[..., Any]) -> None:
    install_concrete_predict()
    installed = RasaModel._rasa_predict
    install_concrete_predict()
    assert RasaModel._rasa_predict is installed
    assert installed is not rasas_own_call


def test_the_rasa_server_installs_it(
    rasas_own_call: Callable[..., Any], rasa_extensions_undone: None
) -> None:
    from bot import server

    server.install_rasa_extensions()
    assert RasaModel._rasa_predict is not rasas_own_call
    assert getattr(RasaModel._rasa_predict, "_tend_concrete", False)
