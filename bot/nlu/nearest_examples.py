"""How crisis-like a message's meaning is: the written examples nearest to it.

The crisis reader's n-grams weigh words; a writer who says the same thing in other
words slips past them. This reads a message by the written examples it most resembles
in meaning (sentence vectors from bot.nlu.meaning): of its nearest examples, how much
is crisis and how much everyday, the nearest counting most. Each side is divided by
its size, so the many everyday examples do not outvote the crises by number alone
(as the n-grams' classifier balances its classes).

Chosen by leaving one writer out (`make eval-writers`, docs/safety-history.md): 20
neighbours and a sharpness of 0.05 (a neighbour 0.05 nearer counts e times as much).

The same neighbours also say which kind of message it most resembles (a crisis,
someone else's danger, a past experience, a worry, everyday), each kind divided by
its size in the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

NEIGHBOURS = 20
SHARPNESS = 0.05
_FILE = "nearest_examples.npz"


class NearestExamples:
    """The written examples' vectors, whether each is a crisis, its weight, and
    (when given) its kind: an index into `kind_names`."""

    def __init__(
        self,
        vectors: np.ndarray,
        crisis: np.ndarray,
        weights: np.ndarray,
        kinds: np.ndarray | None = None,
        kind_names: Sequence[str] = (),
    ) -> None:
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._crisis = crisis.astype(bool)
        self._weights = weights.astype(np.float32)
        self._crisis_total = float(self._weights[self._crisis].sum())
        self._everyday_total = float(self._weights[~self._crisis].sum())
        if not self._crisis_total or not self._everyday_total:
            raise ValueError("Nearest examples need crises and everyday messages.")
        self.kind_names = tuple(kind_names) if kinds is not None else ()
        self._kinds = kinds.astype(np.int16) if kinds is not None else None
        self._kind_totals = np.array(
            [
                float(self._weights[self._kinds == k].sum()) or 1.0
                for k in range(len(self.kind_names))
            ]
        )

    def _pull(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each vector's nearest examples, and how strongly each pulls."""
        similarities = vectors.astype(np.float32) @ self._vectors.T
        count = min(NEIGHBOURS, similarities.shape[1])
        nearest = np.argpartition(-similarities, count - 1, axis=1)[:, :count]
        near = np.take_along_axis(similarities, nearest, axis=1)
        # Relative to the nearest, so the exponent never overflows.
        pull = np.exp((near - near.max(axis=1, keepdims=True)) / SHARPNESS)
        return nearest, pull * self._weights[nearest]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """For each unit-length vector, how much of its neighbourhood is crisis."""
        if not len(vectors):
            return np.zeros(0)
        nearest, pull = self._pull(vectors)
        crisis = (pull * self._crisis[nearest]).sum(axis=1) / self._crisis_total
        everyday = (pull * ~self._crisis[nearest]).sum(axis=1) / self._everyday_total
        return crisis / (crisis + everyday)

    def kind_probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """For each unit-length vector, how much of its neighbourhood is of each
        kind (columns in the order of `kind_names`); no columns without kinds."""
        if self._kinds is None or not len(vectors):
            return np.zeros((len(vectors), len(self.kind_names)))
        nearest, pull = self._pull(vectors)
        kinds = self._kinds[nearest]
        shares = np.stack(
            [
                (pull * (kinds == k)).sum(axis=1) / total
                for k, total in enumerate(self._kind_totals)
            ],
            axis=1,
        )
        return shares / shares.sum(axis=1, keepdims=True)

    def save(self, folder: Path) -> None:
        # Half precision halves the model's size; the nearest stay the nearest.
        kinds = {}
        if self._kinds is not None:
            kinds = {"kinds": self._kinds, "kind_names": np.array(self.kind_names)}
        np.savez_compressed(
            folder / _FILE,
            vectors=self._vectors.astype(np.float16),
            crisis=self._crisis,
            weights=self._weights,
            **kinds,
        )

    @classmethod
    def load(cls, folder: Path) -> NearestExamples | None:
        """None when the model was trained without them."""
        path = folder / _FILE
        if not path.is_file():
            return None
        with np.load(path) as stored:
            kinds = stored.get("kinds")
            names = [str(n) for n in stored["kind_names"]] if kinds is not None else ()
            return cls(
                stored["vectors"], stored["crisis"], stored["weights"], kinds, names
            )
