"""A long conversation gets the same answers with the recent window as without it.

The real server's tracker store hands Rasa a window of a long session
(bot/store/recent_window.py). The same trained model in this process, with Rasa's
in-memory tracker store (the whole history, no window), is the reference: every
turn must run the same actions, and the slots must end the same. The script spans
several windows, and a worry said early must still count after the window moved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.utils.endpoints import EndpointConfig

from bot.bench.messages import domain_intents, visit_texts
from bot.store.recent_window import MOST_TURNS
from tests.integration.stack import TendStack

EARLY_WORRY = "honestly i feel like such a burden to everyone"
LATE_WORRY = "nothing really matters anymore"
VISIT = list(visit_texts(domain_intents()))
SCRIPT = [EARLY_WORRY, *VISIT * 3, LATE_WORRY, "no, i'm not", *VISIT]


def turns_of(events: list[dict]) -> list[tuple[str, list[str]]]:
    """(what the person said, the actions Tend ran after it), turn by turn."""
    turns: list[tuple[str, list[str]]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event.get("text") or "", []))
        elif (
            event["event"] == "action"
            and turns
            and event.get("name") != ACTION_LISTEN_NAME
        ):
            turns[-1][1].append(event["name"])
    return turns


@pytest.fixture(scope="module")
def reference_agent(loaded_agent: Agent, tend_stack: TendStack) -> Iterator[Agent]:
    """The same model in this process, whole history in memory, same action server."""
    assert loaded_agent.processor is not None
    loaded_agent.processor.action_endpoint = EndpointConfig(
        f"{tend_stack.action_url}/webhook"
    )
    yield loaded_agent
    loaded_agent.processor.action_endpoint = None


async def test_the_window_changes_no_answer(
    tend_stack: TendStack, reference_agent: Agent
) -> None:
    assert len(SCRIPT) > 3 * MOST_TURNS, "the script must outgrow several windows"
    windowed_sender = f"long-{uuid.uuid4().hex[:8]}"
    reference_sender = f"long-ref-{uuid.uuid4().hex[:8]}"
    for text in SCRIPT:
        tend_stack.send(windowed_sender, text)
        await reference_agent.handle_text(text, sender_id=reference_sender)

    served = tend_stack.tracker(windowed_sender)
    reference = await reference_agent.tracker_store.retrieve_full_tracker(
        reference_sender
    )
    assert reference is not None
    expected = turns_of([event.as_dict() for event in reference.events])
    assert [text for text, _ in expected] == SCRIPT
    assert turns_of(served["events"]) == expected
    assert served["slots"]["worry_count"] == reference.get_slot("worry_count")
    assert served["slots"]["worry_count"] >= 2
