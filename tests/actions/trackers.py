"""Trackers as Rasa sends them to actions, and readers for what the actions return."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def feeling(word: str, family: str, intensity: str | None = None) -> dict[str, Any]:
    """A `feeling` entity as FeelingsExtractor adds it."""
    return {
        "entity": "feeling",
        "value": word,
        "family": family,
        "intensity": intensity,
    }


def tracker_after(
    *,
    text: str = "",
    intent: str = "inform_feeling",
    confidence: float = 0.9,
    entities: list[dict[str, Any]] | None = None,
    form: str | None = None,
    requested_slot: str | None = None,
    slots: dict[str, Any] | None = None,
    new_slots: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message just filled `new_slots` during `form`.

    The new slots come last in the events, as Rasa sends them to a validation
    action; `slots` are values set earlier in the conversation.
    """
    new_slots = new_slots or {}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}
    ]
    if form:
        events.append({"event": "action", "name": form})
    events += [
        {"event": "slot", "name": name, "value": value}
        for name, value in new_slots.items()
    ]
    return Tracker.from_dict(
        {
            "sender_id": "test-person",
            "slots": {**(slots or {}), **new_slots, "requested_slot": requested_slot},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": confidence},
                "entities": entities or [],
            },
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": form} if form else {},
            "latest_action_name": "action_listen",
        }
    )


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, by name (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def sent_responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages if m.get("response")]


def sent_texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages if m.get("text")]
