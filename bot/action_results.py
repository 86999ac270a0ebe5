"""Checks the action server's answers with a schema validator built once, not per call.

Rasa checks every answer from the action server against its response schema with
`jsonschema.validate()`, which first checks the schema itself against the JSON
Schema meta-schema, on every call. With the installed jsonschema that costs about
a third of the Rasa server's time for a message that runs custom actions (measured
with cProfile on Tend's check-in: 140 ms of each answer's check was the schema
check). `install_cached_action_result_check()` makes Rasa build the validator once
and check only the answer; what is accepted or refused, and the error Rasa raises
for a bad answer, stay the same.

Installed by `bot/server.py` before Rasa starts.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _answer_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once: the schema is Rasa's and fixed
    return validator_class(schema)


@lru_cache(maxsize=1)
def _quick_validators() -> tuple[Any, dict[str, Any]]:
    """The answer without its events' kinds, and one validator per kind of event."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    items = schema["properties"]["events"]["items"]
    common = {key: value for key, value in items.items() if key != "oneOf"}
    answer = copy.deepcopy(schema)
    answer["properties"]["events"]["items"] = {"type": "object"}
    kinds = {
        kind["properties"]["event"]["const"]: validator_class(
            {**common, "allOf": [kind]}
        )
        for kind in items["oneOf"]
    }
    return validator_class(answer), kinds


def quickly_valid(result: Any) -> bool:
    """True only if the full check would accept `result` too (False: not known)."""
    answer, kinds = _quick_validators()
    if not answer.is_valid(result):
        return False
    for event in result.get("events") or []:
        name = event.get("event")  # events are objects: checked above
        kind = kinds.get(name) if isinstance(name, str) else None
        if kind is None or not kind.is_valid(event):
            return False
    return True


def check_action_answer(result: dict[str, Any]) -> bool:
    """Raises jsonschema's `ValidationError` as Rasa would if `result` is malformed."""
    from jsonschema.exceptions import best_match

    if quickly_valid(result):
        return True
    error = best_match(_answer_validator().iter_errors(result))
    if error is not None:
        raise error
    return True


def install_cached_action_result_check() -> None:
    """Makes Rasa's RemoteAction check answers with the validator built once."""
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction._validate_action_result, "_tend_cached", False):
        return

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            return check_action_answer(result)
        except ValidationError as error:
            # The same hint Rasa adds to the message.
            error.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise

    validate_action_result._tend_cached = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
