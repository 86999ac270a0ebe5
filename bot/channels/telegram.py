"""Tend's Telegram channel: a webhook at `/webhooks/telegram/webhook`, or long polling.

Named in credentials.yml as `bot.channels.telegram.TelegramInput`; every setting comes
from `bot.config.settings()` (TELEGRAM_* keys), none from credentials.yml. Without
TELEGRAM_TOKEN the channel is off: the webhook answers 404 and nothing else runs.

Each update is checked (secret token, JSON, duplicate `update_id`) while Telegram waits,
then answered in a background task so Telegram gets its 200 at once even when Tend is
slow or failing. Private text goes to Rasa with the chat id as sender id; `/sos`,
non-text messages and group chats are answered by the channel itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.message_guard import FAILED_TURN_NOTE
from bot.channels.telegram_api import TelegramApiError, TelegramBotApi
from bot.channels.telegram_keyboard import CallbackPayloads, inline_keyboard
from bot.channels.telegram_polling import poll_updates
from bot.channels.telegram_updates import (
    SECRET_HEADER,
    ButtonPress,
    GroupMessage,
    IgnoredUpdate,
    MessageForTend,
    NonTextMessage,
    RecentKeys,
    SosRequest,
    WebhookRejected,
    read_update,
    read_webhook_body,
)
from bot.config import Settings, settings

logger = logging.getLogger(__name__)

CHANNEL_NAME = "telegram"
MESSAGE_LIMIT_UTF16 = 4096  # Telegram's longest message, counted in UTF-16 code units
# Telegram retries an update for up to a day when it got no 200; a few thousand ids
# cover far more than the retries of any one outage. Kept per process (per replica).
REMEMBERED_UPDATE_IDS = 4096
REMEMBERED_GROUP_CHATS = 4096
SECONDS_TO_FINISH_ON_STOP = 10.0

NOT_CONFIGURED_NOTE = "Telegram is off on this server: TELEGRAM_TOKEN is not set."
POLLING_NOTE = "Telegram runs in polling mode on this server (TELEGRAM_MODE=polling)."

NON_TEXT_REPLY = (
    "I can only read text, so I couldn't take that one in. "
    "Whenever you're ready, you can type what's on your mind."
)
EXPIRED_BUTTON_REPLY = "That button has expired. You can type your answer instead."
EMPTY_TEXT_WITH_BUTTONS = "Choose one:"


def sos_reply(config: Settings) -> str:
    """The help contacts, from settings; sent for `/sos` without asking Tend."""
    lines = [
        "If you are in danger or might hurt yourself, please contact "
        f"{config.crisis_contact} now.",
        f"For support over time, please reach out to {config.therapist_contact}.",
    ]
    if config.child_contact:
        lines.append(
            "If you are a child or young person, you can also contact "
            f"{config.child_contact}."
        )
    lines.append(
        f"{config.bot_name} is a self-compassion companion, not a crisis service "
        "or a therapist. I'm glad you reached out."
    )
    return "\n\n".join(lines)


def group_reply(config: Settings) -> str:
    """The one note a group gets: Tend talks one to one, here is where."""
    where = (
        f"You can talk with me privately here: https://t.me/{config.telegram_bot_username}"
        if config.telegram_bot_username
        else "You can talk with me by opening a private chat with me."
    )
    return (
        f"Hello, I'm {config.bot_name}. I only talk one to one, so that what you "
        "share stays private, and I don't read or keep messages from groups. "
        f"{where}\n\nIf you need help right now, send /sos."
    )


def split_for_telegram(text: str, limit: int = MESSAGE_LIMIT_UTF16) -> list[str]:
    """Splits text into messages Telegram accepts, preferring line and word breaks."""
    parts: list[str] = []
    rest = text.strip()
    while rest:
        cut = _chars_within(rest, limit)
        if cut < len(rest):
            # Break at the last line end or space, unless it would leave a tiny part.
            space = max(rest.rfind("\n", 0, cut + 1), rest.rfind(" ", 0, cut + 1))
            if space > cut // 2:
                cut = space
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    return parts


def _chars_within(text: str, limit: int) -> int:
    """How many leading characters of `text` fit in `limit` UTF-16 code units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


