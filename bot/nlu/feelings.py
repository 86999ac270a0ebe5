"""Finds the feelings someone names in a message, so Tend can name them back.

"Name it to tame it": hearing a feeling put into words helps it settle. The words
live in `data/lexicons/feelings.yml`, which practitioners edit; `load_feelings_lexicon`
is the one function that reads it. `FeelingsFinder` matches those words with spaCy's
`PhraseMatcher`, both as written and by lemma ("hurting" is "hurt"), forgives typing
slips in longer words, leaves out feelings that are denied ("not angry") and notes
how strong each one is ("really", "a bit"). `FeelingsExtractor` is the Rasa component
that turns what was found into `feeling` and `feeling_family` entities.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple, NoReturn

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.config import PROJECT_ROOT
from bot.dialogue.reflection import FAMILIES, FEELING_ENTITY
from bot.nlu.normalise import normalise_text, normalise_with_offsets
from bot.nlu.spacy_pipeline import load_pipeline
from bot.nlu.spelling import edit_distance, english_words, slip_for_common_word

logger = logging.getLogger(__name__)

DEFAULT_LEXICON = PROJECT_ROOT / "data" / "lexicons" / "feelings.yml"

FEELING_FAMILY_ENTITY = "feeling_family"

Intensity = Literal["strong", "mild"]
_INTENSITIES: tuple[Intensity, ...] = ("strong", "mild")

# Far past any chat message; stops one pasted book from stalling the pipeline.
MAX_TEXT_CHARS = 20_000
# How many words may sit between "not" and the feeling it denies
# ("I'm not feeling all that happy").
NEGATION_REACH = 4
# A typed word this short is never guessed at ("sda" could be anything).
MIN_FORGIVEN_LENGTH = 4
_LETTER_RUNS = re.compile(r"(.)\1+")
# Words that join a list of feelings, so a later one shares the first one's "I feel".
_LIST_JOINERS = frozenset({"and", "or", ",", "&", "/"})


class LexiconError(ValueError):
    """The feelings lexicon cannot be used; the message names the file and entry."""


@dataclass(frozen=True)
class FoundFeeling:
    """One feeling named in a message."""

    word: str  # the lexicon's canonical entry, e.g. "left out"
    family: str  # sad|scared|mad|joyful|powerful|peaceful
    intensity: Intensity | None  # "strong" ("really"), "mild" ("a bit") or None
    start: int  # character offsets into the original text
    end: int


@dataclass(frozen=True)
class FeelingsLexicon:
    """The feelings words and the small rules around them, as read from the YAML."""

    labels: Mapping[str, str]  # family -> plain-language label
    words: Mapping[str, tuple[str, ...]]  # family -> canonical words
    spellings: Mapping[str, str]  # every accepted way of writing a feeling -> canonical
    intensifiers: Mapping[str, Intensity]  # "a bit" -> "mild"
    negators: tuple[str, ...]
    negation_ends_at: frozenset[str]
    cues: frozenset[str]
    may_come_between: frozenset[str]
    needs_cue: frozenset[str]  # canonical words that count only after a cue
    # Of those, the words that count when they open the message, said on their own
    # ("pretty low tonight"), and the words that may follow them then.
    opening_words: frozenset[str]
    may_precede_opening: frozenset[str]
    may_follow_opening: frozenset[str]
    only_as_written: frozenset[str]  # canonical words never matched by lemma
    not_feelings: tuple[str, ...]

    def families(self) -> tuple[str, ...]:
        return tuple(self.words)

    def family_label(self, family: str) -> str:
        return self.labels[family]

    def words_in(self, family: str) -> tuple[str, ...]:
        return self.words[family]

    def family_of(self, word: str) -> str:
        for family, words in self.words.items():
            if word in words:
                return family
        raise KeyError(word)


def load_feelings_lexicon(path: Path = DEFAULT_LEXICON) -> FeelingsLexicon:
    """Reads and checks the feelings YAML; a problem raises `LexiconError`."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise LexiconError(
            f"Cannot read the feelings lexicon {path} ({error.strerror}). "
            "Check the `lexicon:` path of FeelingsExtractor in config.yml."
        ) from error
    except yaml.YAMLError as error:
        raise LexiconError(
            f"The feelings lexicon {path} is not valid YAML: {error}"
        ) from error
    return _LexiconReader(path, raw).read()


