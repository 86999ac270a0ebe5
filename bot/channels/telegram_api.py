"""A small client for the Telegram Bot API: the few methods Tend calls, with timeouts.

Every call is a POST to `<api_url>/bot<token>/<method>`. Telegram answers
`{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`;
the second (and any network failure) becomes a `TelegramApiError` whose message never
contains the token.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

# Plain calls come back in seconds; a stuck connection must not hold a reply forever.
CALL_TIMEOUT_SECONDS = 10.0
# Extra time on top of a long poll's own timeout before we give up on `getUpdates`.
LONG_POLL_MARGIN_SECONDS = 10.0
# A 429 asking us to wait longer than this is passed on instead of waited out.
MAX_RETRY_AFTER_SECONDS = 5.0

ALLOWED_UPDATES = ("message", "callback_query")


class TelegramApiError(RuntimeError):
    """Telegram refused a call or could not be reached."""

    def __init__(
        self, method: str, description: str, retry_after: float | None = None
    ) -> None:
        super().__init__(f"Telegram {method} failed: {description}")
        self.method = method
        self.description = description
        self.retry_after = retry_after


class TelegramBotApi:
    """Calls Bot API methods for one bot token; one aiohttp session per event loop."""

    def __init__(self, token: str, api_url: str) -> None:
        self._token = token
        self._base = f"{api_url.rstrip('/')}/bot{token}"
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None

    async def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        timeout: float = CALL_TIMEOUT_SECONDS,
        form: aiohttp.FormData | None = None,
    ) -> Any:
        """Calls `method` and returns its `result`; waits out one short 429."""
        try:
            return await self._call_once(method, params, timeout, form)
        except TelegramApiError as error:
            if error.retry_after is None or error.retry_after > MAX_RETRY_AFTER_SECONDS:
                raise
            await asyncio.sleep(error.retry_after)
            return await self._call_once(method, params, timeout, form)

    async def _call_once(
        self,
        method: str,
        params: dict[str, Any] | None,
        timeout: float,
        form: aiohttp.FormData | None,
    ) -> Any:
        session = self._session_for_this_loop()
        try:
            async with session.post(
                f"{self._base}/{method}",
                json=None if form is not None else (params or {}),
                data=form,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                body = await response.text()
        except asyncio.TimeoutError:
            raise TelegramApiError(method, f"no answer within {timeout:g} s") from None
        except aiohttp.ClientError as error:
            raise TelegramApiError(method, self._without_token(repr(error))) from None
        return self._result(method, body)

    def _result(self, method: str, body: str) -> Any:
        try:
            answer = json.loads(body)
        except ValueError:
            raise TelegramApiError(method, "the answer was not JSON") from None
        if not isinstance(answer, dict):
            raise TelegramApiError(method, "the answer was not a JSON object")
        if answer.get("ok") is True:
            return answer.get("result")
        parameters = answer.get("parameters")
        retry_after = (
            parameters.get("retry_after") if isinstance(parameters, dict) else None
        )
        raise TelegramApiError(
            method,
            f"{answer.get('error_code')} {answer.get('description')}",
            float(retry_after) if isinstance(retry_after, int | float) else None,
        )

    def _without_token(self, text: str) -> str:
        return text.replace(self._token, "<TELEGRAM_TOKEN>")

    def _session_for_this_loop(self) -> aiohttp.ClientSession:
        # A session is bound to the loop it was made in: the CLI, tests and Sanic each
        # run their own loop, so make a fresh one whenever the loop changed.
        loop = asyncio.get_running_loop()
        if (
            self._session is None
            or self._session.closed
            or self._session_loop is not loop
        ):
            self._session = aiohttp.ClientSession()
            self._session_loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def send_message(
        self, chat_id: str, text: str, reply_markup: dict[str, Any] | None = None
    ) -> Any:
        params: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if reply_markup is not None:
            params["reply_markup"] = reply_markup
        return await self.call("sendMessage", params)

    async def answer_callback_query(
        self, callback_query_id: str, text: str | None = None
    ) -> Any:
        params: dict[str, Any] = {"callback_query_id": callback_query_id}
        if text:
            params["text"] = text
        return await self.call("answerCallbackQuery", params)

    async def send_document(
        self, chat_id: str, filename: str, content: bytes, mime_type: str
    ) -> Any:
        form = aiohttp.FormData()
        form.add_field("chat_id", chat_id)
        form.add_field("document", content, filename=filename, content_type=mime_type)
        return await self.call("sendDocument", form=form)

    async def set_webhook(
        self, url: str, secret_token: str, drop_pending_updates: bool = False
    ) -> Any:
        return await self.call(
            "setWebhook",
            {
                "url": url,
                "secret_token": secret_token,
                "allowed_updates": list(ALLOWED_UPDATES),
                "drop_pending_updates": drop_pending_updates,
            },
        )

    async def delete_webhook(self, drop_pending_updates: bool = False) -> Any:
        return await self.call(
            "deleteWebhook", {"drop_pending_updates": drop_pending_updates}
        )

    async def get_updates(self, offset: int | None, timeout: int) -> list[Any]:
        params: dict[str, Any] = {
            "timeout": timeout,
            "allowed_updates": list(ALLOWED_UPDATES),
        }
        if offset is not None:
            params["offset"] = offset
        result = await self.call(
            "getUpdates", params, timeout=timeout + LONG_POLL_MARGIN_SECONDS
        )
        return result if isinstance(result, list) else []
