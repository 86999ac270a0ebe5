"""A loaded model in process: messages read and their next action predicted, and
the graph nodes that did it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.remembering_ted import RememberingTEDPolicy


def visit(agent: Agent, sender: str, texts: Iterable[str]) -> None:
    """Each text is read (NLU) and Tend's next action predicted, without running it."""

    async def run() -> None:
        assert agent.processor is not None
        for text in texts:
            await agent.processor.log_message(UserMessage(text, sender_id=sender))
            await agent.processor.predict_next_for_sender_id(sender)

    asyncio.run(run())


def graph_nodes(agent: Agent) -> Iterator[Any]:
    """The loaded model's graph nodes (Rasa's own objects; `_component` is each one's
    trained component)."""
    assert agent.processor is not None
    runner = agent.processor.graph_runner
    yield from runner._instantiated_nodes.values()  # type: ignore[attr-defined]


def remembering_ted_node(agent: Agent) -> Any:
    """The one graph node that runs Tend's TED (bot/policies/remembering_ted.py)."""
    nodes = [
        node
        for node in graph_nodes(agent)
        if isinstance(getattr(node, "_component", None), RememberingTEDPolicy)
    ]
    assert len(nodes) == 1, "config.yml names RememberingTEDPolicy once"
    return nodes[0]


def story_trackers(domain: Domain) -> list[DialogueStateTracker]:
    """Every story and rule of the project as a conversation, forms and all."""
    from rasa.core.training import load_data
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        domain_path="domain.yml", training_data_paths=["data/stories", "data/rules"]
    )
    trackers = load_data(importer, domain, augmentation_factor=0)
    assert len(trackers) > 50, "the stories and rules were read"
    return trackers
