"""A learnt second reader for crisis language, next to the word lists.

The word lists (`bot.nlu.crisis`) read what they were written for and nothing else:
on wording nobody had seen, they found about two crises in three. This reader is a
small text classifier trained at `rasa train` from written examples
(`data/crisis_examples/*.yml`: crises in many voices, and everyday messages that
share their words; and the word lists' development sets named in config.yml, in
three more writers' voices), from Tend's own ordinary NLU examples, from check-in
answers made of the feeling words (`data/lexicons/feelings.yml`), and from the
messages of the everyday conversations of the conversation sets config.yml names:
all everyday language by definition. It gives three answers for a message: how
likely it is to be a crisis now; if it is, which category; and how likely it is to
be one of the other kinds the lists read (someone else's danger, a past experience,
a worry), which the lists alone read only about half the time.

It only adds: `CrisisClassifier` asks it only when the word lists found nothing at
all (no crisis, no past experience, no one else, no everyday idiom) or only a worry
the writer does not deny, and a crisis it reads becomes Tend's crisis reply (sure)
or the direct, kind question about thoughts of ending life (less sure). Where the
lists found nothing, another kind it is sure of gets that kind's reply (a worry is
counted as a faint sign). See docs/safety.md for the figures and
docs/safety-history.md for how they came about.

It reads in two halves, averaged. The words: word 1-2-grams and character
2-5-grams of the normalised text (so typos and look-alike spellings still resemble
the words they stand for), weighted by TF-IDF, and a logistic regression with
balanced classes. The meaning: the written examples nearest in meaning
(bot.nlu.nearest_examples, with the sentence encoder of bot.nlu.meaning), which
finds crises told in words no example used. Nothing is downloaded; the encoder
comes installed.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from bot.config import PROJECT_ROOT
from bot.nlu.conversation_sets import ConversationSetError, load_conversation_set
from bot.nlu.meaning import MeaningModelMissing, VectorCache, model_identity
from bot.nlu.meaning import shared_encoder as meaning_encoder
from bot.nlu.nearest_examples import NearestExamples
from bot.nlu.normalise import normalise_text
from bot.nlu.reader_step import (
    READER_CONVERSATIONS_KEY,
    READER_FILES_KEY,
    named_files,
)
from bot.nlu.safety_intents import SAFETY_INTENTS

logger = logging.getLogger(__name__)

DEFAULT_EXAMPLES = "data/crisis_examples"
DEFAULT_FEELINGS = "data/lexicons/feelings.yml"
# How people answer "how are you feeling?" with a word of the feelings list. The
# check-in's own words are everyday language here ("hurt", "out of my depth"), never
# a crisis by themselves; without these the reader read "hurt" as harm to others.
FEELING_ANSWERS = ("{}", "i feel {}", "{} i think")
# Tend's own everyday messages (its NLU examples and the check-in answers) count
# three times: they are what people type in Tend's flows, and the development sets
# add many crises that begin as they do ("i dont want to ...", a racing heart).
# Chosen from 1-4 on tests/data/crisis_blind2.yml and tests/data/nlu_holdout.yml
# (docs/safety-history.md).
TEND_EVERYDAY_WEIGHT = 3.0
CATEGORIES = ("medical", "suicide", "abuse", "harm_to_others", "self_harm")
# The labels that are not a crisis now but still need a reply of their own.
OTHER_KINDS = ("someone_else", "disclosure", "worry")
# Every label the kinds' classifier learns, in a fixed order.
KINDS = ("crisis", *OTHER_KINDS, "none")
# Written into the fingerprint: a model saved in an older shape is retrained.
_MODEL_SHAPE = "crisis, category and other kinds, in words and meaning"
# Below this the words are sure enough that a message is none of the other kinds,
# and its meaning is not asked about them: at a half share, no reading under 0.2
# could reach the lowest line at which Tend acts on one (0.6; a test checks
# config.yml against it).
KIND_MEANING_FLOOR = 0.2
# What the reader leaves on each message for CrisisClassifier (not in Rasa's output).
READING_KEY = "tend_learnt_crisis"
# Tend's own intents that are not everyday language: never used as counter-examples.
NOT_EVERYDAY_INTENTS = frozenset(SAFETY_INTENTS)
# How much the meaning counts against the words (0: words alone). Chosen by leaving
# one writer out (docs/safety-history.md): at a half, a quarter fewer crises were
# missed and half as many everyday messages were escalated.
DEFAULT_MEANING_SHARE = 0.5
# Below this the words are sure enough that a message is everyday, and its meaning
# is not worked out: at a half share, no reading under 0.1 could reach the 0.55 at
# which Tend asks (tests/nlu/test_crisis_model.py checks config.yml against it).
# A faint sign (crisis.py's `learnt_faint`, under the question) is read above it only.
MEANING_FLOOR = 0.1
# Vectors of the written examples, kept between trainings (they take minutes).
MEANING_CACHE = PROJECT_ROOT / "var" / "meaning"
_MODEL_FILE = "crisis_model.joblib"


class CrisisExamplesError(ValueError):
    """An examples file cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Example:
    """One written message: a crisis now (with its category) or not, and which
    other kind when it is one (`OTHER_KINDS`; "none" for everyday)."""

    text: str
    crisis: bool
    category: str | None = None
    kind: str = "none"

    @property
    def label(self) -> str:
        """What the kinds' classifier learns: crisis, an other kind, or none."""
        return "crisis" if self.crisis else self.kind


