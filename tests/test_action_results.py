"""The cached check of action server answers agrees with Rasa's, only faster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from bot.action_results import (
    check_action_answer,
    install_cached_action_result_check,
    quickly_valid,
)

ANSWERS: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "feelings_text", "value": "lonely"},
            {"event": "active_loop", "name": None},
        ],
        "responses": [{"text": "It sounds like you feel lonely."}],
    },
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [{"event": "slot"}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": ["not an object"]},
    # Every kind of event Tend's actions send, and broken ones of each.
    {
        "events": [
            {"event": "slot", "name": "feeling", "value": ["sad", "alone"]},
            {"event": "bot", "text": "hello", "data": {}, "metadata": {}},
            {"event": "followup", "name": "utter_ask_safe_now", "timestamp": 1.5},
            {"event": "action", "name": "action_listen", "policy": None},
            {"event": "form", "name": "checkin_form"},
            {"event": "reset_slots"},
            {"event": "restart"},
            {"event": "user", "text": "hi", "parse_data": {"text": "hi"}},
            {"event": "action_execution_rejected", "name": "checkin_form"},
        ],
        "responses": [{"response": "utter_greet"}, {"text": "hi", "buttons": []}],
    },
    {"events": [{"event": "slot", "name": 3, "value": "x"}], "responses": []},
    {"events": [{"event": ["slot"], "name": "x"}], "responses": []},
    {"events": [{"event": None}], "responses": []},
    {"events": [{"name": "no kind"}], "responses": []},
    {"events": ["not an object"], "responses": []},
    {"events": [{"event": "slot", "name": "x", "timestamp": "noon"}]},
    {"events": [{"event": "followup"}], "responses": []},
    {"events": [{"event": "user", "text": 5}], "responses": []},
    {"responses": [{"text": "no events at all"}]},
    {"events": None, "responses": []},
]


def rasa_accepts(answer: dict[str, Any]) -> bool:
    try:
        validate(answer, RemoteAction.action_response_format_spec())
    except ValidationError:
        return False
    return True


def cached_accepts(answer: dict[str, Any]) -> bool:
    try:
        return check_action_answer(answer)
    except ValidationError:
        return False


@pytest.mark.parametrize("answer", ANSWERS)
def test_the_cached_check_agrees_with_rasa(answer: dict[str, Any]) -> None:
    assert cached_accepts(answer) == rasa_accepts(answer)


@pytest.mark.parametrize("answer", ANSWERS)
def test_the_quick_check_accepts_only_what_rasa_accepts(answer: dict[str, Any]) -> None:
    # It may only say "valid" where Rasa does, and it should for every valid answer
    # here (else the quick way saves nothing).
    assert quickly_valid(answer) == rasa_accepts(answer)


@pytest.mark.parametrize("answer", [a for a in ANSWERS if not rasa_accepts(a)])
def test_a_refused_answer_gets_rasas_own_error(answer: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as rasas:
        validate(answer, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError) as ours:
        check_action_answer(answer)
    assert ours.value.message == rasas.value.message
    assert list(ours.value.path) == list(rasas.value.path)


def test_both_kinds_of_answer_are_in_the_examples() -> None:
    verdicts = {rasa_accepts(answer) for answer in ANSWERS}
    assert verdicts == {True, False}


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[RemoteAction]:
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    install_cached_action_result_check()
    yield RemoteAction("action_test", None)


def test_a_bad_answer_still_raises_with_rasas_hint(installed: RemoteAction) -> None:
    with pytest.raises(ValidationError) as refused:
        installed._validate_action_result({"events": "not a list"})
    assert "Failed to validate Action server response" in refused.value.message


def test_the_schema_itself_is_checked_once_not_per_answer(
    installed: RemoteAction, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa's own check re-validates its fixed schema on every answer: the cost
    # `make bench` measured. The cached check only validates the answers.
    from jsonschema.validators import validator_for

    schema_checks: list[object] = []
    validator_class = validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(
        validator_class,
        "check_schema",
        classmethod(lambda cls, schema, **kw: schema_checks.append(schema)),
    )
    for _ in range(5):
        installed._validate_action_result(ANSWERS[1])
    assert schema_checks == []


def test_the_rasa_server_installs_the_cached_check(
    rasa_extensions_undone: None,
) -> None:
    from bot import server

    server.install_rasa_extensions()
    assert getattr(RemoteAction._validate_action_result, "_tend_cached", False)
