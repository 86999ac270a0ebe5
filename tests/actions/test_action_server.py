"""The action server can load every action in actions/ (as `rasa run actions` does)."""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor

TEND_ACTIONS = {
    "action_begin_flow",
    "action_answer_aside",
    "action_summarise_session",
    "validate_checkin_form",
    "validate_younger_self_form",
    "validate_letter_form",
    "action_save_letter",
    "validate_kindness_form",
    "validate_grounding_form",
}


def test_every_tend_action_registers_with_the_action_server():
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) >= TEND_ACTIONS