@dataclass
class LearntReading:
    """How likely the message is a crisis now, and its most likely category; and,
    in `kinds`, how likely it is each kind (`KINDS`).

    `words` is the n-grams' probability. `probability` adds the meaning's at its
    `share`, worked out only when first asked for: the meaning costs about 15 ms,
    and only messages the word lists leave to the reader need it. `kinds` does the
    same with `word_kinds` and `kind_meaning` (one sentence vector serves both).
    """

    words: float
    category: str
    meaning: Callable[[], float] | None = field(default=None, repr=False, compare=False)
    share: float = 0.0
    word_kinds: dict[str, float] = field(default_factory=dict, compare=False)
    kind_meaning: Callable[[], dict[str, float]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def kinds(self) -> dict[str, float]:
        words = self.word_kinds
        likeliest = max((words.get(k, 0.0) for k in OTHER_KINDS), default=0.0)
        if self.kind_meaning is None or likeliest < KIND_MEANING_FLOOR:
            return words
        try:
            meaning = self.kind_meaning()
        except Exception:  # the words still read it
            logger.exception("The crisis reader's meaning failed; the words decide.")
            return words
        return {
            kind: (1.0 - self.share) * value + self.share * meaning.get(kind, 0.0)
            for kind, value in words.items()
        }

    def likeliest_other_kind(self) -> tuple[str, float]:
        """The other kind (`OTHER_KINDS`) the message most likely is, and how
        likely; ("none", 0.0) when the model reads no kinds."""
        if not self.kinds:
            return "none", 0.0
        kind = max(OTHER_KINDS, key=lambda k: self.kinds.get(k, 0.0))
        return kind, self.kinds.get(kind, 0.0)

    @cached_property
    def probability(self) -> float:
        if self.meaning is None or self.words < MEANING_FLOOR:
            return self.words
        try:
            meaning = self.meaning()
        except Exception:  # the words still read it
            logger.exception("The crisis reader's meaning failed; the words decide.")
            return self.words
        return (1.0 - self.share) * self.words + self.share * meaning


def example_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def examples_digest(folder: Path, also: Sequence[Path] = ()) -> str:
    """The SHA-256 of every examples file, so editing one retrains the reader."""
    digest = hashlib.sha256()
    for path in [*example_files(folder), *also]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def load_examples(folder: Path, also: Sequence[Path] = ()) -> list[Example]:
    """The written examples of every file in `folder`, and of the files `also`
    names, checked."""
    return [
        example
        for path in [*example_files(folder), *also]
        for example in load_example_file(path)
    ]


def load_example_file(path: Path) -> list[Example]:
    """One examples file, checked. `expect: crisis` needs a known category; every
    other label (`none`, `disclosure`, `someone_else`, `worry`) is not a crisis now."""
    if not path.is_file():
        raise CrisisExamplesError(
            f"{path}: there is no such file; config.yml names it for the learnt "
            "crisis reader. Fix the path or take it out."
        )
    try:
        cases = (yaml.safe_load(path.read_text(encoding="utf-8")) or {})["cases"]
        if not isinstance(cases, list):
            raise TypeError("`cases:` is not a list")
    except (yaml.YAMLError, KeyError, TypeError) as error:
        raise CrisisExamplesError(
            f"{path}: could not be read as a list under `cases:` ({error})."
        ) from error
    examples: list[Example] = []
    for number, case in enumerate(cases, start=1):
        case = case if isinstance(case, dict) else {}
        text, expect = case.get("text"), case.get("expect")
        category = case.get("category")
        if not isinstance(text, str) or not text.strip():
            raise CrisisExamplesError(f"{path}: case {number} has no `text`.")
        if expect == "crisis" and category not in CATEGORIES:
            raise CrisisExamplesError(
                f"{path}: case {number} ({text[:40]!r}) is a crisis, so it needs "
                f"a `category`: one of {', '.join(CATEGORIES)}."
            )
        kind = expect if expect in OTHER_KINDS else "none"
        examples.append(Example(text, expect == "crisis", category, kind))
    return examples


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    token_pattern=r"[a-z0-9']+",
                    sublinear_tf=True,
                ),
            ),
            (
                "characters",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    sublinear_tf=True,
                ),
            ),
        ]
    )


