"""Turns Tend's buttons into a Telegram inline keyboard, and presses back into payloads.

Telegram allows at most 64 bytes of `callback_data` per button. Shorter payloads travel
as they are; longer ones travel as a short key that this process remembers, so a press
on a long-payload button only works on the replica that sent it and until the key is
forgotten (the oldest of `capacity` keys go first).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

CALLBACK_DATA_LIMIT_BYTES = 64
# Payloads are Tend's own (`/start_checkin`, `/inform{...}`); none starts like this.
KEY_PREFIX = "#tend:"


class CallbackPayloads:
    """Fits payloads into `callback_data` and reads them back from a press."""

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._long_payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        """The `callback_data` for `payload`: itself, or a key when it does not fit."""
        fits = len(payload.encode()) <= CALLBACK_DATA_LIMIT_BYTES
        if fits and not payload.startswith(KEY_PREFIX):
            return payload
        # Derived from the payload, so a keyboard sent again reuses its keys.
        key = KEY_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:24]
        self._long_payloads[key] = payload
        self._long_payloads.move_to_end(key)
        if len(self._long_payloads) > self._capacity:
            self._long_payloads.popitem(last=False)
        return key

    def decode(self, callback_data: str) -> str | None:
        """The payload behind a press; None when its key was forgotten or never made."""
        if callback_data.startswith(KEY_PREFIX):
            return self._long_payloads.get(callback_data)
        return callback_data


def inline_keyboard(
    buttons: list[dict[str, Any]], payloads: CallbackPayloads
) -> dict[str, Any]:
    """One button per row: titles are sentences, easier to read full width on phones."""
    rows: list[list[dict[str, str]]] = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "").strip()
        if not title:
            continue
        if button.get("url"):
            rows.append([{"text": title, "url": str(button["url"])}])
        elif button.get("payload"):
            rows.append(
                [
                    {
                        "text": title,
                        "callback_data": payloads.encode(str(button["payload"])),
                    }
                ]
            )
    return {"inline_keyboard": rows}