class TelegramOutput(OutputChannel):
    """Sends Tend's replies to a chat: plain text (no parse_mode), buttons inline."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def __init__(self, api: TelegramBotApi, payloads: CallbackPayloads) -> None:
        self._api = api
        self._payloads = payloads

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        keyboard = inline_keyboard(buttons, self._payloads)
        await self._send(recipient_id, text or EMPTY_TEXT_WITH_BUTTONS, keyboard)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Sends a file payload (`filename`, `content`, optional `mime_type`) as a file.

        That is how the "my data" export arrives. Other custom payloads are meant for
        other channels: a person should never see raw JSON, so they are skipped.
        """
        filename, content = json_message.get("filename"), json_message.get("content")
        if not isinstance(filename, str) or not isinstance(content, str):
            logger.debug("Skipped a custom payload Telegram cannot show.")
            return
        try:
            await self._api.send_document(
                recipient_id,
                filename,
                content.encode(),
                str(json_message.get("mime_type") or "application/octet-stream"),
            )
        except TelegramApiError as error:
            logger.warning("Could not send a file to a Telegram chat: %s", error)

    async def _send(
        self, chat_id: str, text: str, keyboard: dict[str, Any] | None = None
    ) -> None:
        parts = split_for_telegram(text)
        for number, part in enumerate(parts, start=1):
            try:
                await self._api.send_message(
                    chat_id, part, keyboard if number == len(parts) else None
                )
            except TelegramApiError as error:
                # Raising here would stop Rasa from saving the turn; the person can
                # ask again, so log and carry on.
                logger.warning("Could not send a reply to a Telegram chat: %s", error)
                return


