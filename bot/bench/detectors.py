"""What Tend's own NLU readers cost on their own, in microseconds a message.

`CrisisDetector.assess` (also on one 100 KB message), `FeelingsFinder.find` and the
learnt crisis reader (`CrisisModel.read`, one message at a time as Rasa hands them
over, its probability asked for, so its meaning is worked out whenever the words do
not call the message everyday) run in this process on the bench's messages
(ordinary and crisis text mixed), each call timed on its own after a
warm-up pass that fills their per-token caches, as a running server's are.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bot.bench.stats import percentile


@dataclass(frozen=True)
class CallCost:
    """Microseconds per call of one detector."""

    calls: int
    mean_us: float
    p50_us: float
    p99_us: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            key: round(value, 1) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }


def time_calls(
    function: Callable[[str], Any], texts: Sequence[str], rounds: int
) -> CallCost:
    """Calls `function` on every text `rounds` times (after one untimed round)."""
    for text in texts:
        function(text)
    micros = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter_ns()
            function(text)
            micros.append((time.perf_counter_ns() - started) / 1000.0)
    return CallCost(
        calls=len(micros),
        mean_us=sum(micros) / len(micros),
        p50_us=percentile(micros, 0.50),
        p99_us=percentile(micros, 0.99),
    )


def measure_detectors(texts: Sequence[str], rounds: int) -> dict[str, CallCost]:
    """The word-list detectors, sharing one spaCy pipeline as they do inside Rasa,
    and the learnt crisis reader, trained here as `rasa train` trains it."""
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.config import PROJECT_ROOT
    from bot.nlu.crisis import CrisisDetector
    from bot.nlu.crisis_model import train_configured_reader
    from bot.nlu.feelings import FeelingsFinder
    from bot.nlu.reader_step import reader_step
    from bot.nlu.spacy_pipeline import load_pipeline

    nlp = load_pipeline()
    crisis = CrisisDetector.from_lexicon(nlp=nlp)
    feelings = FeelingsFinder.from_lexicon(nlp=nlp)
    learnt = train_configured_reader(
        reader_step(PROJECT_ROOT / "config.yml"),
        load_data(str(PROJECT_ROOT / "data" / "nlu")),
    )
    # A 100 KB message with a crisis at its end: far past MAX_MESSAGE_CHARS, which an
    # operator may raise. The unit tests count that this reading's work grows with the
    # length (tests/work_count.py); this times it.
    joined = " ".join(texts)
    longest = (joined * (100_000 // max(1, len(joined)) + 1))[:100_000]
    return {
        "crisis_assess": time_calls(crisis.assess, texts, rounds),
        "crisis_assess_100kb": time_calls(
            crisis.assess, [longest + " i want to die"], max(3, rounds // 20)
        ),
        "feelings_find": time_calls(feelings.find, texts, rounds),
        "crisis_learnt_read": time_calls(
            lambda text: learnt.read([text])[0].probability, texts, rounds
        ),
    }
