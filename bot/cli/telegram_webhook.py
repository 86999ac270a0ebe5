"""`make telegram-webhook`: tells Telegram where to deliver updates (or stops it).

    python -m bot.cli.telegram_webhook                         # setWebhook
    python -m bot.cli.telegram_webhook --drop-pending-updates  # ... forget the backlog
    python -m bot.cli.telegram_webhook --delete                # deleteWebhook

Registers TELEGRAM_WEBHOOK_URL with TELEGRAM_SECRET_TOKEN and only the update kinds
Tend reads (message, callback_query). Starting the server never does this by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.channels.telegram_api import ALLOWED_UPDATES, TelegramApiError, TelegramBotApi
from bot.config import Settings, SettingsError, read_settings

WEBHOOK_PATH = "/webhooks/telegram/webhook"


def _problem_with(config: Settings, deleting: bool) -> str | None:
    """One plain line naming the setting to fix, or None when all is in place."""
    if not config.telegram_token:
        return "TELEGRAM_TOKEN is empty. Put the token BotFather gave you in .env."
    if deleting:
        return None
    if config.telegram_mode != "webhook":
        return (
            "TELEGRAM_MODE is polling, which removes any webhook when Tend starts. "
            "Set TELEGRAM_MODE=webhook in .env to use a webhook."
        )
    if not config.telegram_webhook_url:
        return (
            "TELEGRAM_WEBHOOK_URL is empty. Set it in .env to the public HTTPS address "
            f"of {WEBHOOK_PATH} on your Rasa server."
        )
    return None


async def _register(config: Settings, drop_pending_updates: bool, delete: bool) -> str:
    api = TelegramBotApi(config.telegram_token, config.telegram_api_url)
    try:
        if delete:
            await api.delete_webhook(drop_pending_updates)
            return "Telegram webhook removed: Telegram now keeps updates until asked."
        await api.set_webhook(
            config.telegram_webhook_url,
            config.telegram_secret_token,
            drop_pending_updates,
        )
        return (
            f"Telegram webhook set to {config.telegram_webhook_url} "
            f"(updates: {', '.join(ALLOWED_UPDATES)})."
        )
    finally:
        await api.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli.telegram_webhook",
        description="Register (or remove) Tend's Telegram webhook.",
    )
    parser.add_argument(
        "--drop-pending-updates",
        action="store_true",
        help="forget the updates Telegram is still holding for the bot",
    )
    parser.add_argument(
        "--delete", action="store_true", help="remove the webhook instead of setting it"
    )
    args = parser.parse_args(argv)
    try:
        config = read_settings()
    except SettingsError as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return 2
    problem = _problem_with(config, args.delete)
    if problem:
        print(f"Configuration problem: {problem}", file=sys.stderr)
        return 2
    if not args.delete and not config.telegram_webhook_url.endswith(WEBHOOK_PATH):
        print(
            f"Note: TELEGRAM_WEBHOOK_URL does not end with {WEBHOOK_PATH}; "
            "that is fine only if a proxy forwards it there.",
            file=sys.stderr,
        )
    try:
        print(asyncio.run(_register(config, args.drop_pending_updates, args.delete)))
    except TelegramApiError as error:
        print(
            f"{error}. Check TELEGRAM_TOKEN, TELEGRAM_API_URL and TELEGRAM_WEBHOOK_URL "
            "(Telegram needs a public HTTPS address on port 443, 80, 88 or 8443).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