def _classifier() -> LogisticRegression:
    return LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000)


class CrisisModel:
    """Three small classifiers on the same word features (crisis now or not; for
    crises the category; which kind of message, crisis and the other kinds), and
    the written examples nearest in meaning."""

    def __init__(
        self,
        features: FeatureUnion,
        detector: LogisticRegression,
        categoriser: LogisticRegression,
        kinds: LogisticRegression,
        nearest: NearestExamples | None = None,
        meaning_share: float = 0.0,
    ) -> None:
        self._features = features
        self._detector = detector
        self._categoriser = categoriser
        self._kinds = kinds
        self._fast = _FastReader(features, detector, categoriser, kinds)
        self._nearest = nearest if meaning_share > 0 else None
        self._share = meaning_share

    @classmethod
    def train(
        cls,
        examples: Sequence[Example],
        everyday: Iterable[str],
        everyday_weight: float = 1.0,
        meaning_share: float = 0.0,
    ) -> CrisisModel:
        """`everyday` are messages known to be everyday, each counted
        `everyday_weight` times as much as one written example. With a
        `meaning_share`, the examples' meaning is learnt too."""
        texts = [normalise_text(e.text) for e in examples]
        labels = [int(e.crisis) for e in examples]
        kinds = [e.label for e in examples]
        weights = [1.0] * len(examples)
        for text in everyday:
            texts.append(normalise_text(text))
            labels.append(0)
            kinds.append("none")
            weights.append(everyday_weight)
        if len(set(labels)) < 2:
            raise CrisisExamplesError(
                "The crisis examples need both crises and everyday messages."
            )
        features = _features().fit(texts)
        vectors = features.transform(texts)
        detector = _classifier().fit(vectors, labels, sample_weight=weights)
        crises = [i for i, e in enumerate(examples) if e.crisis]
        categoriser = _classifier().fit(
            vectors[crises], [examples[i].category for i in crises]
        )
        kinds_classifier = _classifier().fit(vectors, kinds, sample_weight=weights)
        nearest = None
        if meaning_share:
            nearest = _nearest_examples(texts, labels, weights, kinds)
        return cls(
            features, detector, categoriser, kinds_classifier, nearest, meaning_share
        )

    def read(self, texts: Sequence[str]) -> list[LearntReading]:
        """One reading per text, in order."""
        readings = []
        for text in texts:
            normalised = normalise_text(text)
            words, category, kinds = self._fast.read(normalised)
            meaning = kind_meaning = None
            if self._nearest is not None:
                meaning, kind_meaning = _meaning_of(self._nearest, normalised)
            readings.append(
                LearntReading(
                    words, category, meaning, self._share, kinds, kind_meaning
                )
            )
        return readings

    def read_with_sklearn(self, texts: Sequence[str]) -> list[LearntReading]:
        """The same readings through scikit-learn (to check `read` against)."""
        if not texts:
            return []
        vectors = self._features.transform([normalise_text(text) for text in texts])
        probabilities = self._detector.predict_proba(vectors)[:, 1]
        categories = self._categoriser.predict(vectors)
        kinds = self._kinds.predict_proba(vectors)
        names = [str(k) for k in self._kinds.classes_]
        return [
            LearntReading(
                float(p),
                str(c),
                word_kinds={n: float(v) for n, v in zip(names, row, strict=True)},
            )
            for p, c, row in zip(probabilities, categories, kinds, strict=True)
        ]

    def save(self, folder: Path) -> None:
        joblib.dump(
            (self._features, self._detector, self._categoriser, self._kinds),
            folder / _MODEL_FILE,
        )
        if self._nearest is not None:
            self._nearest.save(folder)

    @classmethod
    def load(cls, folder: Path, meaning_share: float = 0.0) -> CrisisModel:
        features, detector, categoriser, kinds = joblib.load(folder / _MODEL_FILE)
        nearest = NearestExamples.load(folder) if meaning_share else None
        if nearest is not None:
            try:
                meaning_encoder()
            except MeaningModelMissing as missing:
                logger.warning("The crisis reader reads words only: %s", missing)
                nearest = None
        return cls(features, detector, categoriser, kinds, nearest, meaning_share)


