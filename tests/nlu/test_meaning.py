"""The sentence encoder (bot/nlu/meaning.py) and the nearest written examples
(bot/nlu/nearest_examples.py).

tests/data/meaning_reference.json holds word pieces and vectors made by
sentence-transformers itself (PyTorch, in a separate environment; its `made_with`
says how): the numpy forward pass must give the same.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.config import PROJECT_ROOT
from bot.nlu.meaning import (
    DIMENSIONS,
    MAX_PIECES,
    MAX_WINDOWS,
    SentenceEncoder,
    VectorCache,
    shared_encoder,
)
from bot.nlu.nearest_examples import NearestExamples

REFERENCE = json.loads(
    (PROJECT_ROOT / "tests" / "data" / "meaning_reference.json").read_text("utf-8")
)["cases"]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return shared_encoder()


@pytest.mark.parametrize("case", REFERENCE, ids=lambda c: c["text"][:30] or "empty")
def test_word_pieces_are_berts(encoder, case):
    [window] = encoder.windows(case["text"])
    assert window == case["pieces"]


def test_vectors_are_sentence_transformers_vectors(encoder):
    vectors = encoder.encode([case["text"] for case in REFERENCE])
    expected = np.array([case["vector"] for case in REFERENCE])
    assert vectors.shape == (len(REFERENCE), DIMENSIONS)
    np.testing.assert_allclose(vectors, expected, atol=2e-6)


def test_a_text_reads_the_same_alone_and_in_a_batch(encoder):
    texts = ["ok", "i have given the dog to my sister for good", "a " * 40]
    together = encoder.encode(texts, batch_size=3)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_meaning_is_near_for_the_same_thing_said_differently(encoder):
    goodbye, other_goodbye, chore = encoder.encode(
        [
            "i have said goodbye to everyone and tonight is the night",
            "sent my farewells, this evening i finish it",
            "i need to hoover the stairs before my mum visits",
        ]
    )
    assert goodbye @ other_goodbye > goodbye @ chore + 0.2


def test_a_very_long_message_is_read_in_a_few_windows(encoder):
    text = "i am writing a very long letter to my younger self. " * 2000
    windows = encoder.windows(text)
    assert len(windows) == MAX_WINDOWS
    assert all(len(w) <= MAX_PIECES for w in windows)
    [vector] = encoder.encode([text])
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_unknown_and_overlong_words_are_unknown_pieces(encoder):
    pieces = encoder.pieces
    assert pieces.ids("\U0001f9a9") == [pieces.unknown]
    assert pieces.ids("a" * 101) == [pieces.unknown]
    assert pieces.ids("\u200b\x00") == []


class CountingEncoder:
    """Stands in for the encoder: counts what it is asked to work out."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        return np.array([[float(len(t))] * DIMENSIONS for t in texts], np.float32)


def test_the_cache_works_each_text_out_once(tmp_path):
    cache, counting = VectorCache(tmp_path), CountingEncoder()
    first = cache.encode(counting, ["one", "three", "one"])
    again = cache.encode(counting, ["three", "one", "fifteen"])
    assert counting.asked == ["one", "three", "fifteen"]
    np.testing.assert_array_equal(first[1], again[0])
    assert again.shape == (3, DIMENSIONS)
    assert cache.encode(counting, []).shape == (0, DIMENSIONS)


def test_a_damaged_cache_is_worked_out_again(tmp_path):
    cache, counting = VectorCache(tmp_path), CountingEncoder()
    cache.encode(counting, ["one"])
    for stored in tmp_path.glob("*.npz"):
        stored.write_bytes(b"not a cache")
    cache.encode(counting, ["one"])
    assert counting.asked == ["one", "one"]


def unit(rows: list[list[float]]) -> np.ndarray:
    vectors = np.zeros((len(rows), DIMENSIONS), np.float32)
    vectors[:, : len(rows[0])] = rows
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def examples() -> NearestExamples:
    vectors = unit([[1, 0.1], [1, 0.2], [0, 1], [0.1, 1], [0.2, 1], [0.3, 1]])
    crisis = np.array([1, 1, 0, 0, 0, 0])
    return NearestExamples(vectors, crisis, np.array([1, 1, 3, 3, 3, 3]))


def test_a_message_is_as_crisis_like_as_its_nearest_examples():
    near_crisis, near_everyday = examples().probabilities(unit([[1, 0.15], [0.1, 1]]))
    assert near_crisis > 0.99
    assert near_everyday < 0.01


def test_each_side_counts_by_its_share_not_its_number():
    # Halfway between: six everyday examples (weighted three times) do not outvote
    # two crises by number alone.
    [halfway] = examples().probabilities(unit([[1, 1]]))
    assert 0.2 < halfway < 0.8


def test_nearest_examples_are_saved_and_loaded(tmp_path):
    probe = unit([[1, 0.5], [0.4, 1]])
    saved = examples()
    saved.save(tmp_path)
    loaded = NearestExamples.load(tmp_path)
    np.testing.assert_allclose(
        loaded.probabilities(probe), saved.probabilities(probe), atol=1e-3
    )
    assert NearestExamples.load(tmp_path / "elsewhere") is None


def kinded_examples() -> NearestExamples:
    # Two crises, one message about someone else, three everyday ones.
    vectors = unit([[1, 0.1], [1, 0.2], [1, -1], [0, 1], [0.1, 1], [0.2, 1]])
    crisis = np.array([1, 1, 0, 0, 0, 0])
    kinds = np.array([0, 0, 1, 2, 2, 2])
    return NearestExamples(
        vectors, crisis, np.ones(6), kinds, ("crisis", "someone_else", "none")
    )


def test_a_message_is_of_the_kind_of_its_nearest_examples():
    rows = kinded_examples().kind_probabilities(unit([[1, 0.15], [1, -0.9], [0, 1]]))
    assert [int(np.argmax(row)) for row in rows] == [0, 1, 2]
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-6)


def test_a_rare_kind_counts_by_its_share_not_its_number():
    # As near to one example about someone else as to three everyday ones: by
    # number the three would outvote it three to one; by share it is even.
    vectors = unit([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0]])
    kinds = np.array([0, 1, 2, 2, 2])
    nearest = NearestExamples(
        vectors,
        np.array([1, 0, 0, 0, 0]),
        np.ones(5),
        kinds,
        ("crisis", "someone_else", "none"),
    )
    [halfway] = nearest.kind_probabilities(unit([[0, 1, 1]]))
    assert halfway[1] == pytest.approx(0.5, abs=0.01)


def test_kinds_are_saved_and_loaded(tmp_path):
    probe = unit([[1, 0.5], [0.4, 1], [1, -1]])
    saved = kinded_examples()
    saved.save(tmp_path)
    loaded = NearestExamples.load(tmp_path)
    assert loaded.kind_names == ("crisis", "someone_else", "none")
    np.testing.assert_allclose(
        loaded.kind_probabilities(probe), saved.kind_probabilities(probe), atol=1e-3
    )


def test_examples_without_kinds_read_no_kinds():
    assert examples().kind_probabilities(unit([[1, 0]])).shape == (1, 0)


def test_nearest_examples_need_both_kinds():
    with pytest.raises(ValueError):
        NearestExamples(unit([[1, 0]]), np.array([1]), np.array([1.0]))
