"""Messages read and their next action predicted by a loaded model, in process."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage


def visit(agent: Agent, sender: str, texts: Iterable[str]) -> None:
    """Each text is read (NLU) and Tend's next action predicted, without running it."""

    async def run() -> None:
        assert agent.processor is not None
        for text in texts:
            await agent.processor.log_message(UserMessage(text, sender_id=sender))
            await agent.processor.predict_next_for_sender_id(sender)

    asyncio.run(run())
