"""Rasa's socket.io channel, with the session room joined, custom payloads delivered
and bad input ignored.

Rasa 3.6.21 calls python-socketio's `enter_room` (a coroutine in python-socketio 5)
without awaiting it, so with `session_persistence` the browser never joins its
session's room and every reply is lost (RasaHQ/rasa#13027). This subclass awaits it.
Rasa's output also hands a custom payload's keys to `emit` as keyword arguments, so
any payload but `{"data": ...}` raises TypeError and never arrives; here a payload
goes out whole, as `{"custom": payload}` (the shape Rasa's REST channel uses). It
also drops `user_uttered` events whose data is not `{message: str, ...}` instead of
raising inside the socket server.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)


def _is_metadata(value: Any) -> bool:
    """Rasa accepts a dict or a JSON object string; anything else would raise."""
    if isinstance(value, dict):
        return True
    if isinstance(value, str):
        try:
            return isinstance(json.loads(value), dict)
        except ValueError:
            return False
    return False


class SessionSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, sending custom payloads whole: `{"custom": ...}`."""

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class SessionSocketIOInput(SocketIOInput):
    """The web widget's channel (`/webhooks/socketio`), named `socketio` like Rasa's."""

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id.strip():
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.debug("Ignored a socket.io message of the wrong shape.")
                return
            if self.session_persistence:
                # As Rasa does: without a session there is no room to answer in.
                sender_id = data.get("session_id")
                if not isinstance(sender_id, str) or not sender_id:
                    logger.debug("Ignored a socket.io message without a session id.")
                    return
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key, {})
            if not _is_metadata(metadata):
                metadata = {}
            elif isinstance(metadata, str):
                metadata = json.loads(metadata)
            await on_new_message(
                UserMessage(
                    data["message"],
                    SessionSocketIOOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        return blueprint

    def get_output_channel(self) -> SessionSocketIOOutput | None:
        # Used for messages Rasa sends on its own (e.g. reminders, external events).
        output = super().get_output_channel()
        return SessionSocketIOOutput(self.sio, self.bot_message_evt) if output else None
