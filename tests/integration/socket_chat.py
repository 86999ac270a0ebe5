"""A socket.io conversation as the web widget holds it, for integration tests."""

from __future__ import annotations

import asyncio
import functools
import uuid
from typing import Any

import socketio


class SocketChat:
    """One socket.io conversation as the widget holds it (polling transport)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session_id = f"socket-{uuid.uuid4().hex[:12]}"
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.client.on("bot_uttered", self.replies.put)

    async def __aenter__(self) -> SocketChat:
        confirmed = asyncio.Event()
        self.client.on("session_confirm", lambda _: confirmed.set())
        # The client's websocket transport needs a newer aiohttp than Rasa pins;
        # polling is the widget's first transport anyway.
        await self.client.connect(
            self.url, socketio_path="/socket.io", transports=["polling"]
        )
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(confirmed.wait(), 30)
        return self

    async def __aexit__(self, *exc: object) -> None:
        # The close packet still goes to the server; only the wait for the
        # long-poll request it holds open (up to its ping interval, 29 s a hang-up
        # here) is left out.
        eio = self.client.eio
        eio.disconnect = functools.partial(eio.disconnect, abort=True)
        await self.client.disconnect()

    async def say(self, data: object, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Emits `data` as a user message; returns the replies that follow."""
        await self.client.emit("user_uttered", data)
        return await self.collect(timeout)

    async def collect(self, timeout: float) -> list[dict[str, Any]]:
        replies = [await asyncio.wait_for(self.replies.get(), timeout)]
        # Rasa sends a turn's replies back to back; a short quiet gap ends the turn.
        while True:
            try:
                replies.append(await asyncio.wait_for(self.replies.get(), 2.0))
            except asyncio.TimeoutError:  # not the builtin TimeoutError before 3.11
                return replies