def _nearest_examples(
    texts: list[str], labels: list[int], weights: list[float], kinds: list[str]
) -> NearestExamples | None:
    """The examples' meaning; None (words alone) when the encoder is missing."""
    try:
        encoder = meaning_encoder()
    except MeaningModelMissing as missing:
        logger.warning("The crisis reader learns words only: %s", missing)
        return None
    vectors = VectorCache(MEANING_CACHE).encode(encoder, texts)
    codes = np.array([KINDS.index(kind) for kind in kinds])
    return NearestExamples(vectors, np.array(labels), np.array(weights), codes, KINDS)


def _meaning_of(
    nearest: NearestExamples, text: str
) -> tuple[Callable[[], float], Callable[[], dict[str, float]] | None]:
    """How crisis-like the text's meaning is, and how like each kind, when asked;
    the text's vector is worked out once, for whichever is asked first. No kinds
    when the examples were stored without them: the words alone say the kind
    (an empty meaning would halve every kind instead)."""

    @cache
    def vector() -> np.ndarray:
        return meaning_encoder().encode([text])

    def meaning() -> float:
        return float(nearest.probabilities(vector())[0])

    def kinds() -> dict[str, float]:
        [row] = nearest.kind_probabilities(vector())
        return {
            str(name): float(value)
            for name, value in zip(nearest.kind_names, row, strict=True)
        }

    return meaning, (kinds if nearest.kind_names else None)