class _LexiconReader:
    """Turns the parsed YAML into a `FeelingsLexicon`, naming the entry at fault."""

    def __init__(self, path: Path, raw: object) -> None:
        self._path = path
        self._raw = raw if isinstance(raw, dict) else {}
        if not isinstance(raw, dict):
            self._fail("the file must be a mapping with a `families:` section")

    def read(self) -> FeelingsLexicon:
        families = self._raw.get("families")
        if not isinstance(families, dict) or set(families) != set(FAMILIES):
            self._fail(f"`families:` must list exactly {', '.join(FAMILIES)}")
        labels: dict[str, str] = {}
        words: dict[str, tuple[str, ...]] = {}
        spellings: dict[str, str] = {}
        for family in FAMILIES:
            entry = families[family]
            if not isinstance(entry, dict) or not isinstance(entry.get("words"), list):
                self._fail(f"family `{family}` needs a `label:` and a `words:` list")
            labels[family] = self._phrase(entry.get("label"), f"{family} label")
            canonical_words: list[str] = []
            for item in entry["words"]:
                canonical, others = self._word_entry(item, family)
                canonical_words.append(canonical)
                for spelling in (canonical, *others):
                    self._add_spelling(spellings, spelling, canonical)
            words[family] = tuple(canonical_words)
        known = set(spellings.values())

        misspellings = self._section("misspellings")
        for canonical, slips in misspellings.items():
            canonical = self._canonical(canonical, known, "misspellings")
            for slip in self._phrases(slips, f"misspellings of {canonical}"):
                self._add_spelling(spellings, slip, canonical)

        intensifiers: dict[str, Intensity] = {}
        section = self._section("intensifiers")
        for strength in _INTENSITIES:
            for phrase in self._phrases(section.get(strength), f"{strength} words"):
                intensifiers[phrase] = strength
        cue_section = self._section("only_after_feel_or_am")
        opening = self._section("said_on_their_own")
        return FeelingsLexicon(
            labels=labels,
            words=words,
            spellings=spellings,
            intensifiers=intensifiers,
            negators=self._phrases(self._raw.get("negators"), "negators"),
            negation_ends_at=frozenset(
                self._phrases(self._raw.get("negation_ends_at"), "negation_ends_at")
            ),
            cues=frozenset(self._phrases(cue_section.get("cues"), "cues")),
            may_come_between=frozenset(
                self._phrases(cue_section.get("may_come_between"), "may_come_between")
            ),
            needs_cue=frozenset(
                self._canonical(word, known, "only_after_feel_or_am")
                for word in self._phrases(cue_section.get("words"), "cue words")
            ),
            opening_words=frozenset(
                self._canonical(word, known, "said_on_their_own")
                for word in self._phrases(opening.get("words"), "opening words")
            ),
            may_precede_opening=frozenset(
                self._phrases(opening.get("may_come_before"), "may_come_before")
            ),
            may_follow_opening=frozenset(
                self._phrases(opening.get("may_follow"), "may_follow")
            ),
            only_as_written=frozenset(
                self._canonical(word, known, "only_as_written")
                for word in self._phrases(
                    self._raw.get("only_as_written"), "only_as_written"
                )
            ),
            not_feelings=self._phrases(self._raw.get("not_feelings"), "not_feelings"),
        )

    def _section(self, name: str) -> dict[str, Any]:
        section = self._raw.get(name) or {}
        if not isinstance(section, dict):
            self._fail(f"`{name}:` must be a mapping of names to lists")
        return section

    def _word_entry(self, item: object, family: str) -> tuple[str, tuple[str, ...]]:
        if isinstance(item, dict) and len(item) == 1:
            ((canonical, others),) = item.items()
            return (
                self._phrase(canonical, f"a word in {family}"),
                self._phrases(others, f"other spellings of {canonical}"),
            )
        return self._phrase(item, f"a word in {family}"), ()

    def _add_spelling(
        self, spellings: dict[str, str], spelling: str, word: str
    ) -> None:
        if spelling in spellings:
            self._fail(
                f"`{spelling}` is listed twice (for `{spellings[spelling]}` and "
                f"`{word}`); keep it in one place"
            )
        spellings[spelling] = word

    def _canonical(self, word: object, known: set[str], section: str) -> str:
        phrase = self._phrase(word, section)
        if phrase not in known:
            self._fail(
                f"`{phrase}` in `{section}` is not a word in any family; "
                "add it to a family first or fix its spelling"
            )
        return phrase

    def _phrases(self, values: object, where: str) -> tuple[str, ...]:
        if values is None:
            return ()
        if not isinstance(values, list):
            self._fail(f"{where} must be a list in brackets, like [one, two]")
        return tuple(self._phrase(value, where) for value in values)

    def _phrase(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self._fail(f"{where}: {value!r} must be a word or phrase")
        # Read the way messages are read, so "I’m" here matches "I'm" typed.
        return " ".join(normalise_text(value).split())

    def _fail(self, problem: str) -> NoReturn:
        raise LexiconError(f"Feelings lexicon {self._path}: {problem}.")


class _Candidate(NamedTuple):
    start: int  # token indices
    end: int
    word: str
    by_lemma: bool


class FeelingsFinder:
    """Finds the feelings named in a text, with their family and intensity."""

    def __init__(self, lexicon: FeelingsLexicon, nlp: Language) -> None:
        self.lexicon = lexicon
        self._nlp = nlp
        self._lemmatize = nlp.get_pipe("lemmatizer")
        self._family_of = {
            word: family
            for family in lexicon.families()
            for word in lexicon.words[family]
        }

        by_word: dict[str, list[str]] = {}
        for spelling, word in lexicon.spellings.items():
            by_word.setdefault(word, []).append(spelling)
        self._as_written = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for word, spellings in by_word.items():
            self._as_written.add(word, [nlp.make_doc(s) for s in spellings])
            if word not in lexicon.only_as_written:
                self._by_lemma.add(
                    word, [self._lemmatize(nlp.make_doc(s)) for s in spellings]
                )
        self._intensifiers = self._phrase_matcher(lexicon.intensifiers)
        self._negators = self._phrase_matcher({n: n for n in lexicon.negators})
        self._softeners = lexicon.may_come_between | lexicon.may_precede_opening
        self._not_feelings = self._phrase_matcher({n: n for n in lexicon.not_feelings})
        self._cues = self._phrase_matcher({c: c for c in lexicon.cues})

        self._tokens_by_word = {
            word: _tokens_of(nlp, spellings) for word, spellings in by_word.items()
        }
        self._vocabulary = _tokens_of(
            nlp,
            (
                *lexicon.spellings,
                *lexicon.intensifiers,
                *lexicon.negators,
                *lexicon.negation_ends_at,
                *lexicon.cues,
                *lexicon.may_come_between,
                *lexicon.not_feelings,
            ),
        )
        # What a slip may be corrected to, by first letter (people rarely mistype
        # the first letter, and it keeps the search small), with the feeling or
        # intensifier each is a whole spelling of ("overwhelm" is "overwhelmed"), or
        # None for a part of a phrase ("worked" of "worked up").
        meaning = dict(lexicon.spellings) | {p: p for p in lexicon.intensifiers}
        self._targets: dict[str, list[tuple[str, str | None]]] = {}
        for token in sorted(_tokens_of(nlp, meaning)):
            if token.isalpha() and _slips_allowed(token):
                self._targets.setdefault(token[0], []).append(
                    (token, meaning.get(token))
                )
        self._english = english_words()
        self._spelling_of = lru_cache(maxsize=8192)(self._correct_spelling)

    @classmethod
    def from_lexicon(
        cls, path: Path | str = DEFAULT_LEXICON, nlp: Language | None = None
    ) -> FeelingsFinder:
        return cls(
            load_feelings_lexicon(Path(path)),
            nlp if nlp is not None else load_pipeline(),
        )

    def find(self, text: str) -> list[FoundFeeling]:
        """The feelings named in `text`, in order; never raises on any string."""
        if not isinstance(text, str) or not text.strip():
            return []
        normalised, index_map = normalise_with_offsets(text[:MAX_TEXT_CHARS])
        tokens = self._nlp.make_doc(normalised)
        if len(tokens) == 0:
            return []
        doc = self._lemmatize(
            Doc(
                self._nlp.vocab,
                words=[self._spelling_of(token.lower_) for token in tokens],
                spaces=[bool(token.whitespace_) for token in tokens],
            )
        )
        intensifiers = self._longest_by_end(doc, self._intensifiers)
        negators = self._longest_by_end(doc, self._negators)
        cues = self._longest_by_end(doc, self._cues)
        exceptions = [(start, end) for _, start, end in self._not_feelings(doc)]

        feelings: list[_Candidate] = []
        feeling_ends: set[int] = set()
        for candidate in sorted(self._candidates(doc), key=lambda c: c.start):
            if any(s <= candidate.start and candidate.end <= e for s, e in exceptions):
                continue
            if candidate.word in self.lexicon.needs_cue and not (
                self._follows_cue(
                    doc, candidate.start, cues, intensifiers, feeling_ends
                )
                or self._said_on_its_own(doc, candidate, intensifiers)
            ):
                continue
            feelings.append(candidate)
            feeling_ends.add(candidate.end)
        found = []
        for candidate in _longest_first(feelings):
            if self._is_denied(doc, candidate.start, negators):
                continue
            first, last = tokens[candidate.start], tokens[candidate.end - 1]
            strength = intensifiers.get(candidate.start)
            found.append(
                FoundFeeling(
                    word=candidate.word,
                    family=self._family_of[candidate.word],
                    intensity=strength[1] if strength else None,
                    start=index_map[first.idx],
                    end=_end_in_original(text, index_map[last.idx + len(last) - 1]),
                )
            )
        return found

    def _candidates(self, doc: Doc) -> Iterable[_Candidate]:
        strings = self._nlp.vocab.strings
        for match_id, start, end in self._as_written(doc):
            yield _Candidate(start, end, strings[match_id], by_lemma=False)
        for match_id, start, end in self._by_lemma(doc):
            word = strings[match_id]
            # A lemma match counts only for another form of a feeling word
            # ("hurting", "worries"), so "love" is not "loved" and "have enough"
            # is not "had enough".
            if all(
                token.lower_ in self._tokens_by_word[word]
                or token.lower_ != token.lemma_
                for token in doc[start:end]
            ):
                yield _Candidate(start, end, word, by_lemma=True)

    def _follows_cue(
        self,
        doc: Doc,
        start: int,
        cues: Mapping[int, tuple[int, str]],
        intensifiers: Mapping[int, tuple[int, str]],
        feeling_ends: set[int],
    ) -> bool:
        """Whether "I feel", "I'm"... comes before `start`, or another feeling and
        "and" do ("I feel worthless and useless")."""
        position = start
        while position > 0:
            before = doc[position - 1].lower_
            if position in cues:
                return True
            if position in intensifiers:
                position = intensifiers[position][0]
            elif before in self.lexicon.may_come_between:
                position -= 1
            else:
                return before in _LIST_JOINERS and position - 1 in feeling_ends
        return False

    def _said_on_its_own(
        self,
        doc: Doc,
        candidate: _Candidate,
        intensifiers: Mapping[int, tuple[int, str]],
    ) -> bool:
        """Whether the word opens the message as a mood ("bit flat tonight",
        "pretty low, work was a lot"): only softeners before it, and after it the
        end, a comma or full stop, or a word such as "today" or "and". So "low
        battery" and "flat tyre" stay objects."""
        if candidate.word not in self.lexicon.opening_words:
            return False
        position = candidate.start
        while position > 0:
            if position in intensifiers:
                position = intensifiers[position][0]
            elif doc[position - 1].lower_ in self._softeners:
                position -= 1
            else:
                return False
        if candidate.end >= len(doc):
            return True
        after = doc[candidate.end]
        return after.is_punct or after.lower_ in self.lexicon.may_follow_opening

    def _is_denied(
        self, doc: Doc, start: int, negators: Mapping[int, tuple[int, str]]
    ) -> bool:
        passed_so = False
        for position in range(start - 1, max(start - 2 - NEGATION_REACH, -1), -1):
            negator = negators.get(position + 1)
            if negator is not None:
                # "I've never felt so alone" says more alone than ever, not less.
                return not (negator[1] == "never" and passed_so)
            token = doc[position]
            if token.is_punct or token.lower_ in self.lexicon.negation_ends_at:
                return False
            passed_so = passed_so or token.lower_ == "so"
        return False

    def _phrase_matcher(self, keys: Mapping[str, str]) -> PhraseMatcher:
        """Matches each phrase in `keys`, reporting it under its key."""
        matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
        for phrase, key in keys.items():
            matcher.add(key, [self._nlp.make_doc(phrase)])
        return matcher

    def _longest_by_end(
        self, doc: Doc, matcher: PhraseMatcher
    ) -> dict[int, tuple[int, str]]:
        """For each token index a phrase ends at: where the longest such phrase starts
        and its key ("mild", "never")."""
        strings = self._nlp.vocab.strings
        found: dict[int, tuple[int, str]] = {}
        for match_id, start, end in matcher(doc):
            key = strings[match_id]
            if end not in found or start < found[end][0]:
                found[end] = (start, key)
        return found

    def _correct_spelling(self, word: str) -> str:
        """`word`, or the feeling word it is a likely slip for ("lonley" -> "lonely").

        Only words that are neither in the lexicon nor English get corrected."""
        if word in self._vocabulary or not word.isalpha() or word in self._english:
            return word
        squeezed = _LETTER_RUNS.sub(r"\1", word)
        if squeezed in self._vocabulary:
            return squeezed  # "saad" -> "sad"
        if len(word) < MIN_FORGIVEN_LENGTH:
            return word
        nearest: list[tuple[str, str | None]] = []
        nearest_distance = 3
        for target, meaning in self._targets.get(word[0], ()):
            allowed = _slips_allowed(target)
            if abs(len(target) - len(word)) > allowed:
                continue
            limit = min(allowed, nearest_distance)
            distance = edit_distance(word, target, limit)
            if distance > limit:
                continue
            if distance < nearest_distance:
                nearest, nearest_distance = [], distance
            nearest.append((target, meaning))
        # A whole feeling word beats part of a phrase ("woried" is "worried", not
        # "worked"); equally close to two feelings, better to name neither than guess.
        if nearest and slip_for_common_word(word, nearest_distance):
            return word
        wholes = {meaning: target for target, meaning in nearest if meaning}
        if len(wholes) == 1:
            return next(iter(wholes.values()))
        return nearest[0][0] if len(nearest) == 1 else word


def _slips_allowed(word: str) -> int:
    """How many typing slips a feeling word may show and still be recognised: none
    under 5 letters (list those under `misspellings`), 1 up to 7, then 2."""
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def _end_in_original(text: str, last: int) -> int:
    """Just past the original character at `last` and any marks stacked on it."""
    end = last + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first, then in text order."""
    taken: set[int] = set()
    kept: list[_Candidate] = []
    for candidate in sorted(
        candidates, key=lambda c: (c.start - c.end, c.start, c.by_lemma)
    ):
        span = range(candidate.start, candidate.end)
        if not taken.intersection(span):
            taken.update(span)
            kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)


def _tokens_of(nlp: Language, phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(
        token.lower_ for phrase in phrases for token in nlp.make_doc(phrase)
    )


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class FeelingsExtractor(GraphComponent, EntityExtractorMixin):
    """Adds a `feeling` and a `feeling_family` entity for each feeling in a message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"lexicon": "data/lexicons/feelings.yml"}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FeelingsExtractor:
        return cls(FeelingsFinder.from_lexicon(cls.lexicon_path(config)))

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """A hash of the lexicon, so editing the list counts as a change to Rasa."""
        path = cls.lexicon_path(config)
        if not path.is_file():
            return None  # `create` reports the missing file in plain words
        return hashlib.sha256(path.read_bytes()).hexdigest()

    @classmethod
    def lexicon_path(cls, config: dict[str, Any]) -> Path:
        """The configured lexicon, relative to the project root unless absolute."""
        lexicon = config.get("lexicon") or cls.get_default_config()["lexicon"]
        return PROJECT_ROOT / lexicon

    def __init__(self, finder: FeelingsFinder) -> None:
        self._finder = finder

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            try:
                entities = self._entities(text) if isinstance(text, str) else []
            except Exception as error:
                # The crisis check runs after this component: a failure here must
                # cost the person their feelings entities, never their reply.
                logger.warning(
                    "FeelingsExtractor skipped a message: %s", type(error).__name__
                )
                entities = []
            message.set(
                ENTITIES, [*message.get(ENTITIES, []), *entities], add_to_output=True
            )
        return messages

    def _entities(self, text: str) -> list[dict[str, Any]]:
        entities: list[dict[str, Any]] = []
        for feeling in self._finder.find(text):
            span = {
                ENTITY_ATTRIBUTE_START: feeling.start,
                ENTITY_ATTRIBUTE_END: feeling.end,
                "confidence_entity": 1.0,
            }
            word = {
                ENTITY_ATTRIBUTE_TYPE: FEELING_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: feeling.word,
                "family": feeling.family,
                "intensity": feeling.intensity,
                **span,
            }
            if text[feeling.start : feeling.end].lower() != feeling.word:
                # Like a synonym mapping: the value is the lexicon's word, not the
                # person's spelling of it.
                self.add_processor_name(word)
            family = {
                ENTITY_ATTRIBUTE_TYPE: FEELING_FAMILY_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: feeling.family,
                **span,
            }
            entities.extend((word, family))
        return self.add_extractor_name(entities)
