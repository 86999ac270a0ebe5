"""Tests for actions/my_data.py against a real SQLite file."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher

import actions.my_data as my_data
import actions.person as person_module
from bot.store.crypto import DataKey, hash_sender, new_data_key
from bot.store.database import StorageUnavailable, open_storage
from bot.store.migrations import upgrade_database
from bot.store.repository import export_for, record_checkin, save_letter


@pytest.fixture
def key() -> DataKey:
    return DataKey.from_text(new_data_key())


@pytest.fixture
def storage(tmp_path: Path, key: DataKey, monkeypatch: pytest.MonkeyPatch):
    url = f"sqlite:///{tmp_path / 'tend.db'}"
    upgrade_database(url)
    store = open_storage(url, key, store_escalation_text=False)
    hashing = functools.partial(hash_sender, key=key)
    monkeypatch.setattr(my_data, "default_storage", lambda: store)
    monkeypatch.setattr(person_module, "hash_sender", hashing)
    return store


def tracker_for(sender: str = "ada", slots: dict[str, Any] | None = None) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": slots or {},
            "latest_message": {"text": "i want to die", "intent": {"name": "crisis"}},
            "latest_input_channel": "rest",
            "events": [{"event": "user", "text": "hi", "input_channel": "rest"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        }
    )


async def run(action: Any, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def person(key: DataKey, sender: str = "ada") -> str:
    return hash_sender("rest", sender, key=key)


async def test_letters_are_read_back_newest_first(storage, key) -> None:
    save_letter(storage, person(key), "Dear little me, you were brave.")
    save_letter(storage, person(key), "Dear little one, it was not your fault.")
    messages, _ = await run(my_data.ActionShowLetters(), tracker_for())
    texts = [m["text"] for m in messages]
    assert "2 letters" in texts[0]
    assert texts[1].endswith("it was not your fault.")
    assert texts[2].endswith("you were brave.")


async def test_no_letters_gets_a_gentle_invitation(storage) -> None:
    messages, _ = await run(my_data.ActionShowLetters(), tracker_for())
    assert "haven't saved any letters" in messages[0]["text"]


async def test_feelings_history_is_summarised_by_family(storage, key) -> None:
    record_checkin(storage, person(key), "lonely", "sad")
    record_checkin(storage, person(key), "hurt", "sad")
    record_checkin(storage, person(key), "calm", "peaceful")
    messages, _ = await run(my_data.ActionFeelingsSummary(), tracker_for())
    text = messages[0]["text"]
    assert "sad 2 times" in text and "calm and peaceful 1 time" in text


async def test_export_sends_everything_as_a_json_document(storage, key) -> None:
    save_letter(storage, person(key), "Dear little me")
    messages, _ = await run(my_data.ActionExportMyData(), tracker_for())
    export = messages[0]["custom"]
    assert export["type"] == "data_export"
    assert json.loads(export["content"])["letters"][0]["text"] == "Dear little me"


async def test_delete_removes_only_this_persons_data_and_restarts(storage, key) -> None:
    save_letter(storage, person(key), "mine")
    save_letter(storage, person(key, "someone-else"), "theirs")
    messages, events = await run(my_data.ActionDeleteMyData(), tracker_for())
    assert events == [Restarted()]
    assert "deleted" in messages[0]["text"]
    assert export_for(storage, person(key))["letters"] == []
    assert (
        export_for(storage, person(key, "someone-else"))["letters"][0]["text"]
        == "theirs"
    )


async def test_delete_with_the_database_down_keeps_the_conversation(
    storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(*args: Any, **kwargs: Any) -> None:
        raise StorageUnavailable("down")

    monkeypatch.setattr(my_data, "delete_everything_for", unavailable)
    messages, events = await run(my_data.ActionDeleteMyData(), tracker_for())
    assert events == []
    assert "nothing was deleted" in messages[0]["text"]