class _FastReader:
    """`CrisisModel.read` for one message at a time, in plain Python.

    scikit-learn's transform and predict cost about 1.4 ms a message, almost all of
    it in per-call checks; the arithmetic is a few hundred multiplications. This
    does the same sums (TF-IDF with sublinear counts, each block of features scaled
    to length 1, then the three linear models), about 15 times faster.
    """

    def __init__(
        self,
        features: FeatureUnion,
        detector: LogisticRegression,
        categoriser: LogisticRegression,
        kinds: LogisticRegression,
    ) -> None:
        # Per block: its analyser, its terms (numbered across all blocks), its IDF.
        self._blocks: list[tuple[Callable[[str], list[str]], dict[str, int], Any]] = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            terms = {term: i + offset for term, i in vectorizer.vocabulary_.items()}
            idf = {i + offset: w for i, w in enumerate(vectorizer.idf_)}
            self._blocks.append((vectorizer.build_analyzer(), terms, idf))
            offset += len(terms)
        self._crisis_weights = detector.coef_[0]
        self._crisis_bias = float(detector.intercept_[0])
        self._category_weights = categoriser.coef_
        self._category_bias = categoriser.intercept_
        self._categories = [str(c) for c in categoriser.classes_]
        self._kind_weights = kinds.coef_
        self._kind_bias = kinds.intercept_
        self._kinds = [str(k) for k in kinds.classes_]

    def read(self, text: str) -> tuple[float, str, dict[str, float]]:
        """The words' crisis probability, the likeliest category, and each kind's
        probability (a softmax, as scikit-learn's multinomial regression)."""
        indices: list[int] = []
        values: list[float] = []
        for analyse, terms, idf in self._blocks:
            counts = Counter(
                index
                for term in analyse(text)
                if (index := terms.get(term)) is not None
            )
            block = [(1.0 + math.log(n)) * idf[i] for i, n in counts.items()]
            length = math.sqrt(sum(v * v for v in block)) or 1.0
            indices += counts.keys()
            values += [v / length for v in block]
        weights = self._crisis_weights
        score = self._crisis_bias + sum(
            weights[i] * v for i, v in zip(indices, values, strict=True)
        )
        categories = self._category_bias + (
            self._category_weights[:, indices] @ values if indices else 0.0
        )
        if len(self._categories) == 2:
            # Two categories: scikit-learn keeps one score, for the second.
            category = self._categories[int(categories[0] > 0)]
        else:
            best = max(range(len(self._categories)), key=lambda k: categories[k])
            category = self._categories[best]
        kinds = self._kind_bias + (
            self._kind_weights[:, indices] @ values if indices else 0.0
        )
        return _sigmoid(score), category, _kind_probabilities(self._kinds, kinds)


def _kind_probabilities(names: list[str], scores: Any) -> dict[str, float]:
    """Each kind's probability from the kinds' scores: a softmax, or, for two
    kinds, scikit-learn's one score for the second."""
    if len(names) == 2:
        second = _sigmoid(float(scores[0]))
        return {names[0]: 1.0 - second, names[1]: second}
    top = float(np.max(scores))
    exps = [math.exp(float(s) - top) for s in scores]
    total = sum(exps)
    return {name: e / total for name, e in zip(names, exps, strict=True)}


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    small = math.exp(score)
    return small / (1.0 + small)


def feeling_answers(feelings: Path) -> list[str]:
    """Answers to a check-in made of each word of the feelings list."""
    from bot.nlu.feelings import load_feelings_lexicon

    lexicon = load_feelings_lexicon(feelings)
    words = sorted(
        {word for family in lexicon.families() for word in lexicon.words_in(family)}
    )
    return [answer.format(word) for word in words for answer in FEELING_ANSWERS]


