"""Long conversations are handed to Rasa as a window (bot/store/recent_window.py).

Rasa gets a summary (slots, active form) plus the last turns; the table keeps the
whole history, and saving stores exactly the new events, with or without the
store's memory, and from any replica.
"""

from __future__ import annotations

import warnings

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.store.recent_window import (
    KEEP_TURNS,
    MOST_TURNS,
    WINDOW_MARK,
    handed_out,
    next_window,
    summarise,
    windowed,
)
from bot.store.tracker_store import EncryptedSQLTrackerStore
from tests.store.conftest import OpenStore

SENDER = "telegram-77"

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # Rasa's note on every domain
    DOMAIN = Domain.from_yaml(
        """
version: "3.1"
intents: [share_memory]
slots:
  chosen_age:
    type: text
    mappings: [{type: custom}]
  worry_count:
    type: float
    initial_value: 0
    mappings: [{type: custom}]
forms:
  letter_form:
    required_slots: [chosen_age]
"""
    )


def turn(words: str) -> list[Event]:
    return [
        ActionExecuted("action_listen"),
        UserUttered(words, {"name": "share_memory", "confidence": 1.0}),
        ActionExecuted("utter_listening"),
        BotUttered("I'm listening."),
    ]


def conversation(turns: int) -> list[Event]:
    """A session that sets a slot and starts a form early, then goes on and on."""
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    events += turn("I was seven")
    events += [SlotSet("chosen_age", "7"), SlotSet("worry_count", 1.0)]
    events += [ActiveLoop("letter_form")]
    for index in range(1, turns):
        events += turn(f"message {index}")
    return events


def user_texts(events: list[Event]) -> list[str]:
    return [e.text for e in events if isinstance(e, UserUttered)]


async def say(store: EncryptedSQLTrackerStore, words: str) -> DialogueStateTracker:
    """One more turn, the way Rasa does it: retrieve, add events, save."""
    tracker = await store.retrieve(SENDER)
    assert tracker is not None
    for event in turn(words):
        tracker.update(event)
    await store.save(tracker)
    return tracker


def test_a_short_session_is_handed_over_whole() -> None:
    events = conversation(MOST_TURNS)
    assert next_window(events, DOMAIN.slots) is None
    assert windowed(events, None) == events


def test_a_long_session_keeps_its_last_turns_and_carries_slots_and_form() -> None:
    events = conversation(40)
    window = next_window(events, DOMAIN.slots)
    assert window is not None
    handed = windowed(events, window)

    assert user_texts(handed) == user_texts(events)[-KEEP_TURNS:]
    tracker = DialogueStateTracker.from_events(SENDER, handed, DOMAIN.slots)
    assert tracker.get_slot("chosen_age") == "7"
    assert tracker.get_slot("worry_count") == 1.0
    assert tracker.active_loop_name == "letter_form"
    assert handed_out(handed) == len(handed)
    assert handed[0].metadata[WINDOW_MARK] == {"handed_out": len(handed)}


def test_the_window_is_kept_until_the_session_outgrows_it_again() -> None:
    events = conversation(40)
    window = next_window(events, DOMAIN.slots)
    for index in range(MOST_TURNS - KEEP_TURNS):
        events += turn(f"later {index}")
        assert next_window(events, DOMAIN.slots, window) is window
    events += turn("one too many")
    moved = next_window(events, DOMAIN.slots, window)
    assert moved is not None and moved.replaced > window.replaced
    assert user_texts(windowed(events, moved)) == user_texts(events)[-KEEP_TURNS:]


def test_an_unmarked_tracker_has_no_handed_out_length() -> None:
    assert handed_out(conversation(3)) is None
    assert handed_out([]) is None


def test_a_moved_window_carries_what_the_whole_session_would() -> None:
    # Each move summarises the last summary plus the turns since, not the whole
    # session: the slots and the form must come out as a full replay gives them.
    events = conversation(3)
    window = None
    moves = 0
    for index in range(200):
        events += turn(f"turn {index}")
        if index % 7 == 0:
            events.append(SlotSet("chosen_age", str(index)))
        if index % 11 == 0:
            events.append(ActiveLoop(None if index % 22 else "letter_form"))
        moved = next_window(events, DOMAIN.slots, window)
        if moved is not window:
            assert moved is not None
            from_scratch = summarise(
                events[: moved.replaced], DOMAIN.slots, events[moved.replaced].timestamp
            )
            assert moved.summary == from_scratch
            window, moves = moved, moves + 1
    assert moves > 10


@pytest.mark.parametrize("remembered", [256, 0], ids=["memory", "no-memory"])
async def test_rasa_sees_a_window_and_the_table_keeps_everything(
    open_store: OpenStore, remembered: int
) -> None:
    store = open_store(remembered_conversations=remembered)
    events = conversation(30)
    await store.save(DialogueStateTracker.from_events(SENDER, events, DOMAIN.slots))

    for index in range(25):
        tracker = await say(store, f"new {index}")
        assert len(user_texts(list(tracker.events))) <= MOST_TURNS + 1
        assert tracker.get_slot("chosen_age") == "7"
        assert tracker.active_loop_name == "letter_form"

    full = await open_store().retrieve_full_tracker(SENDER)
    assert full is not None
    expected = user_texts(events) + [f"new {index}" for index in range(25)]
    assert user_texts(list(full.events)) == expected
    stored_marks = [e for e in full.events if WINDOW_MARK in (e.metadata or {})]
    assert stored_marks == []


async def test_replicas_taking_turns_lose_and_repeat_nothing(
    open_store: OpenStore,
) -> None:
    here, elsewhere = open_store(), open_store()
    events = conversation(20)
    await here.save(DialogueStateTracker.from_events(SENDER, events, DOMAIN.slots))

    for index in range(30):
        await say(here if index % 2 else elsewhere, f"turn {index}")

    full = await open_store().retrieve_full_tracker(SENDER)
    assert full is not None
    expected = user_texts(events) + [f"turn {index}" for index in range(30)]
    assert user_texts(list(full.events)) == expected


async def test_deleting_my_data_from_a_windowed_conversation_deletes_it_all(
    open_store: OpenStore,
) -> None:
    store = open_store()
    await store.save(
        DialogueStateTracker.from_events(SENDER, conversation(40), DOMAIN.slots)
    )
    tracker = await store.retrieve(SENDER)
    assert tracker is not None and handed_out(list(tracker.events)) is not None
    store.delete_conversation(SENDER)

    assert await open_store().retrieve_full_tracker(SENDER) is None


async def test_the_window_can_be_turned_off_in_endpoints(
    open_store: OpenStore,
) -> None:
    store = open_store(recent_window=False)
    events = conversation(40)
    await store.save(DialogueStateTracker.from_events(SENDER, events, DOMAIN.slots))

    tracker = await say(store, "one more")
    assert handed_out(list(tracker.events)) is None
    assert user_texts(list(tracker.events)) == [*user_texts(events), "one more"]
    full = await open_store().retrieve_full_tracker(SENDER)
    assert full is not None
    assert user_texts(list(full.events)) == [*user_texts(events), "one more"]