class TelegramUpdates:
    """Acts on each update once, in a background task, one update per chat at a time."""

    def __init__(
        self,
        config: Settings,
        api: TelegramBotApi,
        output: TelegramOutput,
        payloads: CallbackPayloads,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        self._config = config
        self._api = api
        self._output = output
        self._payloads = payloads
        self._on_new_message = on_new_message
        self._seen_update_ids = RecentKeys(REMEMBERED_UPDATE_IDS)
        self._declined_groups = RecentKeys(REMEMBERED_GROUP_CHATS)
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._chat_waiting: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def accept(self, update: dict[str, Any]) -> bool:
        """Starts handling `update`; False (and nothing done) for an id seen before."""
        if not self._seen_update_ids.add(update.get("update_id")):
            logger.debug(
                "Ignored Telegram update %s: seen before.", update["update_id"]
            )
            return False
        task = asyncio.create_task(self.handle(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def finish(self, timeout: float = SECONDS_TO_FINISH_ON_STOP) -> None:
        """Waits for updates still being handled, then cancels what is left."""
        if not self._tasks:
            return
        _, unfinished = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in unfinished:
            task.cancel()

    async def handle(self, update: dict[str, Any]) -> None:
        """Handles one update; errors are logged and answered kindly, never raised."""
        event = read_update(update, self._config.telegram_bot_username)
        update_id = update.get("update_id")
        logger.debug("Telegram update %s: %s", update_id, type(event).__name__)
        try:
            if isinstance(event, MessageForTend):
                async with self._turn_of(event.chat_id):
                    await self._pass_to_tend(event.chat_id, event.text)
            elif isinstance(event, ButtonPress):
                await self._press(event)
            elif isinstance(event, SosRequest):
                await self._reply(event.chat_id, sos_reply(self._config))
            elif isinstance(event, NonTextMessage):
                await self._reply(event.chat_id, NON_TEXT_REPLY)
            elif isinstance(event, GroupMessage):
                await self._decline_group(event)
            elif isinstance(event, IgnoredUpdate):
                logger.debug("Ignored Telegram update %s: %s", update_id, event.reason)
        except Exception as error:
            # The type only: an error's text may quote what the person wrote.
            logger.error(
                "Could not handle Telegram update %s: %s",
                update_id,
                type(error).__name__,
            )
            logger.debug("Traceback for Telegram update %s", update_id, exc_info=True)

    @contextlib.asynccontextmanager
    async def _turn_of(self, chat_id: str) -> AsyncIterator[None]:
        # Tasks start in arrival order and asyncio.Lock wakes waiters first come, first
        # served, so a chat's messages reach Tend in the order they were sent.
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        self._chat_waiting[chat_id] = self._chat_waiting.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._chat_waiting[chat_id] -= 1
            if not self._chat_waiting[chat_id]:
                del self._chat_waiting[chat_id]
                del self._chat_locks[chat_id]

    async def _pass_to_tend(self, chat_id: str, text: str) -> None:
        message = UserMessage(text, self._output, chat_id, input_channel=CHANNEL_NAME)
        try:
            await self._on_new_message(message)
        except Exception as error:
            logger.error(
                "Tend could not answer a Telegram message: %s", type(error).__name__
            )
            logger.debug("Traceback for the failed Telegram message", exc_info=True)
            # Rasa's own failures are answered by the message guard; this covers the
            # rest (no model loaded yet, say) with the same note.
            note = FAILED_TURN_NOTE.format(crisis_contact=self._config.crisis_contact)
            await self._reply(chat_id, note)

    async def _press(self, press: ButtonPress) -> None:
        payload = self._payloads.decode(press.callback_data)
        if payload is None or not press.in_private_chat:
            await self._answer_press(press, None if payload else EXPIRED_BUTTON_REPLY)
            return
        # The turn is taken before any network call, so a press keeps its place
        # among the chat's messages.
        async with self._turn_of(press.chat_id):
            await self._answer_press(press)
            await self._pass_to_tend(press.chat_id, payload)

    async def _answer_press(self, press: ButtonPress, note: str | None = None) -> None:
        # Every press is answered: the button shows a spinner until Telegram hears back.
        try:
            await self._api.answer_callback_query(press.callback_query_id, note)
        except TelegramApiError as error:
            logger.warning("Could not answer a Telegram button press: %s", error)

    async def _decline_group(self, group: GroupMessage) -> None:
        if group.wants_sos:
            await self._reply(group.chat_id, sos_reply(self._config))
        elif self._declined_groups.add(group.chat_id):
            await self._reply(group.chat_id, group_reply(self._config))

    async def _reply(self, chat_id: str, text: str) -> None:
        await self._output.send_text_message(chat_id, text)


class TelegramInput(InputChannel):
    """Receives Telegram updates by webhook or long polling and hands them to Tend."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if credentials:
            logger.warning(
                "The telegram entry in credentials.yml is ignored: Tend reads "
                "TELEGRAM_TOKEN and the other TELEGRAM_* settings from .env."
            )
        return cls(settings())

    def __init__(self, config: Settings) -> None:
        self._config = config
        self._payloads = CallbackPayloads()
        self._api = (
            TelegramBotApi(config.telegram_token, config.telegram_api_url)
            if config.telegram_enabled
            else None
        )

    def get_output_channel(self) -> TelegramOutput | None:
        if self._api is None:
            return None
        return TelegramOutput(self._api, self._payloads)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        telegram = Blueprint("tend_telegram", __name__)
        api = self._api
        updates = (
            TelegramUpdates(
                self._config,
                api,
                TelegramOutput(api, self._payloads),
                self._payloads,
                on_new_message,
            )
            if api is not None
            else None
        )
        polling = updates is not None and self._config.telegram_mode == "polling"

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {
                    "status": "ok" if updates else "off",
                    "mode": self._config.telegram_mode,
                }
            )

        @telegram.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if updates is None:
                return response.text(NOT_CONFIGURED_NOTE, status=404)
            if polling:
                return response.text(POLLING_NOTE, status=404)
            try:
                update = read_webhook_body(
                    self._config.telegram_secret_token,
                    request.headers.get(SECRET_HEADER),
                    request.body,
                )
            except WebhookRejected as rejected:
                logger.warning("Refused a Telegram webhook call: %s", rejected.note)
                return response.text(rejected.note, status=rejected.status)
            if not updates.accept(update):
                return response.text("Duplicate update ignored.")
            return response.text("OK")

        if api is None or updates is None:
            logger.debug("Telegram is off: TELEGRAM_TOKEN is not set.")
            return telegram
        poller: list[asyncio.Task[None]] = []

        if polling:

            @telegram.listener("after_server_start")
            async def start_polling(app: Any, loop: Any) -> None:
                poller.append(asyncio.create_task(poll_updates(api, updates.accept)))

        else:
            logger.info(
                "Telegram webhook ready at /webhooks/telegram/webhook; register it "
                "with `make telegram-webhook`."
            )

        @telegram.listener("before_server_stop")
        async def stop_telegram(app: Any, loop: Any) -> None:
            for task in poller:
                task.cancel()
            await asyncio.gather(*poller, return_exceptions=True)
            await updates.finish()
            await api.close()

        return telegram
