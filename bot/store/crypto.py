"""Encryption at rest and the sender hash, both keyed by `DATA_KEY`.

`DATA_KEY` is a Fernet key (url-safe base64 of 32 random bytes). Stored text is
encrypted with it as is; the key for the sender hash and the key fingerprint are
derived from it with HKDF, so none of the three uses the same key material twice.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.config import settings

# The channel label under which Rasa's conversation ids are hashed: Rasa looks a
# conversation up by its id alone, so the tracker store cannot know the channel.
CONVERSATION_CHANNEL = "rasa-conversation"

_SENDER_HASH_INFO = b"tend/sender-hash/v1"
_FINGERPRINT_INFO = b"tend/key-fingerprint/v1"

WRONG_KEY_MESSAGE = (
    "The stored data cannot be read with the current DATA_KEY: it was stored with a "
    "different key. Put the original DATA_KEY back in .env (or the environment) and "
    "start again. Do not create a new key while there is data you want to keep."
)


class DataKeyError(RuntimeError):
    """`DATA_KEY` is missing, malformed, or not the key the data was stored with."""


def new_data_key() -> str:
    """A fresh random key, in the form `DATA_KEY` expects."""
    return Fernet.generate_key().decode("ascii")


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        secret
    )


@dataclass(frozen=True)
class DataKey:
    """One parsed `DATA_KEY`: encrypts and decrypts text, keys the sender hash."""

    fernet: Fernet
    sender_hash_key: bytes
    fingerprint: str

    @classmethod
    def from_text(cls, text: str) -> DataKey:
        """Parses a key; a missing or malformed one raises `DataKeyError`."""
        if not text.strip():
            raise DataKeyError(
                "DATA_KEY is not set. Run `python -m bot.cli.db ensure-key` once to "
                "create one in .env (or `make run`, which does it for you)."
            )
        try:
            fernet = Fernet(text.strip().encode("ascii"))
        except (ValueError, UnicodeEncodeError) as error:
            raise DataKeyError(
                "DATA_KEY is not a valid key (it must be 44 characters of url-safe "
                "base64). If this is a new install, delete the DATA_KEY line from .env "
                "and run `python -m bot.cli.db ensure-key`; if data was already "
                "stored, put back the key it was stored with."
            ) from error
        secret = text.strip().encode("ascii")
        fingerprint = hmac.new(
            _derive(secret, _FINGERPRINT_INFO), b"tend", hashlib.sha256
        ).hexdigest()
        return cls(fernet, _derive(secret, _SENDER_HASH_INFO), fingerprint)

    def encrypt(self, text: str) -> str:
        """Encrypts text into an ASCII token that can be stored in a text column."""
        return self.fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypts a stored token; a token from another key raises `DataKeyError`."""
        try:
            return self.fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError) as error:
            raise DataKeyError(WRONG_KEY_MESSAGE) from error


@lru_cache(maxsize=1)
def configured_data_key() -> DataKey:
    """The key named by the settings, parsed once per process."""
    return DataKey.from_text(settings().data_key)


def hash_sender(channel: str | None, sender_id: str, key: DataKey | None = None) -> str:
    """The pseudonym Tend stores instead of a person's id: HMAC-SHA256, hex.

    The same channel and sender id always give the same hash under the same key, so
    records can be found again; without the key the id cannot be recovered or
    checked by guessing. `key` defaults to the configured `DATA_KEY`.
    """
    data_key = key if key is not None else configured_data_key()
    label = (channel or "unknown").strip().lower()
    # A NUL between the parts keeps ("ab", "c") and ("a", "bc") apart.
    message = label.encode("utf-8") + b"\x00" + str(sender_id).encode("utf-8")
    return hmac.new(data_key.sender_hash_key, message, hashlib.sha256).hexdigest()
