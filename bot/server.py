"""Starts Rasa's server (`rasa run ...`) with Tend's settings and extensions.

Use it exactly like the `rasa` command: `python -m bot.server run --enable-api ...`.
Before handing over to Rasa it validates the settings (one plain line on error),
exports the derived values that endpoints.yml names, keeps people's words out of
Rasa's logs, makes a custom action that cannot reach the action server answer
the person kindly instead of silently, checks action server answers with a
schema validator built once (`bot.action_results`), calls DIET's and TED's
traced TensorFlow graphs directly (`bot.tf_inference`), and lets the policies of
one prediction share the dialogue states they work out (`bot.shared_dialogue_states`),
answers a crisis without the other policies (`bot.safety_fast_path`), reads
Tend's own button payloads without the NLU pipeline (`bot.button_payloads`), and
lets RulePolicy remember which rules fit a state (`bot.remembered_rules`).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from bot.action_results import install_cached_action_result_check
from bot.button_payloads import install_button_payload_shortcut
from bot.channels.message_guard import install_message_guard
from bot.config import settings_or_report
from bot.log_redaction import install_log_redaction
from bot.remembered_rules import install_remembered_rules
from bot.safety_fast_path import install_safety_fast_path
from bot.shared_dialogue_states import install_shared_dialogue_states
from bot.tf_inference import install_concrete_predict

logger = logging.getLogger(__name__)

# Said when a custom action cannot run. Kept here, not in domain.yml, because Rasa's
# validator requires every domain response to appear in a story or rule.
APOLOGY = (
    "I'm sorry, I can't do that part right now: something on my side isn't working. "
    'Please try again in a little while. If you need help now, type "sos".'
)


def install_action_unavailable_reply() -> None:
    """Wraps Rasa's RemoteAction so an unreachable action server gets a kind reply."""
    from rasa.core.actions.action import (
        ActionExecutionRejection,
        RemoteAction,
        create_bot_utterance,
    )
    from rasa.shared.exceptions import RasaException

    original_run = RemoteAction.run
    if getattr(original_run, "_tend_wrapped", False):
        return

    async def run_or_apologise(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Any]:
        try:
            return await original_run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException:
            logger.warning("Action %s could not run; replying kindly.", self.name())
            if self.name().startswith("validate_"):
                # A form's validation: the form asks its question again.
                return []
            return [create_bot_utterance({"text": APOLOGY})]

    run_or_apologise._tend_wrapped = True  # type: ignore[attr-defined]
    RemoteAction.run = run_or_apologise  # type: ignore[method-assign]


def install_rasa_extensions() -> None:
    """Tend's changes to how Rasa itself behaves (each safe to call twice)."""
    install_log_redaction()
    install_action_unavailable_reply()
    install_cached_action_result_check()
    install_concrete_predict()
    install_shared_dialogue_states()
    install_safety_fast_path()
    install_button_payload_shortcut()
    install_remembered_rules()


def main(argv: list[str]) -> int:
    config = settings_or_report()
    if config is None:
        return 2
    # endpoints.yml reads these with ${...}; they may be derived, not set.
    os.environ["ACTION_SERVER_URL"] = config.action_server_url
    os.environ.setdefault("DATABASE_URL", config.database_url)
    install_rasa_extensions()
    install_message_guard(config)

    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
