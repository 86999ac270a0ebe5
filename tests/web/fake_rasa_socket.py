"""A stand-in for Rasa's socket.io channel that answers from a script, for widget tests.

It keeps Rasa's rules with `session_persistence: true` (rasa/core/channels/socketio.py):
`session_request` puts the socket in the room of the given session id (or a new one)
and answers `session_confirm` with the id; `user_uttered` without a session id is
ignored; replies go to the session's room as `bot_uttered`. A message that is not in
the script gets no reply, so a test can watch the widget wait. It runs on its own
event loop in a thread, so the browser and the test can both reach it.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import socketio
from aiohttp import web


@dataclass(frozen=True)
class ReceivedMessage:
    """One `user_uttered` event as the fake received it."""

    session_id: str
    text: str


class FakeRasaSocket:
    """Rasa's socket.io channel, scripted; use as a context manager."""

    def __init__(self, script: Mapping[str, list[dict[str, Any]]]) -> None:
        self.script = dict(script)
        self.url = ""
        self._received: list[ReceivedMessage] = []
        self._session_requests: list[str | None] = []
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._sio: socketio.AsyncServer | None = None

    def __enter__(self) -> FakeRasaSocket:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name="fake-rasa-socket", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout=10) or not self.url:
            raise RuntimeError("The fake Rasa socket.io server did not start in 10 s.")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop = None

    # What tests use

    def messages_in(self, session_id: str) -> list[str]:
        """What the widget sent in one session, in order."""
        with self._changed:
            return [m.text for m in self._received if m.session_id == session_id]

    def session_requests(self) -> list[str | None]:
        """The session id each `session_request` asked for (None: a new one)."""
        with self._changed:
            return list(self._session_requests)

    def wait_until(
        self, condition: Callable[[], bool], what: str, timeout: float = 10.0
    ) -> None:
        """Waits until `condition()` holds after an event; fails after `timeout` s."""
        with self._changed:
            if not self._changed.wait_for(condition, timeout):
                raise AssertionError(
                    f"Timed out after {timeout:g} s waiting for {what}; the fake saw "
                    f"{self._received} and session requests {self._session_requests}"
                )

    # The server

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        self._sio = sio
        app = web.Application()
        sio.attach(app)
        self._handle_events(sio)
        self._runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        ready.set()
        loop.run_forever()
        loop.close()

    async def _shutdown(self) -> None:
        if self._sio is not None:
            await self._sio.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()
        # Each socket's ping task outlives the server; end them so none is destroyed
        # while pending when the loop closes.
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def _handle_events(self, sio: socketio.AsyncServer) -> None:
        @sio.on("session_request")
        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            asked = (data or {}).get("session_id")
            with self._changed:
                self._session_requests.append(asked)
                self._changed.notify_all()
            session_id = asked or uuid.uuid4().hex
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: dict[str, Any]) -> None:
            session_id = data.get("session_id")
            if not session_id:
                return  # as Rasa does with session persistence on
            text = str(data.get("message", ""))
            with self._changed:
                self._received.append(ReceivedMessage(session_id, text))
                self._changed.notify_all()
            for reply in self.script.get(text, []):
                await sio.emit("bot_uttered", reply, room=session_id)
