"""The policies share the dialogue states they work out, and each prediction carries
on from the last one instead of starting again.

Each policy asks the conversation for its past dialogue states
(`DialogueStateTracker.past_states`): Rasa replays every event of the conversation to
build them. For one prediction RulePolicy asks twice, MemoizationPolicy once and TED
once or twice, though there are only two different questions (with and without the
turns that appear only in rules); and a message needs several predictions (one per
action Tend takes), each replaying the whole conversation again for the one or two
events added since. That replay was the largest cost left in a message
(docs/performance.md).

Here Tend keeps, per conversation and question, Rasa's replay paused at its last
event: the replayed conversation and the states so far (the most recent
`REMEMBERED_REPLAYS`). A later question replays only the events added since, also on
the next message, when the tracker store has built the conversation anew: its copies
of earlier events are recognised by kind, time and content. Where the new events
could change how earlier ones count (a restart, a new session, an undo, a form's turn
that Rasa folds into its previous one, a form not seen before), it starts again from
the first event, as Rasa does. The replay is Rasa's own loop
(`Domain.states_for_tracker_history` in Rasa 3.6), cut in steps; a test compares every
answer with Rasa's own. Each caller gets its own copy, because Rasa's featurizers edit
the last state they are given. A deleted conversation's replays are dropped
(`forget_dialogue_states`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from itertools import islice
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Events that make Rasa drop or undo events before them.
STARTS_AGAIN = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)

Question = tuple[Any, ...]

# Replays kept, the most recently asked last: (conversation, question) -> replay.
# Two questions a conversation: the last 128 conversations carry on.
REMEMBERED_REPLAYS = 256
_replays: OrderedDict[tuple[str, Question], Replay] = OrderedDict()


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


def _same(replayed: Event, event: Event) -> bool:
    """The same event, or the store's copy of it: same kind, time and content."""
    return replayed is event or (
        type(replayed) is type(event)
        and replayed.timestamp == event.timestamp
        and replayed == event
    )


def _own_copy(states: list[State]) -> list[State]:
    # Sub-state values are strings and tuples: two levels of copying are enough.
    return [{part: dict(values) for part, values in state.items()} for state in states]


def _loop_names(events: Any) -> frozenset[str]:
    return frozenset(
        event.name for event in events if isinstance(event, ActiveLoop) and event.name
    )


class Replay:
    """Rasa's replay of one conversation for one question, paused at its last event."""

    def __init__(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        omit_unset_slots: bool,
        ignore_rule_only_turns: bool,
        rule_only_data: dict[str, Any] | None,
    ) -> None:
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.ignore_rule_only_turns = ignore_rule_only_turns
        self.rule_only_data = rule_only_data
        self.replayed = tracker.init_copy()
        self.applied: list[Event] = []
        self.states: list[State] = []  # one per action so far (the last one is not)
        self.last_ml_action: SubState | None = None
        self.turn_was_hidden = False
        events = tracker.events
        self.loop_names = _loop_names(events)
        self.events = list(events)  # every event seen, applied or not
        for event in tracker.applied_events():
            self._apply(event)
        self.answer = self._with_current_state()

    def carry_on(self, tracker: DialogueStateTracker) -> bool:
        """Replays the events added since; False if it must start again."""
        events = tracker.events
        seen = len(self.events)
        if len(events) < seen:
            return False
        known = zip(self.events, islice(events, seen), strict=True)
        if not all(_same(replayed, event) for replayed, event in known):
            return False
        if len(events) == seen:
            return True
        new = list(islice(events, seen, None))
        if any(isinstance(event, STARTS_AGAIN) for event in new):
            return False
        if not _loop_names(new) <= self.loop_names:
            return False  # a new form changes how earlier form turns count
        for event in new:
            if (
                isinstance(event, ActionExecuted)
                and event.action_name in self.loop_names
                and not tracker._first_loop_execution_or_unhappy_path(
                    event.action_name, self.applied
                )
            ):
                return False  # Rasa folds this form turn into its previous one
            self._apply(event)
        self.events.extend(new)
        self.answer = self._with_current_state()
        return True

    def _apply(self, event: Event) -> None:
        if isinstance(event, ActionExecuted):
            self.last_ml_action, self.turn_was_hidden = self._add_state(
                self.states,
                event.hide_rule_turn,
                self.last_ml_action,
                self.turn_was_hidden,
            )
        self.replayed.update(event)
        self.applied.append(event)

    def _with_current_state(self) -> list[State]:
        states = list(self.states)
        self._add_state(states, False, self.last_ml_action, self.turn_was_hidden)
        return states

    def _add_state(
        self,
        states: list[State],
        hide_rule_turn: bool,
        last_ml_action: SubState | None,
        turn_was_hidden: bool,
    ) -> tuple[SubState | None, bool]:
        """One step of Rasa's `states_for_tracker_history` loop, where the replay is."""
        replayed, domain = self.replayed, self.domain
        if self.ignore_rule_only_turns:
            # The previous action as ML policies saw it: from the last shown turn.
            if not turn_was_hidden:
                last_ml_action = domain._get_prev_action_sub_state(replayed)
            # A follow-up action or a form's own turn keeps the hidden flag as it was.
            if (
                not replayed.followup_action
                and replayed.latest_action_name != replayed.active_loop_name
            ):
                turn_was_hidden = hide_rule_turn
            if turn_was_hidden:
                return last_ml_action, turn_was_hidden
        state = domain.get_active_state(
            replayed, omit_unset_slots=self.omit_unset_slots
        )
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action:
                state[PREVIOUS_ACTION] = last_ml_action
        states.append(domain._clean_state(state))
        return last_ml_action, turn_was_hidden


def forget_dialogue_states(sender_id: str) -> None:
    """Drops what is kept of a conversation whose data was deleted (its replays
    hold its events, words included)."""
    for key in [key for key in _replays if key[0] == sender_id]:
        del _replays[key]


def install_shared_dialogue_states() -> None:
    """Makes a conversation keep its replays between questions (idempotent)."""
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
        question = _question(
            domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )
        key = (self.sender_id, question)
        replay = _replays.get(key)
        if replay is None or not replay.carry_on(self):
            replay = Replay(
                self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
            )
            _replays[key] = replay
        _replays.move_to_end(key)
        while len(_replays) > REMEMBERED_REPLAYS:
            _replays.popitem(last=False)
        return _own_copy(replay.answer)

    past_states._tend_shared = True  # type: ignore[attr-defined]
    past_states.__wrapped__ = original  # type: ignore[attr-defined]
    DialogueStateTracker.past_states = past_states  # type: ignore[method-assign]
