"""How crisis-like a message's meaning is: the written examples nearest to it.

The crisis reader's n-grams weigh words; a writer who says the same thing in other
words slips past them. This reads a message by the written examples it most resembles
in meaning (sentence vectors from bot.nlu.meaning): of its nearest examples, how much
is crisis and how much everyday, the nearest counting most. Each side is divided by
its size, so the many everyday examples do not outvote the crises by number alone
(as the n-grams' classifier balances its classes).

Chosen by leaving one writer out (`make eval-writers`, docs/safety-history.md): 20
neighbours and a sharpness of 0.05 (a neighbour 0.05 nearer counts e times as much).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

NEIGHBOURS = 20
SHARPNESS = 0.05
_FILE = "nearest_examples.npz"


class NearestExamples:
    """The written examples' vectors, whether each is a crisis, and its weight."""

    def __init__(
        self, vectors: np.ndarray, crisis: np.ndarray, weights: np.ndarray
    ) -> None:
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._crisis = crisis.astype(bool)
        self._weights = weights.astype(np.float32)
        self._crisis_total = float(self._weights[self._crisis].sum())
        self._everyday_total = float(self._weights[~self._crisis].sum())
        if not self._crisis_total or not self._everyday_total:
            raise ValueError("Nearest examples need crises and everyday messages.")

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """For each unit-length vector, how much of its neighbourhood is crisis."""
        if not len(vectors):
            return np.zeros(0)
        similarities = vectors.astype(np.float32) @ self._vectors.T
        count = min(NEIGHBOURS, similarities.shape[1])
        nearest = np.argpartition(-similarities, count - 1, axis=1)[:, :count]
        near = np.take_along_axis(similarities, nearest, axis=1)
        # Relative to the nearest, so the exponent never overflows.
        pull = np.exp((near - near.max(axis=1, keepdims=True)) / SHARPNESS)
        pull *= self._weights[nearest]
        crisis = (pull * self._crisis[nearest]).sum(axis=1) / self._crisis_total
        everyday = (pull * ~self._crisis[nearest]).sum(axis=1) / self._everyday_total
        return crisis / (crisis + everyday)

    def save(self, folder: Path) -> None:
        # Half precision halves the model's size; the nearest stay the nearest.
        np.savez_compressed(
            folder / _FILE,
            vectors=self._vectors.astype(np.float16),
            crisis=self._crisis,
            weights=self._weights,
        )

    @classmethod
    def load(cls, folder: Path) -> NearestExamples | None:
        """None when the model was trained without them."""
        path = folder / _FILE
        if not path.is_file():
            return None
        with np.load(path) as stored:
            return cls(stored["vectors"], stored["crisis"], stored["weights"])
