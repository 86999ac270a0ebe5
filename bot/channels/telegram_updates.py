"""Reads what Telegram sends: checks a webhook call, turns each update into one event.

Nothing here talks to the network or to Rasa, so every rule about which updates reach
Tend (commands, non-text messages, group chats, button presses, duplicates) can be
tested on plain dictionaries.
"""

from __future__ import annotations

import hmac
import json
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

# The message Tend receives for each command a person can type. `/sos` is missing on
# purpose: the channel answers it itself, so it works even when the bot cannot.
COMMAND_MESSAGES = {"start": "/greet", "help": "/help", "stop": "/stop"}
SOS_COMMAND = "sos"

# Message parts that mean "a person sent something that is not text". Service messages
# (pins, joins, settings) carry none of these and are ignored instead of answered.
NON_TEXT_CONTENT = frozenset(
    {
        "animation",
        "audio",
        "contact",
        "dice",
        "document",
        "game",
        "location",
        "paid_media",
        "photo",
        "poll",
        "sticker",
        "story",
        "venue",
        "video",
        "video_note",
        "voice",
    }
)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookRejected(ValueError):
    """A webhook call Tend will not read; carries the HTTP status and a plain note."""

    def __init__(self, status: int, note: str) -> None:
        super().__init__(note)
        self.status = status
        self.note = note


def read_webhook_body(
    expected_secret: str, given_secret: str | None, body: bytes
) -> dict[str, Any]:
    """The update in a webhook call; raises `WebhookRejected` (403 or 400) otherwise."""
    # compare_digest takes the same time wherever the strings differ, so the secret
    # cannot be guessed one character at a time. An empty secret never matches.
    if not expected_secret or not hmac.compare_digest(
        (given_secret or "").encode(), expected_secret.encode()
    ):
        raise WebhookRejected(403, "Forbidden: wrong or missing secret token.")
    try:
        update = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRejected(400, "Bad request: the body is not JSON.") from None
    if not isinstance(update, dict) or not _is_whole_number(update.get("update_id")):
        raise WebhookRejected(400, "Bad request: not a Telegram update.")
    return update


def _is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class RecentKeys:
    """Remembers the last `capacity` keys seen, forgetting the oldest first."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    def add(self, key: Hashable) -> bool:
        """Remembers `key`; True when it was new, False when it was already known."""
        if key in self._keys:
            return False
        self._keys[key] = None
        if len(self._keys) > self._capacity:
            self._keys.popitem(last=False)
        return True

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)


@dataclass(frozen=True)
class MessageForTend:
    """Text from a private chat that Tend should answer."""

    chat_id: str
    text: str


@dataclass(frozen=True)
class SosRequest:
    """`/sos`: the channel answers with the help contacts, without asking Tend."""

    chat_id: str


@dataclass(frozen=True)
class NonTextMessage:
    """A voice note, photo, sticker... in a private chat: Tend only reads text."""

    chat_id: str


@dataclass(frozen=True)
class GroupMessage:
    """Anything from a group, supergroup or channel: declined, never passed to Tend."""

    chat_id: str
    wants_sos: bool


@dataclass(frozen=True)
class ButtonPress:
    """A press on one of Tend's inline buttons; `callback_data` is still encoded."""

    callback_query_id: str
    chat_id: str
    callback_data: str
    in_private_chat: bool


@dataclass(frozen=True)
class IgnoredUpdate:
    """An update Tend does not act on; `reason` is for debug logs."""

    reason: str


TelegramEvent = (
    MessageForTend
    | SosRequest
    | NonTextMessage
    | GroupMessage
    | ButtonPress
    | IgnoredUpdate
)


def read_update(update: dict[str, Any], bot_username: str = "") -> TelegramEvent:
    """Decides what one update means for Tend; never raises, whatever its shape."""
    message = update.get("message") or update.get("channel_post")
    if isinstance(message, dict):
        return _read_message(message, bot_username)
    callback_query = update.get("callback_query")
    if isinstance(callback_query, dict):
        return _read_callback_query(callback_query)
    kinds = sorted(key for key in update if key != "update_id")
    return IgnoredUpdate(f"update kind not handled: {', '.join(kinds) or 'none'}")


def _chat_of(message: dict[str, Any]) -> tuple[str, str] | None:
    """The chat id (as Rasa's sender id) and chat type, when the message has them."""
    chat = message.get("chat")
    if not isinstance(chat, dict):
        return None
    chat_id = chat.get("id")
    if not _is_whole_number(chat_id):
        return None
    return str(chat_id), str(chat.get("type", ""))


def _read_message(message: dict[str, Any], bot_username: str) -> TelegramEvent:
    chat = _chat_of(message)
    if chat is None:
        return IgnoredUpdate("message without a chat")
    chat_id, chat_type = chat
    text = message.get("text")
    command = _command(text, bot_username) if isinstance(text, str) else None
    if command == "":
        return IgnoredUpdate("command addressed to another bot")

    if chat_type != "private":
        return GroupMessage(chat_id, wants_sos=command == SOS_COMMAND)
    if isinstance(text, str) and text.strip():
        if command == SOS_COMMAND:
            return SosRequest(chat_id)
        if command in COMMAND_MESSAGES:
            return MessageForTend(chat_id, COMMAND_MESSAGES[command])
        return MessageForTend(chat_id, text)
    if NON_TEXT_CONTENT.intersection(message):
        return NonTextMessage(chat_id)
    return IgnoredUpdate("service message")


def _command(text: str, bot_username: str) -> str | None:
    """`/start@TendBot hi` -> "start"; "" for another bot's command; None for text."""
    if not text.startswith("/"):
        return None
    name, _, addressee = text.split(maxsplit=1)[0][1:].partition("@")
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return ""
    return name.lower() or None


def _read_callback_query(callback_query: dict[str, Any]) -> TelegramEvent:
    query_id = callback_query.get("id")
    data = callback_query.get("data")
    if not isinstance(query_id, str) or not isinstance(data, str):
        return IgnoredUpdate("callback query without id or data")
    message = callback_query.get("message")
    chat = _chat_of(message) if isinstance(message, dict) else None
    if chat is None:
        # Too old for Telegram to include the message: a private chat's id is the
        # person's own id, so reply there.
        sender = callback_query.get("from")
        sender_id = sender.get("id") if isinstance(sender, dict) else None
        if not _is_whole_number(sender_id):
            return IgnoredUpdate("callback query without a chat")
        chat = (str(sender_id), "private")
    chat_id, chat_type = chat
    return ButtonPress(query_id, chat_id, data, in_private_chat=chat_type == "private")
