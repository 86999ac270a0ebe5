"""Rasa's socket.io channel, with the session room joined and bad input ignored.

Rasa 3.6.21 calls python-socketio's `enter_room` (a coroutine in python-socketio 5)
without awaiting it, so with `session_persistence` the browser never joins its
session's room and every reply is lost (RasaHQ/rasa#13027). This subclass awaits it.
It also drops `user_uttered` events whose data is not `{message: str, ...}` instead
of raising inside the socket server.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
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


class SessionSocketIOInput(SocketIOInput):
    """The web widget's channel (`/webhooks/socketio`), named `socketio` like Rasa's."""

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        rasa_handle_message = sio.handlers[self.namespace or "/"][self.user_message_evt]

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
            if not _is_metadata(data.get(self.metadata_key, {})):
                data = {**data, self.metadata_key: {}}
            await rasa_handle_message(sid, data)

        return blueprint
