"""A crisis phrase often innocent alone, through the trained model and Rasa's own
policy ensemble: the question that fits it, a yes is the crisis reply, and after
an earlier worry it is the crisis reply at once (bot/policies/safety.py). The
rules and TED must not answer over the safety policy, so it is checked with the
trained model, not a stand-in."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted

from bot.nlu.safety_intents import ASK_FIRST, WORRY, WORRY_LEVEL
from bot.policies.safety import ASK_HARMING, CRISIS_REPLY


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": 1}


def say(agent: Agent, sender: str, intent: str, *entities: dict[str, Any]) -> None:
    parsed = {
        "text": f"({intent})",
        "intent": {"name": intent, "confidence": 1.0},
        "entities": list(entities),
    }
    message = UserMessage(parsed["text"], sender_id=sender, parse_data=parsed)
    asyncio.run(agent.handle_message(message))


def replies(agent: Agent, sender: str) -> list[str]:
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    assert tracker is not None
    return [
        e.action_name
        for e in tracker.events
        if isinstance(e, ActionExecuted)
        and e.action_name
        and e.action_name.startswith("utter_")
    ]


def harm_said_alone(agent: Agent, sender: str) -> None:
    say(
        agent,
        sender,
        WORRY,
        entity(WORRY_LEVEL, ASK_FIRST),
        entity("crisis_category", "harm_to_others"),
    )


def test_alone_the_question_then_a_yes_is_the_crisis_reply(loaded_agent) -> None:
    sender = f"ask-first-{uuid.uuid4().hex[:10]}"
    say(loaded_agent, sender, "greet")
    before = replies(loaded_agent, sender)
    harm_said_alone(loaded_agent, sender)
    assert replies(loaded_agent, sender)[len(before) :] == [ASK_HARMING]
    say(loaded_agent, sender, "affirm")
    assert replies(loaded_agent, sender)[-2:] == [CRISIS_REPLY, "utter_ask_safe_now"]


def test_a_no_goes_on_gently(loaded_agent) -> None:
    sender = f"ask-first-no-{uuid.uuid4().hex[:10]}"
    harm_said_alone(loaded_agent, sender)
    say(loaded_agent, sender, "deny")
    said = replies(loaded_agent, sender)
    assert said[-1] == "utter_thank_you_for_answering"
    assert CRISIS_REPLY not in said


def test_after_a_worry_it_is_the_crisis_reply_at_once(loaded_agent) -> None:
    sender = f"ask-first-worry-{uuid.uuid4().hex[:10]}"
    say(loaded_agent, sender, WORRY)
    harm_said_alone(loaded_agent, sender)
    said = replies(loaded_agent, sender)
    assert said[-2:] == [CRISIS_REPLY, "utter_ask_safe_now"]
    assert ASK_HARMING not in said
