"""Long polling: fetches updates from Telegram instead of waiting for its webhook calls.

For trying Tend from a laptop without a public HTTPS address. It removes any webhook
first (Telegram refuses `getUpdates` while one is set), then asks for updates in a loop,
waiting longer after each failure, and hands every update to the same code the webhook
uses. It must run in one process only: two pollers on one token make Telegram answer
409 Conflict to both.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.telegram_api import TelegramApiError, TelegramBotApi

logger = logging.getLogger(__name__)

# Telegram holds each `getUpdates` open this long when there is nothing to deliver.
LONG_POLL_SECONDS = 25
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0


class Backoff:
    """The wait after each failure in a row: doubling from one second up to a minute."""

    def __init__(self) -> None:
        self._next = FIRST_BACKOFF_SECONDS

    def after_failure(self, asked: float | None = None) -> float:
        """The wait now; Telegram's own `retry_after` wins when it asks for longer."""
        wait = max(self._next, asked or 0.0)
        self._next = min(self._next * 2, MAX_BACKOFF_SECONDS)
        return min(wait, MAX_BACKOFF_SECONDS)

    def reset(self) -> None:
        self._next = FIRST_BACKOFF_SECONDS


async def poll_updates(
    api: TelegramBotApi,
    accept: Callable[[dict[str, Any]], object],
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    long_poll_seconds: int = LONG_POLL_SECONDS,
) -> None:
    """Runs until cancelled: removes the webhook, then hands each update to `accept`."""
    backoff = Backoff()
    while True:
        try:
            await api.delete_webhook()
            break
        except TelegramApiError as error:
            wait = backoff.after_failure(error.retry_after)
            logger.warning("%s; trying again in %.0f s.", error, wait)
            await sleep(wait)
    logger.info("Telegram long polling started.")

    backoff.reset()
    offset: int | None = None
    while True:
        try:
            updates = await api.get_updates(offset, long_poll_seconds)
        except TelegramApiError as error:
            wait = backoff.after_failure(error.retry_after)
            logger.warning("%s; trying again in %.0f s.", error, wait)
            await sleep(wait)
            continue
        backoff.reset()
        for update in updates:
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int):
                continue
            # Asking from the next id on tells Telegram this one arrived.
            offset = max(offset or 0, update_id + 1)
            accept(update)
