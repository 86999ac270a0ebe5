"""The web widget's socket.io channel: messages reach Tend with their session, and
custom payloads (the "my data" export) reach the browser whole."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels.socketio import SessionSocketIOInput, SessionSocketIOOutput

EXPORT = {
    "type": "data_export",
    "filename": "tend-my-data.json",
    "mime_type": "application/json",
    "content": '{"letters": []}',
}


class RecordingServer:
    """Stands in for python-socketio's AsyncServer: records what is emitted."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, dict[str, Any]]] = []

    async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, kwargs))


async def test_a_custom_payload_reaches_the_session_room_whole() -> None:
    server = RecordingServer()
    output = SessionSocketIOOutput(server, "bot_uttered")  # type: ignore[arg-type]
    await output.send_custom_json("session-1", dict(EXPORT))
    assert server.emitted == [
        ("bot_uttered", {"custom": EXPORT}, {"room": "session-1"})
    ]


@pytest.fixture
def received() -> list[UserMessage]:
    return []


@pytest.fixture
def user_uttered(received: list[UserMessage]) -> Any:
    """The channel's `user_uttered` handler, passing messages to `received`."""
    channel = SessionSocketIOInput(session_persistence=True)

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    channel.blueprint(on_new_message)
    return channel.sio.handlers["/"]["user_uttered"]


async def test_a_message_reaches_tend_under_its_session_with_the_fixed_output(
    user_uttered: Any, received: list[UserMessage]
) -> None:
    await user_uttered(
        "socket-1",
        {"message": "hello", "session_id": "session-1", "metadata": '{"a": 1}'},
    )
    [message] = received
    assert (message.text, message.sender_id) == ("hello", "session-1")
    assert message.input_channel == "socketio"
    assert message.metadata == {"a": 1}
    assert isinstance(message.output_channel, SessionSocketIOOutput)


@pytest.mark.parametrize(
    "data",
    [
        {"message": "hello"},  # no session: no room to answer in
        {"message": "hello", "session_id": ""},
        {"message": ["not", "text"], "session_id": "session-1"},
        "hello",
    ],
)
async def test_messages_that_cannot_be_answered_are_ignored(
    user_uttered: Any, received: list[UserMessage], data: Any
) -> None:
    await user_uttered("socket-1", data)
    assert received == []


async def test_bad_metadata_is_dropped_not_raised(
    user_uttered: Any, received: list[UserMessage]
) -> None:
    await user_uttered(
        "socket-1", {"message": "hi", "session_id": "s", "metadata": "{not json"}
    )
    assert received[0].metadata == {}
