"""A fake Telegram Bot API on 127.0.0.1 for tests: records calls, serves queued updates.

It answers `POST /bot<token>/<method>` as Telegram does (`{"ok": true, "result": ...}`)
for the methods Tend uses, records every call with its parameters (JSON, form or
multipart), and serves updates queued with `queue_update` from `getUpdates`, holding
the request open until one arrives or the poll's timeout ends. It runs on its own
event loop in a thread, so tests and the servers under test can both reach it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

DEFAULT_TOKEN = "123456:fake-token-for-tests"
SECRET = "integration-secret_token"
BOT_USERNAME = "TendTestBot"
# A test may ask for a 25 s long poll; the fake answers sooner so servers stop quickly.
LONGEST_POLL_SECONDS = 5.0


def telegram_env(fake: FakeTelegram, mode: str) -> dict[str, str]:
    """The settings that point a Tend stack at `fake` ("webhook" or "polling")."""
    return {
        "TELEGRAM_TOKEN": fake.token,
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_API_URL": fake.url,
        "TELEGRAM_MODE": mode,
        "TELEGRAM_BOT_USERNAME": fake.username,
    }


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API call as the fake received it."""

    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


class FakeTelegram:
    """A Bot API stand-in; use as a context manager or call `start()` and `stop()`."""

    def __init__(
        self, token: str = DEFAULT_TOKEN, username: str = BOT_USERNAME
    ) -> None:
        self.token = token
        self.username = username
        self.url = ""
        self._calls: list[RecordedCall] = []
        self._updates: list[dict[str, Any]] = []
        self._refusals: dict[str, list[dict[str, Any]]] = {}
        self._changed = threading.Condition()
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(1000)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._updates_arrived: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> FakeTelegram:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name="fake-telegram", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout=10) or not self.url:
            raise RuntimeError("The fake Telegram server did not start within 10 s.")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(
            timeout=10
        )
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop = None

    # What tests use

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def queue_update(self, update: dict[str, Any]) -> None:
        """Makes `update` available to `getUpdates` (long polls return at once)."""
        with self._changed:
            self._updates.append(update)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake_pollers)

    def refuse_next(
        self, method: str, error_code: int, retry_after: int | None = None
    ) -> None:
        """Makes the next call of `method` fail as Telegram would (still recorded)."""
        refusal: dict[str, Any] = {"error_code": error_code}
        if retry_after is not None:
            refusal["retry_after"] = retry_after
        with self._changed:
            self._refusals.setdefault(method, []).append(refusal)

    def calls(
        self, method: str | None = None, chat_id: str | None = None
    ) -> list[RecordedCall]:
        with self._changed:
            return [
                call
                for call in self._calls
                if (method is None or call.method == method)
                and (chat_id is None or call.chat_id == chat_id)
            ]

    def wait_for(
        self,
        condition: Callable[[list[RecordedCall]], bool],
        timeout: float = 60.0,
        what: str = "the expected Bot API calls",
    ) -> list[RecordedCall]:
        """Waits until `condition(all calls so far)` holds; fails after `timeout` s."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: condition(list(self._calls)), timeout
            ):
                seen = [(c.method, c.chat_id, c.text[:60]) for c in self._calls]
                raise AssertionError(
                    f"Timed out after {timeout:g} s waiting for {what}; saw {seen}"
                )
            return list(self._calls)

    def wait_for_calls(
        self,
        method: str,
        chat_id: str | None = None,
        count: int = 1,
        timeout: float = 60.0,
    ) -> list[RecordedCall]:
        """Waits for `count` or more calls of `method` (to `chat_id`); returns them."""
        self.wait_for(
            lambda calls: len(
                [
                    c
                    for c in calls
                    if c.method == method and (chat_id is None or c.chat_id == chat_id)
                ]
            )
            >= count,
            timeout,
            f"{count} {method} call(s)" + (f" to chat {chat_id}" if chat_id else ""),
        )
        return self.calls(method, chat_id)

    # The server

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        self._updates_arrived = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        ready.set()
        loop.run_forever()
        # Long polls still open when the fake stops: end them before closing the loop.
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _wake_pollers(self) -> None:
        if self._updates_arrived is not None:
            self._updates_arrived.set()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _refusal(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params_of(request)
        with self._changed:
            # Polls are not recorded as calls: there are many and they say nothing.
            if method != "getUpdates":
                self._calls.append(RecordedCall(method, params))
                self._changed.notify_all()
            refusals = self._refusals.get(method)
            refusal = refusals.pop(0) if refusals else None
        if refusal is not None:
            return _refusal(
                refusal["error_code"], "Refused by the test", refusal.get("retry_after")
            )
        if method == "getUpdates":
            return _ok(await self._updates_from(params))
        answers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": lambda _: {"id": 1, "is_bot": True, "username": self.username},
            "sendMessage": self._sent_message,
            "sendDocument": self._sent_message,
            "answerCallbackQuery": lambda _: True,
            "setWebhook": lambda _: True,
            "deleteWebhook": lambda _: True,
            "editMessageReplyMarkup": lambda _: True,
        }
        if method not in answers:
            return _refusal(404, "Not Found")
        if method in {"sendMessage", "sendDocument"} and "chat_id" not in params:
            return _refusal(400, "Bad Request: chat_id is empty")
        return _ok(answers[method](params))

    def _sent_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": params.get("chat_id"), "type": "private"},
            "text": params.get("text", ""),
        }

    async def _updates_from(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(
            float(params.get("timeout") or 0), LONGEST_POLL_SECONDS
        )
        assert self._updates_arrived is not None
        while True:
            # Cleared before looking, so an update queued after the look still wakes us.
            self._updates_arrived.clear()
            with self._changed:
                # Like Telegram: asking from `offset` confirms every update before it.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                waiting = list(self._updates)
            remaining = deadline - time.monotonic()
            if waiting or remaining <= 0:
                return waiting
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._updates_arrived.wait(), remaining)


async def _params_of(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.text()
        if body:
            params.update(json.loads(body))
    elif request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            content = await part.read()  # type: ignore[union-attr]
            if part.filename:  # type: ignore[union-attr]
                params[part.name] = {"filename": part.filename, "content": content}  # type: ignore[union-attr]
            else:
                params[part.name] = content.decode()  # type: ignore[union-attr]
    elif request.can_read_body:
        params.update(await request.post())
    return params


def message_update(
    update_id: int, chat_id: int, chat_type: str = "private", **content: Any
) -> dict[str, Any]:
    """An update as Telegram sends it for a message (`text=...`, `voice=...`)."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "from": {"id": abs(chat_id), "is_bot": False, "first_name": "Sam"},
            "chat": {"id": chat_id, "type": chat_type},
            **content,
        },
    }


def press_update(
    update_id: int, chat_id: int, data: str, chat_type: str = "private"
) -> dict[str, Any]:
    """An update as Telegram sends it when someone presses an inline button."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"press-{update_id}",
            "from": {"id": abs(chat_id), "is_bot": False, "first_name": "Sam"},
            "chat_instance": "1",
            "message": {"message_id": 1, "chat": {"id": chat_id, "type": chat_type}},
            "data": data,
        },
    }


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _refusal(
    status: int, description: str, retry_after: int | None = None
) -> web.Response:
    answer: dict[str, Any] = {
        "ok": False,
        "error_code": status,
        "description": description,
    }
    if retry_after is not None:
        answer["parameters"] = {"retry_after": retry_after}
    return web.json_response(answer, status=status)
