"""Guards the handling of every incoming message: too long, badly shaped, or failed.

Every channel (REST, socket.io, Telegram) hands a person's message to Rasa's
`Agent.handle_message`; `install_message_guard()` puts Tend in front of that door:

- A message longer than `MAX_MESSAGE_CHARS` is not read: Rasa understands messages
  on its one event loop, so reading 100 KB would hold up everyone else's replies. The
  person gets a friendly note asking for shorter messages, which also names the
  crisis contact, since the unread text could say anything. Nothing is stored.
- A turn that fails (the database is down, say) gets a kind note that names the
  crisis contact, and the failure is logged by its type only: Rasa's REST channel
  would log the person's words at ERROR and answer nothing.

And two limits at the HTTP level, where Rasa would answer 500 or log the body:

- request bodies over `REQUEST_MAX_BYTES` get Sanic's 413 (Sanic reads the limit
  from `SANIC_REQUEST_MAX_SIZE`, which is set here unless the operator set it);
- a REST webhook body that is not a JSON object with text in `"message"` gets a 400
  with a plain note.

Installed by `bot/server.py` before Rasa starts.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)

# Far above the longest message Tend reads (4000 characters are at most ~48 KB as
# escaped JSON) and below Sanic's default of 100 MB.
REQUEST_MAX_BYTES = 1024 * 1024

TOO_LONG_NOTE = (
    "That's a lot to take in at once, and I'd like to read it properly. Could you "
    "send it to me in a few shorter messages, up to {max_chars} characters each? "
    "If any of it is about being unsafe right now, please contact {crisis_contact} "
    "straight away."
)
FAILED_TURN_NOTE = (
    "I'm sorry, something on my side isn't working right now, so I may not have "
    "taken in what you just said. Please try again in a little while. If you need "
    "help now, please contact {crisis_contact}."
)


def too_long_note(text: object, config: Settings) -> str | None:
    """The note to send instead of reading `text`, or None when Tend can read it."""
    if isinstance(text, str) and len(text) > config.max_message_chars:
        return TOO_LONG_NOTE.format(
            max_chars=config.max_message_chars, crisis_contact=config.crisis_contact
        )
    return None


def rest_body_problem(body: object) -> str | None:
    """What is wrong with a REST webhook body, in plain words; None if nothing."""
    if not isinstance(body, dict):
        return 'Send a JSON object such as {"sender": "someone", "message": "hello"}.'
    if not isinstance(body.get("message"), str):
        return 'The "message" field must be text.'
    # Without a sender Rasa files every message under one "default" conversation.
    sender = body.get("sender")
    if not isinstance(sender, str | int) or str(sender).strip() == "":
        return 'The "sender" field must name the conversation.'
    if not isinstance(body.get("metadata") or {}, dict):
        return 'The "metadata" field must be a JSON object.'
    if not isinstance(body.get("input_channel") or "", str):
        return 'The "input_channel" field must be text.'
    return None


def install_message_guard(config: Settings) -> None:
    """Wraps Rasa's message handling and REST body reading; sets the body limit."""
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(REQUEST_MAX_BYTES))
    _guard_agent_handle_message(config)
    _guard_rest_body()


def _guard_agent_handle_message(config: Settings) -> None:
    # Rasa is imported here, not at the top: bot/server.py checks the settings
    # before paying for Rasa's imports.
    from rasa.core.agent import Agent

    original = Agent.handle_message
    if getattr(original, "_tend_guarded", False):
        return

    async def handle_message_guarded(
        self: Agent, message: UserMessage
    ) -> list[dict[str, Any]] | None:
        note = too_long_note(message.text, config)
        if note is not None:
            logger.info(
                "A message of %d characters was not read (MAX_MESSAGE_CHARS is %d).",
                len(message.text or ""),
                config.max_message_chars,
            )
            await message.output_channel.send_text_message(message.sender_id, note)
            return None
        try:
            return await original(self, message)
        except Exception as error:
            # The type only: exception texts can quote what the person wrote.
            logger.error(
                "A message could not be handled (%s); replied with a kind note.",
                type(error).__name__,
            )
            logger.debug("Traceback of the failed message", exc_info=True)
            await _send_failed_turn_note(message, config)
            return None

    handle_message_guarded._tend_guarded = True  # type: ignore[attr-defined]
    Agent.handle_message = handle_message_guarded  # type: ignore[method-assign]


async def _send_failed_turn_note(message: UserMessage, config: Settings) -> None:
    note = FAILED_TURN_NOTE.format(crisis_contact=config.crisis_contact)
    try:
        await message.output_channel.send_text_message(message.sender_id, note)
    except Exception as error:
        logger.error("Could not send the kind note either (%s).", type(error).__name__)


def _guard_rest_body() -> None:
    from rasa.core.channels.rest import RestInput
    from sanic.exceptions import InvalidUsage
    from sanic.request import Request

    original = RestInput._extract_sender
    if getattr(original, "_tend_guarded", False):
        return

    # Rasa reads the sender first, outside its own error handling: the place to
    # refuse a body it cannot use before it fails with a 500.
    async def extract_sender_of_a_readable_body(self: RestInput, req: Request) -> Any:
        problem = rest_body_problem(req.json)
        if problem is not None:
            raise InvalidUsage(problem)
        return await original(self, req)

    extract_sender_of_a_readable_body._tend_guarded = True  # type: ignore[attr-defined]
    RestInput._extract_sender = extract_sender_of_a_readable_body  # type: ignore[method-assign]
