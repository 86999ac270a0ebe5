"""The recent part of a long conversation, for deciding what Tend says next.

Rasa's policies work out the dialogue state of *every* earlier turn on every
prediction, then use only the last few (every policy in config.yml looks back at
most 5 steps, and the longest rule is shorter than that window). So the cost of a
message grew with the length of the conversation: 5x at turn 500 (see
docs/performance.md). The tracker store therefore hands Rasa, for the next
message, a *window*: a short summary that carries the conversation over (the
slots' values and the active form, as Rasa's own session start does), then the
last turns unchanged.

The summary's first event carries a mark saying how many events Rasa was handed,
so that saving stores exactly the events added after them, with or without the
store's memory. Nothing is lost or changed in the table: the full history is still
stored, and `retrieve_full_tracker` (the HTTP API's `/tracker`, exports, tests)
reads all of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

WINDOW_MARK = "tend_recent_window"
# Turns kept after a new summary is made, and turns allowed before the next one. A
# turn is a few events; a dozen turns hold far more than the 5 steps the policies
# and rules look back, while staying as cheap as the start of a conversation.
KEEP_TURNS = 6
MOST_TURNS = 12


@dataclass(frozen=True)
class Window:
    """The first `replaced` events of a session, summarised by `summary`."""

    replaced: int
    summary: tuple[Event, ...]


def turn_starts(events: Sequence[Event], start: int = 0) -> list[int]:
    """Indexes (from `start` on) of each `action_listen` followed by the person's
    message."""
    return [
        index
        for index in range(start, len(events) - 1)
        if isinstance(events[index], ActionExecuted)
        and events[index].action_name == ACTION_LISTEN_NAME
        and isinstance(events[index + 1], UserUttered)
    ]


def next_window(
    events: Sequence[Event],
    slots: Iterable[Slot],
    previous: Window | None = None,
    *,
    keep_turns: int = KEEP_TURNS,
    most_turns: int = MOST_TURNS,
) -> Window | None:
    """The window for `events` (one session's), reusing `previous` while it fits.

    None while the session is short enough to hand over whole.
    """
    replaced = previous.replaced if previous is not None else 0
    # Only the events after the summary: this runs on every message.
    starts = turn_starts(events, replaced)
    if len(starts) <= most_turns:
        return previous
    cut = starts[-keep_turns]
    # The previous summary stands for everything before its cut, so only the turns
    # since then are replayed: replaying the whole session each time the window moved
    # made long conversations slower turn by turn (docs/performance.md).
    history = (
        events[:cut]
        if previous is None
        else [*previous.summary, *events[previous.replaced : cut]]
    )
    return Window(cut, summarise(history, slots, events[cut].timestamp))


def summarise(
    events: Sequence[Event], slots: Iterable[Slot], timestamp: float
) -> tuple[Event, ...]:
    """A session start that leaves the conversation where `events` left it."""
    state = DialogueStateTracker.from_events("window", list(events), [*slots])
    carried: list[Event] = [
        SlotSet(slot.name, slot.value, timestamp=timestamp)
        for slot in state.slots.values()
        if slot.value != slot.initial_value
    ]
    loop = state.active_loop_name
    if loop:
        carried.append(ActiveLoop(loop, timestamp=timestamp))
    return (
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
        *carried,
    )


def windowed(events: Sequence[Event], window: Window | None) -> list[Event]:
    """What Rasa is handed: the summary, then the events after it, marked."""
    if window is None:
        return list(events)
    first, *rest = window.summary
    handed_out = len(window.summary) + len(events) - window.replaced
    mark = ActionExecuted(
        first.action_name,
        timestamp=first.timestamp,
        metadata={WINDOW_MARK: {"handed_out": handed_out}},
    )
    return [mark, *rest, *events[window.replaced :]]


def handed_out(events: Sequence[Event]) -> int | None:
    """How many events a windowed tracker held when it was handed out, if it was."""
    if not events or not isinstance(events[0], ActionExecuted):
        return None
    mark: Any = (events[0].metadata or {}).get(WINDOW_MARK)
    if isinstance(mark, dict) and isinstance(mark.get("handed_out"), int):
        return mark["handed_out"]
    return None
