"""Serves the socket.io channel exactly as credentials.yml configures it, with an echo
in place of the trained model: `python -m tests.web.rasa_socket_echo PORT
[CREDENTIALS]` (default: the project's credentials.yml).

It lets the widget's tests meet Rasa's real channel code (rooms, session persistence,
message splitting, CORS) without training a model. "hello" gets a two-part greeting
with a "Check in" button (payload /start_checkin); "export my data" gets a line and
the custom payload actions/my_data.py sends (EXPORT); anything else comes back as
"echo: <text>". tests/web/test_widget_on_rasa_channel.py relies on these words.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rasa.core.channels import BUILTIN_CHANNELS
from rasa.core.channels.channel import UserMessage, register
from rasa.core.channels.socketio import SocketIOInput
from rasa.server import configure_cors
from rasa.shared.utils.common import class_from_module_path
from rasa.shared.utils.io import read_config_file
from sanic import Sanic

from bot.config import PROJECT_ROOT

CREDENTIALS = PROJECT_ROOT / "credentials.yml"
GREETING = "Hello from the echo.\n\nWhat would you like to do?"
GREETING_BUTTON = {"title": "Check in", "payload": "/start_checkin"}
EXPORT_TEXT = "Here is your file."
EXPORT = {
    "type": "data_export",
    "filename": "tend-my-data.json",
    "mime_type": "application/json",
    "content": '{"letters": [{"text": "dear me"}]}',
}


def configured_socket_channel(credentials_file: Path) -> SocketIOInput:
    """The socket.io channel named in the credentials, built as Rasa builds it."""
    credentials: dict[str, Any] = read_config_file(credentials_file)
    for name, settings in credentials.items():
        channel_class = BUILTIN_CHANNELS.get(name) or class_from_module_path(name)
        if issubclass(channel_class, SocketIOInput):
            return channel_class.from_credentials(settings)
    raise SystemExit(f"{credentials_file} configures no socket.io channel.")


class EchoAgent:
    """Stands in for Rasa's Agent: the one method the channel's handler calls."""

    async def handle_message(self, message: UserMessage) -> None:
        if message.text == "hello":
            await message.output_channel.send_text_with_buttons(
                message.sender_id, GREETING, [GREETING_BUTTON]
            )
        elif message.text == "export my data":
            # As Rasa sends a bot message with text and `custom`.
            await message.output_channel.send_response(
                message.sender_id, {"text": EXPORT_TEXT, "custom": dict(EXPORT)}
            )
        else:
            await message.output_channel.send_text_message(
                message.sender_id, f"echo: {message.text}"
            )


def main(port: int, credentials_file: Path) -> None:
    app = Sanic("tend_socket_echo", configure_logging=False)
    configure_cors(app, "*")  # as `--cors "*"` does
    app.ctx.agent = EchoAgent()
    register([configured_socket_channel(credentials_file)], app, route="/webhooks/")
    app.run(host="127.0.0.1", port=port, access_log=False, workers=1)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    credentials_file = Path(arguments[1]) if len(arguments) > 1 else CREDENTIALS
    main(int(arguments[0]), credentials_file)
