"""DIET and TED answer through their one traced TensorFlow graph, called directly.

Rasa wraps each model's prediction step in a `tf.function` with a fixed input
signature (`RasaModel._rasa_predict`). Every call then goes through TensorFlow's
polymorphic dispatch: it casts the inputs against the signature and works out
their type to look the traced graph up again, though with a fixed signature there
is only ever one graph. That dispatch took 2.8 ms of a TED call's 5.5 ms here
(docs/performance.md), and a message makes one DIET call and a TED call for every
action Tend predicts. Here the traced graph (the signature's concrete function) is
looked up once per model and called directly: same graph, same weights, same
outputs, less overhead. A test checks the readings are equal.
"""

from __future__ import annotations

from typing import Any

CONCRETE_ATTRIBUTE = "_tend_concrete_predict"


def install_concrete_predict() -> None:
    """Makes Rasa's TensorFlow models call their traced graph directly (idempotent)."""
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow import models

    original = models.RasaModel._rasa_predict
    if getattr(original, "_tend_concrete", False):
        return

    def predict(self: models.RasaModel, batch_in: Any) -> dict[str, Any]:
        concrete = getattr(self, CONCRETE_ATTRIBUTE, None)
        if concrete is None:
            # The first call (or an eager model) is Rasa's own: it prepares the
            # model and traces the graph for the signature of this batch.
            outputs = original(self, batch_in)
            if not self._run_eagerly and self._tf_predict_step is not None:
                setattr(
                    self,
                    CONCRETE_ATTRIBUTE,
                    self._tf_predict_step.get_concrete_function(),
                )
            return outputs
        self._training = False
        outputs = tf_utils.sync_to_numpy_or_python_type(concrete(batch_in))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(
                outputs[DIAGNOSTIC_DATA]
            )
        return outputs

    predict._tend_concrete = True  # type: ignore[attr-defined]
    predict.__wrapped__ = original  # type: ignore[attr-defined]
    models.RasaModel._rasa_predict = predict  # type: ignore[method-assign]