def everyday_examples(training_data: TrainingData) -> list[str]:
    """Tend's ordinary NLU examples: everyday language, by definition."""
    return [
        message.get(TEXT)
        for message in training_data.intent_examples
        if message.get(INTENT) not in NOT_EVERYDAY_INTENTS and message.get(TEXT)
    ]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LearntCrisisReader(GraphComponent):
    """Reads each message with the learnt crisis model; CrisisClassifier decides."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "examples": DEFAULT_EXAMPLES,
            READER_FILES_KEY: [],
            READER_CONVERSATIONS_KEY: [],
            "feelings": DEFAULT_FEELINGS,
            "meaning_share": DEFAULT_MEANING_SHARE,
        }

    @staticmethod
    def examples_folder(config: dict[str, Any]) -> Path:
        return _in_project(config.get("examples") or DEFAULT_EXAMPLES)

    @staticmethod
    def more_example_files(config: dict[str, Any]) -> list[Path]:
        """Case files outside the examples folder that the reader learns from too."""
        return [_in_project(path) for path in named_files(config, READER_FILES_KEY)]

    @staticmethod
    def conversation_files(config: dict[str, Any]) -> list[Path]:
        """Conversation sets whose everyday conversations the reader learns from."""
        named = named_files(config, READER_CONVERSATIONS_KEY)
        return [_in_project(path) for path in named]

    @staticmethod
    def feelings_lexicon(config: dict[str, Any]) -> Path:
        return _in_project(config.get("feelings") or DEFAULT_FEELINGS)

    @staticmethod
    def meaning_share(config: dict[str, Any]) -> float:
        return float(config.get("meaning_share", DEFAULT_MEANING_SHARE))

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The examples' and feeling words' bytes, and the sentence encoder
        installed: changing any of them retrains it."""
        feelings = cls.feelings_lexicon(config)
        words = feelings.read_bytes() if feelings.is_file() else b""
        digest = hashlib.sha256(words).hexdigest()
        examples = examples_digest(
            cls.examples_folder(config),
            [*cls.more_example_files(config), *cls.conversation_files(config)],
        )
        try:
            encoder = model_identity()
        except MeaningModelMissing:
            encoder = "no encoder"
        return examples + digest + encoder + _MODEL_SHAPE

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: CrisisModel | None = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LearntCrisisReader:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self._model = train_configured_reader(self.component_config, training_data)
        with self._model_storage.write_to(self._resource) as folder:
            self._model.save(folder)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LearntCrisisReader:
        try:
            with model_storage.read_from(resource) as folder:
                model = CrisisModel.load(folder, cls.meaning_share(config))
        except (ValueError, OSError, KeyError):
            # The word lists still run; only this second reader is missing.
            logger.warning("The learnt crisis reader could not be loaded; retrain.")
            model = None
        return cls(config, model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        try:
            readings = self._model.read(
                [m.get(TEXT) if isinstance(m.get(TEXT), str) else "" for m in messages]
            )
        except Exception:  # never stop the conversation; the word lists still ran
            logger.exception("The learnt crisis reader failed; the word lists decide.")
            return messages
        for message, reading in zip(messages, readings, strict=True):
            message.set(READING_KEY, reading)
        return messages


def train_reader(
    examples: Path,
    training_data: TrainingData,
    feelings: Path,
    also: Sequence[Path] = (),
    meaning_share: float = DEFAULT_MEANING_SHARE,
    conversations: Sequence[Path] = (),
) -> CrisisModel:
    """The reader trained from the written examples (the folder and the files
    `also` names) and the everyday conversations of the sets `conversations` names,
    against Tend's ordinary NLU examples and check-in answers made of the feeling
    words."""
    everyday = everyday_examples(training_data) + feeling_answers(feelings)
    written = load_examples(examples, also) + conversation_examples(conversations)
    return CrisisModel.train(written, everyday, TEND_EVERYDAY_WEIGHT, meaning_share)


def conversation_examples(paths: Sequence[Path]) -> list[Example]:
    """Every message of the everyday conversations of these sets: everyday language
    as people type it to Tend, a fragment at a time. A crisis conversation's
    messages are not labelled one by one, so none of them is used."""
    examples = []
    for path in paths:
        try:
            conversations = load_conversation_set(path)
        except ConversationSetError as error:
            raise CrisisExamplesError(str(error)) from error
        examples += [
            Example(text, crisis=False)
            for conversation in conversations
            if conversation.expect == "none"
            for text in conversation.messages
        ]
    return examples


def train_configured_reader(
    config: dict[str, Any], training_data: TrainingData
) -> CrisisModel:
    """The reader as `rasa train` trains it from its step in config.yml."""
    config = {**LearntCrisisReader.get_default_config(), **config}
    return train_reader(
        LearntCrisisReader.examples_folder(config),
        training_data,
        LearntCrisisReader.feelings_lexicon(config),
        LearntCrisisReader.more_example_files(config),
        LearntCrisisReader.meaning_share(config),
        LearntCrisisReader.conversation_files(config),
    )


def _in_project(path: str) -> Path:
    """Paths in config.yml are relative to the project root."""
    return Path(path) if Path(path).is_absolute() else PROJECT_ROOT / path


def learnt_reading(message: Message) -> LearntReading | None:
    """What the learnt reader said about this message, if it ran."""
    reading = message.get(READING_KEY)
    return reading if isinstance(reading, LearntReading) else None
