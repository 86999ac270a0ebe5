"""The policies of one prediction share the dialogue states they work out.

Each policy asks the conversation for its past dialogue states
(`DialogueStateTracker.past_states`): Rasa replays every event of the conversation to
build them. For one prediction RulePolicy asks twice, MemoizationPolicy once and TED
once or twice, though there are only two different questions (with and without the
turns that appear only in rules). That replay was the largest cost left in a message
(docs/performance.md). Here a conversation remembers its answer to each question
until its events change, and each caller gets its own copy, because Rasa's
featurizers edit the last state they are given.

The states depend only on the events, the domain and the question, so the answers
are the same as Rasa's own; a test checks that over whole conversations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

REMEMBERED_ATTRIBUTE = "_tend_past_states"

Question = tuple[Any, ...]


def _question(
    domain: Domain,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> Question:
    rule_only = tuple(
        (name, tuple(values)) for name, values in sorted((rule_only_data or {}).items())
    )
    return id(domain), omit_unset_slots, ignore_rule_only_turns, rule_only


def _events_mark(tracker: DialogueStateTracker) -> tuple[Any, ...]:
    """Changes whenever an event is added, removed or replaced at the end."""
    events = tracker.events
    if not events:
        return (0,)
    last = events[-1]
    return len(events), id(last), type(last), last.timestamp


def _own_copy(states: list[State]) -> list[State]:
    # Sub-state values are strings and tuples: two levels of copying are enough.
    return [{part: dict(values) for part, values in state.items()} for state in states]


def install_shared_dialogue_states() -> None:
    """Makes a conversation remember its past states until its events change
    (idempotent)."""
    original: Callable[..., list[State]] = DialogueStateTracker.past_states
    if getattr(original, "_tend_shared", False):
        return

    def past_states(
        self: DialogueStateTracker,
        domain: Domain,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        mark = _events_mark(self)
        remembered = self.__dict__.get(REMEMBERED_ATTRIBUTE)
        if remembered is None or remembered[0] != mark:
            remembered = (mark, {})
            self.__dict__[REMEMBERED_ATTRIBUTE] = remembered
        question = _question(
            domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )
        answers: dict[Question, list[State]] = remembered[1]
        states = answers.get(question)
        if states is None:
            states = original(
                self,
                domain,
                omit_unset_slots=omit_unset_slots,
                ignore_rule_only_turns=ignore_rule_only_turns,
                rule_only_data=rule_only_data,
            )
            # Rasa's fresh list is kept; every caller gets a copy of it.
            answers[question] = states
        return _own_copy(states)

    past_states._tend_shared = True  # type: ignore[attr-defined]
    past_states.__wrapped__ = original  # type: ignore[attr-defined]
    DialogueStateTracker.past_states = past_states  # type: ignore[method-assign]
