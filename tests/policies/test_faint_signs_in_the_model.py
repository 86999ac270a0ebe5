"""Faint signs add up through the trained model and Rasa's own policy ensemble.

The safety policy says nothing at a faint sign; the count is an event it hands to
Rasa while another policy answers (bot/policies/safety.py). That Rasa applies it is
Rasa's behaviour, so it is checked here with the trained model, not a stand-in.
"""

from __future__ import annotations

import asyncio
import uuid

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted

from bot.nlu.safety_intents import FAINT_SIGN

QUESTION = "utter_ask_thoughts_of_ending_life"


def say(agent: Agent, sender: str, text: str, intent: str, *, faint: bool) -> None:
    parsed = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95},
        "entities": [],
        **({FAINT_SIGN: True} if faint else {}),
    }
    message = UserMessage(text, sender_id=sender, parse_data=parsed)
    asyncio.run(agent.handle_message(message))


def actions_and_count(agent: Agent, sender: str) -> tuple[list[str], float | None]:
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    assert tracker is not None
    actions = [
        e.action_name
        for e in tracker.events
        if isinstance(e, ActionExecuted) and e.action_name
    ]
    return actions, tracker.get_slot("worry_count")


def test_two_faint_signs_bring_the_direct_question(loaded_agent: Agent) -> None:
    sender = f"faint-{uuid.uuid4().hex[:10]}"
    say(loaded_agent, sender, "hello", "greet", faint=False)
    say(loaded_agent, sender, "(a faint sign)", "share_experience", faint=True)
    actions, count = actions_and_count(loaded_agent, sender)
    assert count == 1
    assert QUESTION not in actions
    say(loaded_agent, sender, "(another)", "share_experience", faint=True)
    actions, count = actions_and_count(loaded_agent, sender)
    assert count == 2
    assert actions[-2:] == [QUESTION, "action_listen"]


def test_ordinary_messages_count_nothing(loaded_agent: Agent) -> None:
    sender = f"plain-{uuid.uuid4().hex[:10]}"
    for text in ("hello", "(something)", "(something else)"):
        say(loaded_agent, sender, text, "share_experience", faint=False)
    actions, count = actions_and_count(loaded_agent, sender)
    assert not count
    assert QUESTION not in actions
