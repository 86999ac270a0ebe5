"""`TendResponses`: Rasa's templated responses with the contacts filled in at run time.

Responses in domain.yml name `{crisis_contact}`, `{therapist_contact}`,
`{child_contact_line}` and `{bot_name}`. They are read from the settings when the
server starts, so changing a contact in `.env` needs a restart, never a retrain. This
runs inside the Rasa server, so the crisis response works with the action server down.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.config import Settings, settings


def response_values(config: Settings) -> dict[str, str]:
    """The placeholder values every response may use."""
    values = config.contacts()
    child = config.child_contact
    values["child_contact_line"] = (
        f"There is also a helpline for young people: {child}. " if child else ""
    )
    return values


class TendResponses(TemplatedNaturalLanguageGenerator):
    """Fills Tend's contact placeholders in every response."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        domain: Domain | None = None,
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        self._values = response_values(settings())

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        return await super().generate(
            utter_action, tracker, output_channel, **{**self._values, **kwargs}
        )
