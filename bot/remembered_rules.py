"""RulePolicy remembers which rules fit a dialogue state it has already met.

On every prediction RulePolicy checks each of its rules, turn by turn, against the
conversation's states (`_get_possible_keys`): with Tend's rules that was the largest
part of a prediction after DIET (docs/performance.md). The answer depends only on
the rules, which never change while a model answers, and on the states, which
Tend's scripted flows repeat. Here the answer is kept for each states it was worked
out for (a bounded, least-recently-used memory per policy) and given again.

Installed by the server (`install_remembered_rules`), not named in config.yml: the
policy stays Rasa's own RulePolicy, so Rasa's checks that look for it by class and
name see it as before. A policy remembers only once it has answered a prediction;
training starts with no memory, because while a model trains its rules are still
being collected and checked against each other.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import State

from bot.policies.remembering_ted import StateKey, state_key

# A few hundred bytes each (a handful of rule keys): well under a MB per policy.
REMEMBERED_STATES = 4096

# Kept on each RulePolicy instance while it answers predictions.
MEMORY_ATTRIBUTE = "_tend_possible_keys"

Memory = OrderedDict[tuple[int, StateKey], frozenset[str]]


def remembered_possible_keys(
    memory: Memory,
    lookup: dict[str, str],
    states: list[State],
    work_out: Callable[[dict[str, str], list[State]], set[str]],
) -> set[str]:
    """`work_out(lookup, states)`, from memory when these states were met before."""
    # The lookups are the policy's own (rules, unhappy form paths), fixed while it
    # answers, so which of them was searched is told by its identity.
    key = (id(lookup), state_key(states))
    try:
        keys = memory.get(key)
    except TypeError:  # a value that cannot be a key (none in Rasa's states)
        return work_out(lookup, states)
    if keys is None:
        keys = frozenset(work_out(lookup, states))
        memory[key] = keys
        if len(memory) > REMEMBERED_STATES:
            memory.popitem(last=False)
    else:
        memory.move_to_end(key)
    return set(keys)


def install_remembered_rules() -> None:
    """Let every RulePolicy of the server remember its possible rules per states."""
    work_out = RulePolicy._get_possible_keys
    if getattr(work_out, "_tend_remembered", False):
        return
    predict = RulePolicy.predict_action_probabilities
    train = RulePolicy.train

    def _get_possible_keys(
        self: RulePolicy, lookup: dict[str, str], states: list[State]
    ) -> set[str]:
        memory = self.__dict__.get(MEMORY_ATTRIBUTE)
        if memory is None:
            return work_out(self, lookup, states)
        return remembered_possible_keys(
            memory, lookup, states, lambda *args: work_out(self, *args)
        )

    def predict_action_probabilities(
        self: RulePolicy, *args: Any, **kwargs: Any
    ) -> PolicyPrediction:
        self.__dict__.setdefault(MEMORY_ATTRIBUTE, OrderedDict())
        return predict(self, *args, **kwargs)

    def train_forgetting(self: RulePolicy, *args: Any, **kwargs: Any) -> Any:
        self.__dict__.pop(MEMORY_ATTRIBUTE, None)
        return train(self, *args, **kwargs)

    _get_possible_keys._tend_remembered = True  # type: ignore[attr-defined]
    _get_possible_keys.__wrapped__ = work_out  # type: ignore[attr-defined]
    RulePolicy._get_possible_keys = _get_possible_keys  # type: ignore[method-assign]
    RulePolicy.predict_action_probabilities = predict_action_probabilities  # type: ignore[method-assign]
    RulePolicy.train = train_forgetting  # type: ignore[method-assign]
