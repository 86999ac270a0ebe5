"""Tests for bot/store/crypto.py: the data key, encryption, the sender hash."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import settings
from bot.store.crypto import (
    DataKey,
    DataKeyError,
    configured_data_key,
    hash_sender,
    new_data_key,
)


@pytest.fixture
def configured_key(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[str]:
    """A DATA_KEY in the environment, with the cached settings refreshed around it."""
    key = new_data_key()
    monkeypatch.setenv("TEND_ENV_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("DATA_KEY", key)
    settings.cache_clear()
    configured_data_key.cache_clear()
    yield key
    settings.cache_clear()
    configured_data_key.cache_clear()


def test_encrypted_text_reads_back_exactly(data_key: DataKey) -> None:
    letter = "Dear little one, it wasn't your fault. ❤️ Ça va aller."
    assert data_key.decrypt(data_key.encrypt(letter)) == letter


def test_encrypted_text_does_not_contain_the_words(data_key: DataKey) -> None:
    assert "fault" not in data_key.encrypt("it wasn't your fault")


def test_decrypting_with_another_key_raises_data_key_error_saying_what_to_do(
    data_key: DataKey, other_key: DataKey
) -> None:
    token = data_key.encrypt("a letter")
    with pytest.raises(DataKeyError, match="Put the original DATA_KEY back"):
        other_key.decrypt(token)


def test_malformed_key_raises_data_key_error_naming_the_fix() -> None:
    with pytest.raises(DataKeyError, match="ensure-key"):
        DataKey.from_text("not-a-real-key")


def test_missing_key_raises_data_key_error_naming_the_command() -> None:
    with pytest.raises(DataKeyError, match="python -m bot.cli.db ensure-key"):
        DataKey.from_text("  ")


def test_same_channel_and_sender_give_the_same_hash(data_key: DataKey) -> None:
    assert hash_sender("telegram", "12345", key=data_key) == hash_sender(
        "telegram", "12345", key=data_key
    )


def test_hash_is_hex_sha256_and_hides_the_sender_id(data_key: DataKey) -> None:
    sender_hash = hash_sender("telegram", "12345", key=data_key)
    assert len(sender_hash) == 64
    assert int(sender_hash, 16) >= 0
    assert "12345" not in sender_hash


def test_hash_differs_between_channels(data_key: DataKey) -> None:
    assert hash_sender("telegram", "12345", key=data_key) != hash_sender(
        "rest", "12345", key=data_key
    )


def test_hash_keeps_channel_and_sender_apart(data_key: DataKey) -> None:
    assert hash_sender("ab", "c", key=data_key) != hash_sender("a", "bc", key=data_key)


def test_hash_depends_on_the_key(data_key: DataKey, other_key: DataKey) -> None:
    assert hash_sender("rest", "anna", key=data_key) != hash_sender(
        "rest", "anna", key=other_key
    )


def test_hash_uses_the_configured_data_key_by_default(configured_key: str) -> None:
    assert hash_sender("rest", "anna") == hash_sender(
        "rest", "anna", key=DataKey.from_text(configured_key)
    )


def test_fingerprint_identifies_the_key_without_revealing_it(
    other_key: DataKey,
) -> None:
    key_text = new_data_key()
    fingerprint = DataKey.from_text(key_text).fingerprint
    assert fingerprint == DataKey.from_text(key_text).fingerprint
    assert fingerprint != other_key.fingerprint
    assert key_text not in fingerprint
