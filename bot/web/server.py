"""Serves Tend's demo page and the chat widget's files (`python -m bot.web.server`).

The page is a plain HTML template. Its widget configuration (Rasa's address, title,
colours, first message, help contacts) goes in as JSON inside a
`<script type="application/json">` element, escaped so that no setting can end the
element or run as script. The browser talks to Rasa's socket.io channel directly:
this server never sees a message.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.config import Settings, SettingsError, settings

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
PAGE_TEMPLATE = WEB_DIR / "templates" / "index.html"
SOCKET_IO_CLIENT = STATIC_DIR / "vendor" / "socket.io.min.js"

# The demo page's palette, passed to the widget as configuration to show how an
# embedding site sets its own. tend-widget.css falls back to the same values.
PAGE_COLOURS: dict[str, str] = {
    "accent": "#2f6f62",
    "accentText": "#ffffff",
    "background": "#fbfaf7",
    "surface": "#ffffff",
    "text": "#1f2a28",
    "botBubble": "#eef3f0",
    "userBubble": "#dcebe5",
}

# Sent unseen when a conversation starts, so Tend opens with its greeting and its
# one-line note that it is not a therapist. Plain words, because the NLU command
# guard turns typed `/intent` syntax back into text.
INITIAL_MESSAGE = "hello"

# Where the widget mounts on the demo page (an element of templates/index.html).
CHAT_CONTAINER = "#tend-chat"

# A server bound to every interface has no single address a browser can use, so the
# page points the widget at the host the browser itself asked for.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


@dataclass(frozen=True)
class PageSetup:
    """What the page handler needs: settings, an optional Rasa URL and the template."""

    config: Settings
    rasa_url: str | None
    template: Template


PAGE_SETUP = web.AppKey("page_setup", PageSetup)


def browser_rasa_url(config: Settings, host_header: str) -> str:
    """The Rasa address a browser can reach, given the Host it asked this server."""
    if config.bind_host not in WILDCARD_HOSTS:
        return config.rasa_url
    # Parsed here because aiohttp's request.url rejects a Host with a port under
    # the installed yarl.
    hostname = urlsplit(f"//{host_header}").hostname or "localhost"
    host = f"[{hostname}]" if ":" in hostname else hostname
    return f"http://{host}:{config.rasa_port}"


def widget_config(config: Settings, server_url: str) -> dict[str, Any]:
    """The configuration object the widget reads (documented in docs/web-widget.md)."""
    contacts = config.contacts()
    return {
        "serverUrl": server_url,
        "title": f"Talk with {config.bot_name}",
        "botName": config.bot_name,
        "initialMessage": INITIAL_MESSAGE,
        "maxMessageChars": config.max_message_chars,
        "container": CHAT_CONTAINER,
        "colors": PAGE_COLOURS,
        "contacts": {
            "crisis": contacts["crisis_contact"],
            "therapist": contacts["therapist_contact"],
            "child": contacts["child_contact"],
        },
    }


def script_safe_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no `</script>`, `<!--` or `&`."""
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def content_security_policy(server_url: str) -> str:
    """Only this site's own files run; the page may connect only to Rasa."""
    rasa = urlsplit(server_url)
    socket_scheme = "wss" if rasa.scheme == "https" else "ws"
    connect = f"'self' {rasa.scheme}://{rasa.netloc} {socket_scheme}://{rasa.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data:; connect-src {connect}; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


def render_page(template: Template, config: Settings, server_url: str) -> str:
    """The demo page with every setting escaped for where it lands."""
    contacts = config.contacts()
    return template.substitute(
        bot_name=html.escape(config.bot_name),
        crisis_contact=html.escape(contacts["crisis_contact"]),
        therapist_contact=html.escape(contacts["therapist_contact"]),
        config_json=script_safe_json(widget_config(config, server_url)),
    )


async def show_page(request: web.Request) -> web.Response:
    setup = request.app[PAGE_SETUP]
    server_url = setup.rasa_url or browser_rasa_url(setup.config, request.host)
    return web.Response(
        text=render_page(setup.template, setup.config, server_url),
        content_type="text/html",
        headers={
            "Content-Security-Policy": content_security_policy(server_url),
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        },
    )


async def report_health(request: web.Request) -> web.Response:
    return web.json_response(
        {"status": "ok", "socket_io_client": SOCKET_IO_CLIENT.is_file()}
    )


async def forbid_sniffing(request: web.Request, response: web.StreamResponse) -> None:
    # Browsers must take every file as the type it is served as.
    response.headers["X-Content-Type-Options"] = "nosniff"


def create_app(config: Settings, rasa_url: str | None = None) -> web.Application:
    """The page server: `/` (demo page), `/static/` (widget files), `/healthz`."""
    app = web.Application()
    app[PAGE_SETUP] = PageSetup(
        config=config,
        rasa_url=rasa_url.rstrip("/") if rasa_url else None,
        template=Template(PAGE_TEMPLATE.read_text(encoding="utf-8")),
    )
    app.router.add_get("/", show_page)
    app.router.add_get("/healthz", report_health)
    app.router.add_static("/static/", STATIC_DIR)
    app.on_response_prepare.append(forbid_sniffing)
    return app


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.web.server",
        description="Serves Tend's demo page and chat widget.",
    )
    parser.add_argument("--host", help="address to listen on (default: BIND_HOST)")
    parser.add_argument(
        "--port", type=int, help="port to listen on (default: WEB_PORT)"
    )
    parser.add_argument(
        "--rasa-url",
        help="Rasa server the browser talks to (default: from BIND_HOST and RASA_PORT)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Runs the page server until interrupted; returns the exit code."""
    arguments = parse_arguments(argv)
    try:
        config = settings()
    except SettingsError as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=config.log_level, format="%(levelname)s %(message)s")
    if not SOCKET_IO_CLIENT.is_file():
        logger.warning(
            "The chat widget cannot connect: %s is missing. Run bot/web/build.sh.",
            SOCKET_IO_CLIENT,
        )
    host = arguments.host or config.bind_host
    port = arguments.port or config.web_port
    app = create_app(config, rasa_url=arguments.rasa_url)
    logger.info("Tend's demo page is at http://%s:%d", host, port)
    try:
        web.run_app(app, host=host, port=port, print=None)
    except OSError as error:
        print(
            f"Could not serve the demo page on {host}:{port} ({error.strerror}). "
            "Set WEB_PORT to a free port, or stop what is using it.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
