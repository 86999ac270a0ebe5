"""The guard in front of Rasa's message handling, on a stand-in agent (no model)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput

from bot.channels.message_guard import (
    REQUEST_MAX_BYTES,
    install_message_guard,
    rest_body_problem,
    too_long_note,
)
from bot.config import Settings, read_settings

CRISIS_CONTACT = "the Guard Test Line on 0800 123 456"


@pytest.fixture
def config(tmp_path: Any) -> Settings:
    return read_settings(
        {"CRISIS_CONTACT": CRISIS_CONTACT, "MAX_MESSAGE_CHARS": "50"},
        env_file=tmp_path / "no.env",
    )


class StandInProcessor:
    """Answers like Rasa's processor, or fails like one whose database is down."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.fail_with = fail_with
        self.seen: list[str] = []

    async def handle_message(self, message: UserMessage) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "heard")


@pytest.fixture
def guarded(monkeypatch: pytest.MonkeyPatch, config: Settings) -> Iterator[None]:
    """The guard installed for one test; Rasa's classes are restored afterwards."""
    monkeypatch.setattr(Agent, "handle_message", Agent.handle_message)
    monkeypatch.setattr(RestInput, "_extract_sender", RestInput._extract_sender)
    monkeypatch.delenv("SANIC_REQUEST_MAX_SIZE", raising=False)
    install_message_guard(config)
    yield


def agent_with(processor: StandInProcessor) -> Agent:
    agent = Agent()
    agent.processor = processor  # type: ignore[assignment]
    agent.tracker_store = object()  # type: ignore[assignment]
    return agent


async def say(agent: Agent, text: str) -> list[str]:
    output = CollectingOutputChannel()
    await agent.handle_message(UserMessage(text, output, "someone"))
    return [m["text"] for m in output.messages]


def test_a_message_within_the_limit_is_read(config: Settings) -> None:
    assert too_long_note("x" * 50, config) is None


def test_a_message_over_the_limit_gets_a_note_naming_the_limit_and_crisis_line(
    config: Settings,
) -> None:
    note = too_long_note("x" * 51, config)
    assert note is not None
    assert "50 characters" in note
    assert CRISIS_CONTACT in note


@pytest.mark.parametrize(
    "body",
    [
        None,
        [1, 2],
        "hello",
        {"sender": "a"},
        {"sender": "a", "message": 5},
        {"sender": "a", "message": ["hi"]},
        {"message": "hi"},
        {"sender": {"id": 1}, "message": "hi"},
        {"sender": " ", "message": "hi"},
        {"sender": "a", "message": "hi", "metadata": "x"},
        {"sender": "a", "message": "hi", "input_channel": 3},
    ],
)
def test_a_rest_body_rasa_cannot_use_is_refused_in_plain_words(body: object) -> None:
    problem = rest_body_problem(body)
    assert problem is not None
    assert "Traceback" not in problem


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "a", "message": "hi"},
        {"sender": 42, "message": ""},
        {"sender": "a", "message": "hi", "metadata": {"k": 1}},
    ],
)
def test_a_well_formed_rest_body_passes(body: object) -> None:
    assert rest_body_problem(body) is None


@pytest.mark.usefixtures("guarded")
async def test_a_too_long_message_is_answered_kindly_and_never_read() -> None:
    processor = StandInProcessor()
    replies = await say(agent_with(processor), "y" * 51)
    assert processor.seen == []
    assert len(replies) == 1
    assert CRISIS_CONTACT in replies[0]


@pytest.mark.usefixtures("guarded")
async def test_an_ordinary_message_reaches_rasa_unchanged() -> None:
    processor = StandInProcessor()
    assert await say(agent_with(processor), "hello there") == ["heard"]
    assert processor.seen == ["hello there"]


@pytest.mark.usefixtures("guarded")
async def test_a_failed_turn_gets_a_kind_note_and_logs_no_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failing = StandInProcessor(fail_with=RuntimeError("i feel so alone today"))
    replies = await say(agent_with(failing), "i feel so alone today")
    assert len(replies) == 1
    assert CRISIS_CONTACT in replies[0]
    assert "RuntimeError" in caplog.text
    assert "alone" not in caplog.text


@pytest.mark.usefixtures("guarded")
def test_the_request_body_limit_is_set_for_sanic() -> None:
    import os

    assert os.environ["SANIC_REQUEST_MAX_SIZE"] == str(REQUEST_MAX_BYTES)


@pytest.mark.usefixtures("guarded")
async def test_rest_channel_refuses_a_body_of_the_wrong_shape_with_a_400() -> None:
    from sanic.exceptions import InvalidUsage

    request = SimpleNamespace(json=[1, 2, 3])
    with pytest.raises(InvalidUsage) as refused:
        await RestInput()._extract_sender(request)  # type: ignore[arg-type]
    assert refused.value.status_code == 400
