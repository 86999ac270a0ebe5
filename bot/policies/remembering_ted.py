"""TED that remembers its answer for each dialogue state it has already met.

TED's answer depends only on the dialogue state it is shown: the last few turns'
intents, entity names, actions, slots and the active form (`max_history` of them),
featurised the same way every time, through weights that never change while a model
is loaded. Tend's conversations are scripted, so people pass through the same states
again and again, and TED's TensorFlow call was the largest single cost of a message
(docs/performance.md). Here the answer for a state is kept (a bounded,
least-recently-used memory per loaded model) and given again when the same state
comes back: the same probabilities, without featurising or calling TensorFlow.

When TED would read the person's own words (end-to-end stories, which Tend does not
use), the words are part of the state and nothing is remembered.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

# About 3 KB each (one float per action): a few MB per loaded model at most.
REMEMBERED_STATES = 2048

StateKey = tuple[Any, ...]


def state_key(states: list[dict[str, dict[str, Any]]]) -> StateKey:
    """A hashable form of Rasa's states (their values are strings and tuples)."""
    return tuple(
        tuple(
            (part, tuple(sorted(values.items(), key=lambda item: item[0])))
            for part, values in sorted(state.items(), key=lambda item: item[0])
        )
        for state in states
    )


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True
)
class RememberingTEDPolicy(TEDPolicy):
    """TEDPolicy, trained and configured alike, that answers a known state at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answers: OrderedDict[StateKey, tuple[np.ndarray, Any]] = OrderedDict()

    def _reads_words(self, tracker: DialogueStateTracker) -> bool:
        # TED's second reading of a user turn uses the text (see _featurize_tracker).
        return self.only_e2e or (
            tracker.latest_action_name == ACTION_LISTEN_NAME
            and TEXT in self.fake_features
        )

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        if self.model is None or self._reads_words(tracker):
            return super().predict_action_probabilities(
                tracker, domain, rule_only_data=rule_only_data, **kwargs
            )
        key = state_key(
            self._prediction_states(tracker, domain, rule_only_data=rule_only_data)
        )
        remembered = self._answers.get(key)
        if remembered is not None:
            self._answers.move_to_end(key)
            confidences, diagnostic_data = remembered
            return self._prediction(
                confidences.tolist(), diagnostic_data=diagnostic_data
            )
        prediction = super().predict_action_probabilities(
            tracker, domain, rule_only_data=rule_only_data, **kwargs
        )
        if not prediction.is_end_to_end_prediction and not prediction.optional_events:
            self._answers[key] = (
                np.asarray(prediction.probabilities, dtype=np.float64),
                prediction.diagnostic_data,
            )
            if len(self._answers) > REMEMBERED_STATES:
                self._answers.popitem(last=False)
        return prediction
