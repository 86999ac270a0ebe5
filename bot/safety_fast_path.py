"""When the safety policy speaks, answer without asking the other policies.

Once `SafetyPolicy` has something to say (the crisis answer, the question after a
disclosure, the rest of its plan), it always wins: confidence 1.0 at the highest
priority, and it is a "no user" prediction, which outranks every prediction from the
user's message. Rasa still runs RulePolicy, MemoizationPolicy and TED first and then
throws their answers away: two or three times per crisis message. This asks the
safety policy's own decision (`bot.policies.safety.decide`) before the policy graph
and, when it has an action, returns what the graph's ensemble would have returned.

It steps aside (the graph runs as usual) whenever the other policies could change the
result: a follow-up action, an active form (RulePolicy may then add a
`LoopInterrupted` event), an action the last step rejected, a policy Tend does not
know, or one at the safety policy's priority or above. A model without the safety
policy (the bench's baseline) is never touched.
"""

from __future__ import annotations

from collections.abc import Callable

from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.core.policies.unexpected_intent_policy import UnexpecTEDIntentPolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.storage.storage import ModelMetadata
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    DefinePrevUserUtteredFeaturization,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.safety import SafetyPolicy, decide

# Policies known to add no events of their own while no form is active.
KNOWN_POLICIES: tuple[type[Policy], ...] = (
    SafetyPolicy,
    RulePolicy,
    MemoizationPolicy,
    TEDPolicy,
)
# A TED that predicts `action_unlikely_intent` is not one of them.
UNKNOWN_POLICIES: tuple[type[Policy], ...] = (UnexpecTEDIntentPolicy,)

# Kept on each processor (one per loaded model): the safety policy's priority, or
# None where the fast path must not apply.
PRIORITY_ATTRIBUTE = "_tend_safety_priority"


def safety_priority(metadata: ModelMetadata) -> int | None:
    """The safety policy's priority, if it outranks every other policy of the model."""
    policies: list[tuple[type[Policy], int]] = []
    for node in metadata.predict_schema.nodes.values():
        if isinstance(node.uses, type) and issubclass(node.uses, Policy):
            config = {**node.uses.get_default_config(), **node.config}
            policies.append((node.uses, int(config["priority"])))
    safety = [priority for uses, priority in policies if uses is SafetyPolicy]
    if len(safety) != 1:
        return None
    others = [priority for uses, priority in policies if uses is not SafetyPolicy]
    known = all(
        issubclass(uses, KNOWN_POLICIES) and not issubclass(uses, UNKNOWN_POLICIES)
        for uses, _ in policies
    )
    if not known or any(priority >= safety[0] for priority in others):
        return None
    return safety[0]


def _last_step_rejected(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def safety_prediction(
    tracker: DialogueStateTracker, domain: Domain, priority: int
) -> PolicyPrediction | None:
    """The ensemble's answer when the safety policy decides it, else None."""
    if tracker.followup_action or tracker.active_loop_name:
        return None
    if _last_step_rejected(tracker):
        return None
    decision = decide(tracker)
    if decision.action is None:
        return None
    probabilities = [0.0] * domain.num_actions
    probabilities[domain.index_for_action(decision.action)] = 1.0
    events = list(decision.events)
    # What the ensemble adds after a user message (Tend has no end-to-end policy).
    if tracker.latest_action_name == ACTION_LISTEN_NAME:
        events.append(DefinePrevUserUtteredFeaturization(False))
    return PolicyPrediction(
        probabilities,
        SafetyPolicy.__name__,
        priority,
        events,
        is_no_user_prediction=True,
    )


def install_safety_fast_path() -> None:
    """Ask the safety policy first on every prediction of the server's processor."""
    original: Callable[..., PolicyPrediction] = (
        MessageProcessor._predict_next_with_tracker
    )
    if getattr(original, "_tend_fast_path", False):
        return

    def _predict_next_with_tracker(
        self: MessageProcessor, tracker: DialogueStateTracker
    ) -> PolicyPrediction:
        if PRIORITY_ATTRIBUTE not in self.__dict__:
            self.__dict__[PRIORITY_ATTRIBUTE] = safety_priority(self.model_metadata)
        priority = self.__dict__[PRIORITY_ATTRIBUTE]
        if priority is not None:
            prediction = safety_prediction(tracker, self.domain, priority)
            if prediction is not None:
                return prediction
        return original(self, tracker)

    _predict_next_with_tracker._tend_fast_path = True  # type: ignore[attr-defined]
    _predict_next_with_tracker.__wrapped__ = original  # type: ignore[attr-defined]
    MessageProcessor._predict_next_with_tracker = _predict_next_with_tracker  # type: ignore[method-assign]
