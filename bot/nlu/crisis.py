"""Finds crisis language in a message: the one behaviour in Tend that must never fail.

`CrisisDetector.assess()` reads one message against the practitioner-edited word
lists in `data/lexicons/crisis.yml` and says whether the writer is in danger now
(`crisis`), is telling of a past experience (`disclosure`), is worried about
someone else (`someone_else`), says something worrying but not explicit or denies
a crisis (`worry`), or none of these. `CrisisClassifier` is the Rasa component that
runs last in the NLU pipeline and turns that reading into the safety intents.

How a message is read (docs/safety.md explains each decision):

1. `normalise_text()` gives one spelling ("I’M GONNA k1ll myseeelf" ->
   "i'm gonna kill myself"); spaCy splits it into tokens.
2. Each token becomes a word in two views: its *form* (spaCy's NORM, so "gon",
   "na" read "going", "to"; slang from `spellings:`; a misspelt key crisis word
   read as that word) and its *root* (the lemma of that form). Words that carry
   no meaning for matching (`fillers:` such as "really", "just") are left out of
   both views, so "I really just want to die" reads "i want to die".
3. spaCy `PhraseMatcher`s find the lexicon's phrases as whole words: category
   `phrases`, `exceptions` and `worry` on the roots (any word form: "kill myself"
   also finds "killing myself"), `exact` phrases and the context markers (past,
   present, negators, age) on the forms, where tense still shows. A phrase with
   "a ... b" (up to five words between), or one whose groups multiply into too
   many phrases, is matched in parts that are chained again afterwards.
4. Each crisis phrase found is read in its sentence: whom it is about, whether the
   writer negates it, and whether a distant-past marker or a now/recent marker
   sits nearer to it. The message's kind and the most urgent category follow.
5. A category's warning `signs` ("I've made my will", "he took my passport") are
   ordinary one at a time. Two different signs of one category in a message, or
   one sign beside a worry phrase, are read like a crisis phrase of that category.
"""

from __future__ import annotations

import hashlib
import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import groupby, product
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from bot.config import PROJECT_ROOT
from bot.nlu.crisis_model import LearntReading, learnt_reading
from bot.nlu.normalise import normalise_text
from bot.nlu.safety_intents import (
    ASK_FIRST,
    CRISIS,
    DISCLOSURE,
    FAINT_SIGN,
    SOMEONE_ELSE,
    STRONG_WORRY,
    WORRY,
    WORRY_LEVEL,
)
from bot.nlu.spacy_pipeline import load_pipeline
from bot.nlu.spelling import edit_distance

logger = logging.getLogger(__name__)

DEFAULT_LEXICON = PROJECT_ROOT / "data" / "lexicons" / "crisis.yml"

Kind = Literal["crisis", "disclosure", "someone_else", "worry", "none"]

# Most urgent first. Medical: a body already harmed (pills taken, poison drunk)
# can die within hours without emergency care. Suicide: intent to end life.
# Abuse: someone is endangering the writer now. Harm to others: a risk to other
# people and a writer in distress. Self-harm: serious, usually less immediately
# lethal; when it comes with any of the others, the others decide the answer.
CATEGORY_URGENCY: tuple[str, ...] = (
    "medical",
    "suicide",
    "abuse",
    "harm_to_others",
    "self_harm",
)

INTENT_BY_KIND: dict[str, str] = {
    "crisis": CRISIS,
    "disclosure": DISCLOSURE,
    "someone_else": SOMEONE_ELSE,
    "worry": WORRY,
}
# The intents this component sets (the SOS button's intent comes from a button).
DETECTOR_INTENTS = frozenset(INTENT_BY_KIND.values())

# The two views a phrase can be matched on.
_ROOTS = "roots"
# Exceptions are matched on every root, small words included: an exception made
# broader ("end of life" read as "end life") would hide real crises.
_ALL_ROOTS = "all_roots"
_FORMS = "forms"
# Stand-ins inside the views: a number of five or more (or one we cannot read),
# a number under five, one from 20 to 69, a sentence end, a clause break.
_NUMBER = "#"
_FEW = "#few"
_LOW_MGDL = "#20-69"
_NUMBER_STAND_INS = (_NUMBER, _FEW, _LOW_MGDL)
_YEAR = "#year"
_SENTENCE_END = "."
_CLAUSE_BREAK = ","
_BREAKS = (_SENTENCE_END, _CLAUSE_BREAK)
# Built-in groups a phrase may use: any number; five or more ("took 30 pills",
# not "took 2 pills"); under five ("sugar is 2.1"); 20 to 69 ("sugar is 45": that
# low in mg/dL, or that high in mmol/L); an age (checked to be 5..17 once matched).
_BUILT_IN_GROUPS: dict[str, tuple[str, ...]] = {
    "number": _NUMBER_STAND_INS,
    "many": (_NUMBER, _LOW_MGDL),
    "few": (_FEW,),
    "low_mgdl": (_LOW_MGDL,),
    "age": (_NUMBER,),
    "year": (_YEAR,),
}
_FEW_BELOW = 5
_LOW_MGDL_VALUES = range(20, 70)
# "a ... b": the parts of a phrase with up to this many words between them.
_GAP = "..."
_GAP_WORDS = 5
_YOUNG_AGES = range(5, 18)

# "15yo", "15y", "15f": an age written as one token.
_AGE_TOKEN = re.compile(r"(\d{1,2})(?:yo|yrs?|y|f|m)")
_DOSE_TOKEN = re.compile(r"(\d+(?:\.\d+)?)(mg|mcg|ug|ml|g|mmol|units?|iu)")
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100,
    # spaCy reads ordinal words as numbers too: "took my first tablet" is one, not
    # a handful ("{many}"), and "eighth grade" is an age.
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100,
}  # fmt: skip
# Grammar, not clinical content: words that may stand between a person word and
# the noun it belongs to ("my best friend"), skipped when looking for a subject.
_DETERMINERS = frozenset(
    "my his her their our your the a an this that best little big older younger "
    "own close old new".split()
)
# A template may not expand into more phrases than this (a typo in a group can
# otherwise multiply into millions of phrases and a slow start).
_MAX_EXPANSIONS_PER_TEMPLATE = 200_000
# Largest number of phrases one matcher key holds before a template is cut.
_PIECE_SIZE = 300
_TYPO_CACHE_SIZE = 50_000
# Symbols at either end of a word: "myself-", "~die~" (apostrophes stay).
_EDGE_SYMBOLS = re.compile(r"^[^\w']+|[^\w']+$")
# The label of a crisis read from warning signs (each sign is named in `matched`).
_SIGNS_LABEL = "signs together"
# The lexicon section, and its entries' label, of phrases often innocent alone.
ASK_FIRST_SECTION = "ask_first"
# Letters with dots between them: "k.m.s", "s.h.".
_DOTTED_LETTERS = re.compile(r"(?:[a-z]\.)+[a-z]\.?")
# Letters typed one by one, three or more: "k i l l", "d i e".
_SPELLED_OUT = re.compile(r"(?<!\S)[a-z] [a-z] [a-z](?!\S)")
# Longest word looked for in letters typed one by one ("s u i c i d a l").
_LONGEST_SPELLED = 12


class CrisisLexiconError(ValueError):
    """crisis.yml cannot be used; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class CrisisAssessment:
    """What the detector read in one message (never the message itself)."""

    kind: Kind
    category: str | None
    young_person: bool
    negated: bool
    matched: tuple[str, ...]
    # A crisis read only from phrases that are often innocent said alone
    # (`ask_first:` in crisis.yml), with no worry beside them: Tend asks first.
    ask_first: bool = False


NO_CRISIS = CrisisAssessment("none", None, False, False, ())


@dataclass(frozen=True)
class CategoryPhrases:
    """One category's phrases from crisis.yml."""

    phrases: tuple[str, ...]
    exact: tuple[str, ...]
    someone_else: tuple[str, ...]
    signs: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class CrisisLexicon:
    """The contents of crisis.yml, checked; `digest` identifies the file's bytes."""

    path: Path
    digest: str
    fillers: frozenset[str]
    skipped_in_roots: frozenset[str]
    spellings: dict[str, tuple[str, ...]]
    word_roots: dict[str, str]
    key_words: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]
    context: dict[str, tuple[str, ...]]
    categories: dict[str, CategoryPhrases]
    exceptions: tuple[str, ...]
    ask_first: tuple[str, ...]
    worry: CategoryPhrases
    young_person: tuple[str, ...]
    not_an_age: frozenset[str]
    # The writer's fear for someone else ("worried sick about him"): one warning
    # sign about that person beside it reads as someone else in danger.
    concern: tuple[str, ...] = ()


_CONTEXT_LISTS = (
    "past",
    "present",
    "relapse",
    "negators",
    "negation_reach",
    "first_person",
    "third_person",
    "gerund_links",
    "speech_verbs",
)
_PERSON_LISTS = (
    "first_person",
    "third_person",
    "negation_reach",
    "gerund_links",
    "speech_verbs",
)


def lexicon_digest(path: Path) -> str:
    """SHA-256 of the lexicon file's bytes: changes whenever a list changes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_crisis_lexicon(path: Path | str = DEFAULT_LEXICON) -> CrisisLexicon:
    """Reads and checks crisis.yml: the one function that reads that file."""
    path = Path(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise CrisisLexiconError(
            f"Cannot read the crisis word lists at {path} ({error.strerror}). "
            "Check the `lexicon` path in config.yml (relative to the project root)."
        ) from error
    try:
        data = yaml.safe_load(raw_bytes.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise CrisisLexiconError(
            f"{path} is not valid UTF-8 YAML: {error}. Fix the line it names."
        ) from error
    if not isinstance(data, dict):
        raise CrisisLexiconError(f"{path} must be a YAML mapping of sections.")

    def words(section: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise CrisisLexiconError(
                f"{path}: `{section}` must be a list of non-empty phrases in quotes "
                "or plain words."
            )
        return tuple(item.strip().lower() for item in value)

    def mapping(section: str) -> dict[str, Any]:
        value = data.get(section) or {}
        if not isinstance(value, dict):
            raise CrisisLexiconError(f"{path}: `{section}` must be a mapping.")
        return value

    spellings: dict[str, tuple[str, ...]] = {}
    for written, meant in mapping("spellings").items():
        if not isinstance(meant, str) or not meant.strip() or " " in str(written):
            raise CrisisLexiconError(
                f"{path}: spelling `{written}` must be one word mapped to the "
                "word(s) it means, e.g. `wanna: want to`."
            )
        spellings[str(written).lower()] = tuple(meant.lower().split())
    word_roots = {
        str(k).lower(): str(v).lower() for k, v in mapping("word_roots").items()
    }
    groups = {
        str(name): words(f"groups.{name}", value)
        for name, value in mapping("groups").items()
    }
    for name in _BUILT_IN_GROUPS:
        if name in groups:
            raise CrisisLexiconError(
                f"{path}: the group name `{name}` is built in (numbers and ages); "
                "rename your group."
            )
    context = {
        name: words(f"context.{name}", mapping("context").get(name))
        for name in _CONTEXT_LISTS
    }
    for name in _PERSON_LISTS:
        if any(" " in item for item in context[name]):
            raise CrisisLexiconError(
                f"{path}: `context.{name}` holds single words only."
            )
    categories: dict[str, CategoryPhrases] = {}
    raw_categories = mapping("categories")
    for name in CATEGORY_URGENCY:
        entry = raw_categories.get(name) or {}
        if not isinstance(entry, dict):
            raise CrisisLexiconError(f"{path}: category `{name}` must be a mapping.")
        categories[name] = CategoryPhrases(
            phrases=words(f"{name}.phrases", entry.get("phrases")),
            exact=words(f"{name}.exact", entry.get("exact")),
            someone_else=words(f"{name}.someone_else", entry.get("someone_else")),
            signs=words(f"{name}.signs", entry.get("signs")),
        )
    unknown = set(raw_categories) - set(CATEGORY_URGENCY)
    if unknown:
        raise CrisisLexiconError(
            f"{path}: unknown categories {sorted(unknown)}; Tend knows "
            f"{', '.join(CATEGORY_URGENCY)}."
        )
    young = mapping("young_person")
    worry = mapping("worry")
    return CrisisLexicon(
        path=path,
        digest=hashlib.sha256(raw_bytes).hexdigest(),
        fillers=frozenset(words("fillers", data.get("fillers"))),
        skipped_in_roots=frozenset(
            words("skipped_in_roots", data.get("skipped_in_roots"))
        ),
        spellings=spellings,
        word_roots=word_roots,
        key_words=words("key_words", data.get("key_words")),
        groups=groups,
        context=context,
        categories=categories,
        exceptions=words("exceptions", data.get("exceptions")),
        ask_first=words("ask_first", data.get("ask_first")),
        worry=CategoryPhrases(
            phrases=words("worry.phrases", worry.get("phrases")),
            exact=words("worry.exact", worry.get("exact")),
            someone_else=(),
        ),
        young_person=words("young_person.says_age", young.get("says_age")),
        not_an_age=frozenset(words("young_person.not_an_age", young.get("not_an_age"))),
        concern=words("concern", data.get("concern")),
    )


# --- phrase templates -------------------------------------------------------------
# "{desire} kill {self}", "(cut|burn) my {body}", "hurt [my]self": a group, one of
# several alternatives, an optional part. Parsed into a small tree, then expanded.

_TEMPLATE_PIECES = re.compile(r"(\{\w+\}|[()\[\]|])")


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Group:
    name: str


@dataclass(frozen=True)
class _Choice:
    options: tuple[tuple[Any, ...], ...]  # each option is a sequence of nodes
    optional: bool  # written [like this]


def _parse_template(template: str) -> tuple[Any, ...]:
    pieces = [p for p in _TEMPLATE_PIECES.split(template) if p and p.strip() != ""]
    position = 0

    def sequence(closers: str) -> tuple[Any, ...]:
        nonlocal position
        nodes: list[Any] = []
        while position < len(pieces) and pieces[position] not in closers:
            piece = pieces[position]
            position += 1
            if piece in "([":
                closer = ")" if piece == "(" else "]"
                options = [sequence("|" + closer)]
                while position < len(pieces) and pieces[position] == "|":
                    position += 1
                    options.append(sequence("|" + closer))
                if position >= len(pieces) or pieces[position] != closer:
                    raise CrisisLexiconError(f"`{template}`: `{piece}` is not closed.")
                position += 1
                if piece == "[":
                    options.append(())
                nodes.append(_Choice(tuple(options), optional=piece == "["))
            elif piece in ")]|":
                raise CrisisLexiconError(f"`{template}`: unexpected `{piece}`.")
            elif piece.startswith("{"):
                nodes.append(_Group(piece[1:-1]))
            else:
                nodes.append(_Text(piece))
        return tuple(nodes)

    nodes = sequence("")
    if position != len(pieces):
        raise CrisisLexiconError(f"`{template}`: unexpected `{pieces[position]}`.")
    return nodes


# A phrase in both views: (forms, roots), equally long.
_Words = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class _Entry:
    """One lexicon entry a matcher can report."""

    section: str  # a category name, "exception", "worry", a context list, "young"
    template: str
    about_someone_else: bool = False
    number: int = 0  # keeps two equal templates in different lists apart
    sign: bool = False  # a warning sign: counts only beside another sign or a worry

    @property
    def label(self) -> str:
        kind = f"{self.section} sign" if self.sign else self.section
        return f"{kind}: {self.template}"


@dataclass(frozen=True)
class _Slot:
    """One matcher key: a whole entry, or one part of a longer one."""

    entry: _Entry
    number: int  # which part
    count: int  # of how many parts


@dataclass(frozen=True)
class _Hit:
    entry: _Entry
    start: int
    end: int
    # Where its parts met across a "..." gap: (first word of the gap, first word
    # after it) for each gap with words in it.
    gaps: tuple[tuple[int, int], ...] = ()

    def starts_in_a_gap_of(self, other: _Hit) -> bool:
        return any(start <= self.start < end for start, end in other.gaps)

    def overlaps(self, other: _Hit) -> bool:
        return self.start < other.end and other.start < self.end

    def gap_to(self, other: _Hit) -> int:
        if self.overlaps(other):
            return 0
        return (
            other.start - self.end
            if self.end <= other.start
            else self.start - other.end
        )


@dataclass
class _View:
    """A message as the matchers see it, one word per position in both views."""

    forms: list[str]
    roots: list[str]
    numbers: dict[int, int]
    sentence: list[int]  # sentence number per position
    spelt: set[int]  # positions that came from `spellings:` ("kms" -> "kill myself")
    mine: set[int]  # positions right after a "my" that was skipped as a filler


@dataclass(frozen=True)
class _Reading:
    """One crisis phrase read in its sentence."""

    category: str
    label: str
    about_someone_else: bool
    negated: bool
    past: bool
    ask_first: bool = False  # the phrase lies under an `ask_first:` entry


def _deletions(word: str, depth: int) -> set[str]:
    """The word and every string left by deleting up to `depth` of its letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _english_words() -> frozenset[str]:
    """A large English word list from spaCy's lookup data (nouns, verbs, adjectives,
    adverbs), used to tell a misspelling from a real word. Empty if that package is
    missing, in which case only the pipeline's own lemma table is consulted."""
    try:
        import spacy_lookups_data
        from spacy.util import load_language_data
    except ImportError:  # pragma: no cover - the lock file installs it
        return frozenset()
    index = load_language_data(spacy_lookups_data.en["lemma_index"])
    return frozenset(word for words in index.values() for word in words)


@lru_cache(maxsize=1)
def _shared_english_words() -> frozenset[str]:
    return _english_words()


class CrisisDetector:
    """Reads one message against crisis.yml and returns a `CrisisAssessment`."""

    def __init__(self, lexicon: CrisisLexicon, nlp: Language) -> None:
        self.lexicon = lexicon
        self._nlp = nlp
        lemmatizer = (
            nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        )
        self._lemma_table = (
            lemmatizer.lookups.get_table("lemma_lookup", {})
            if lemmatizer is not None
            else {}
        )
        # Tend's pipeline only looks lemmas up in a table; reading that table here
        # (with a cache) gives the same lemmas faster. Any other lemmatizer runs.
        self._lookup_lemmas = lemmatizer is not None and (
            getattr(lemmatizer, "mode", "") == "lookup"
            and nlp.pipe_names == ["lemmatizer"]
        )
        context = lexicon.context
        self._first_person = frozenset(context["first_person"])
        self._third_person = frozenset(context["third_person"])
        self._negation_reach = frozenset(context["negation_reach"])
        self._gerund_links = frozenset(context["gerund_links"])
        self._speech_verbs = frozenset(context["speech_verbs"])
        self._other_self = frozenset(
            w for w in lexicon.groups.get("other_self", ()) if " " not in w
        )
        # Words that name a person: a phrase opening with one names who acts in
        # it ("dad hits my sister"); one opening with an act ("hit her") does not.
        self._person_words = (
            self._third_person
            | self._other_self
            | {
                entry.split()[0]
                for name in ("relation", "abuser")
                for entry in lexicon.groups.get(name, ())
                if not entry.startswith("{")
            }
        )
        # "self" alone is left out: it is also the "self" of "self harm".
        self._self_words = frozenset(
            w for w in lexicon.groups.get("self", ()) if " " not in w and w != "self"
        ) | {"me", "myself", "i", "us", "we"}
        self._english = _shared_english_words()
        self._lexicon_words: set[str] = set()
        # Key words by what is left after deleting one (or two, for long words)
        # letters: a misspelling shares such a leftover with the word it misses.
        self._keys_by_deletion: dict[str, set[str]] = {}
        for key in lexicon.key_words:
            for leftover in _deletions(key, 2 if len(key) >= 8 else 1):
                self._keys_by_deletion.setdefault(leftover, set()).add(key)
        self._typo_cache: dict[str, str] = {}
        self._word_cache: dict[tuple[int, int, int], list[tuple[str, str]]] = {}
        self._chunk_cache: dict[str, _Words] = {}
        self._group_cache: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        self._slots: list[_Slot] = []
        self._slot_by_id: dict[int, _Slot] = {}
        self._gaps: dict[_Entry, tuple[int, ...]] = {}
        self._matchers = {
            _ROOTS: PhraseMatcher(nlp.vocab, attr="ORTH"),
            _ALL_ROOTS: PhraseMatcher(nlp.vocab, attr="ORTH"),
            _FORMS: PhraseMatcher(nlp.vocab, attr="ORTH"),
        }
        self._collect_lexicon_words()
        self._add_entries()

    @classmethod
    def from_lexicon(
        cls, path: Path = DEFAULT_LEXICON, nlp: Language | None = None
    ) -> CrisisDetector:
        """A detector for the lexicon at `path`, on Tend's spaCy pipeline by default."""
        return cls(
            load_crisis_lexicon(path), nlp if nlp is not None else load_pipeline()
        )

    # --- building ------------------------------------------------------------------

    def _collect_lexicon_words(self) -> None:
        """Every word the lexicon uses counts as a real word, never a typo."""
        lexicon = self.lexicon
        texts: list[str] = [*lexicon.key_words, *lexicon.fillers, *lexicon.exceptions]
        texts += list(lexicon.ask_first)
        texts += [*lexicon.worry.phrases, *lexicon.worry.exact]
        texts += [*lexicon.young_person, *lexicon.not_an_age, *lexicon.concern]
        texts += [w for ws in lexicon.spellings.values() for w in ws]
        texts += list(lexicon.word_roots.values())
        for values in (*lexicon.groups.values(), *lexicon.context.values()):
            texts += values
        for phrases in lexicon.categories.values():
            texts += [*phrases.phrases, *phrases.exact, *phrases.someone_else]
            texts += list(phrases.signs)
        for text in texts:
            self._lexicon_words.update(re.findall(r"[a-z]+", text))

    def _add_entries(self) -> None:
        lexicon = self.lexicon
        for category, phrases in lexicon.categories.items():
            for template in phrases.phrases:
                self._add(_Entry(category, template), _ROOTS)
            for template in phrases.exact:
                self._add(_Entry(category, template), _FORMS)
            for template in phrases.someone_else:
                self._add(_Entry(category, template, about_someone_else=True), _ROOTS)
            for template in phrases.signs:
                self._add(_Entry(category, template, sign=True), _ROOTS)
        for template in lexicon.exceptions:
            self._add(_Entry("exception", template), _ALL_ROOTS)
        for template in lexicon.ask_first:
            self._add(_Entry(ASK_FIRST_SECTION, template), _ALL_ROOTS)
        for template in lexicon.worry.phrases:
            self._add(_Entry("worry", template), _ROOTS)
        for template in lexicon.worry.exact:
            self._add(_Entry("worry", template), _FORMS)
        for name in ("past", "present", "relapse", "negators"):
            for template in lexicon.context[name]:
                self._add(_Entry(name, template), _FORMS)
        for template in lexicon.young_person:
            self._add(_Entry("young", template), _FORMS)
        for template in lexicon.concern:
            self._add(_Entry("concern", template), _ROOTS)

    def _add(self, entry: _Entry, view: str) -> None:
        """Registers a template with the matcher of its view.

        A template is matched in parts when it must be: "a ... b" allows up to
        five words between its parts, and a template whose groups multiply into
        too many phrases ("{intent} {harm_act} {target}") is cut into adjacent
        parts, so the matcher holds hundreds of phrases instead of many thousands.
        The parts are chained again when a message is read (`_chained`)."""
        entry = replace(entry, number=len(self._gaps))
        chunks = [chunk.strip() for chunk in entry.template.split(_GAP)]
        if any(not chunk for chunk in chunks):
            raise CrisisLexiconError(
                f"{self.lexicon.path}: `{entry.template}` has `...` at an end or "
                "twice in a row; it must stand between two parts of a phrase."
            )
        parts: list[tuple[list[tuple[str, ...]], int]] = []
        for number, chunk in enumerate(chunks):
            pieces = self._pieces(_parse_template(chunk), entry.template, view)
            for index, phrases in enumerate(pieces):
                gap = _GAP_WORDS if number > 0 and index == 0 else 0
                parts.append((phrases, gap))
        self._gaps[entry] = tuple(gap for _, gap in parts)
        vocab = self._nlp.vocab
        for number, (phrases, _) in enumerate(parts):
            key = f"tend_crisis_{len(self._slots)}"
            self._slots.append(_Slot(entry, number, len(parts)))
            self._slot_by_id[vocab.strings.add(key)] = self._slots[-1]
            self._matchers[view].add(key, [Doc(vocab, words=list(p)) for p in phrases])

    def _pieces(
        self, nodes: tuple[Any, ...], template: str, view: str
    ) -> list[list[tuple[str, ...]]]:
        """The phrases of one part, cut into adjacent pieces of at most
        `_PIECE_SIZE` phrases each (a piece that may be empty joins its neighbour)."""
        pieces: list[list[tuple[str, ...]]] = []
        current: list[tuple[str, ...]] = [()]
        for node in nodes:
            options = self._expand((node,), template, view)
            closable = current != [()] and () not in current
            if closable and len(current) * len(options) > _PIECE_SIZE:
                pieces.append(current)
                current = [()]
            current = list(dict.fromkeys(a + b for a, b in product(current, options)))
            if len(current) > _MAX_EXPANSIONS_PER_TEMPLATE:
                raise CrisisLexiconError(
                    f"{self.lexicon.path}: `{template}` expands into more than "
                    f"{_MAX_EXPANSIONS_PER_TEMPLATE} phrases; split it into smaller "
                    "entries or use smaller groups."
                )
        if () in current and pieces:
            # A trailing optional piece: fold it back into the one before.
            last = pieces.pop()
            current = list(dict.fromkeys(a + b for a, b in product(last, current)))
        pieces.append(current)
        if any(() in piece for piece in pieces):
            raise CrisisLexiconError(
                f"{self.lexicon.path}: `{template}` has a part made only of filler "
                "words or optional parts; it would match everything."
            )
        return pieces

    def _expand(
        self, nodes: tuple[Any, ...], template: str, view: str
    ) -> list[tuple[str, ...]]:
        """Every word sequence (in one view) a parsed template stands for."""
        results: list[tuple[str, ...]] = [()]
        for node in nodes:
            if isinstance(node, _Text):
                options = self._chunk(node.text, view)
            elif isinstance(node, _Group):
                options = self._group(node.name, template, view)
            else:
                options = list(
                    dict.fromkeys(
                        words
                        for option in node.options
                        for words in self._expand(option, template, view)
                    )
                )
                if (
                    () in options
                    and not node.optional
                    and self._filler_only(node.options, template)
                ):
                    raise CrisisLexiconError(
                        f"{self.lexicon.path}: in `{template}` one choice is only "
                        "filler words (skipped when reading), which would make the "
                        "whole choice optional. Remove it, or write the choice in "
                        "[square brackets] if it is meant to be optional."
                    )
            if len(results) * len(options) > _MAX_EXPANSIONS_PER_TEMPLATE:
                raise CrisisLexiconError(
                    f"{self.lexicon.path}: `{template}` expands into more than "
                    f"{_MAX_EXPANSIONS_PER_TEMPLATE} phrases; split it into smaller "
                    "entries or use smaller groups."
                )
            results = list(
                dict.fromkeys(done + more for done, more in product(results, options))
            )
        return results

    def _group(self, name: str, template: str, view: str) -> list[tuple[str, ...]]:
        if name in _BUILT_IN_GROUPS:
            return [(word,) for word in _BUILT_IN_GROUPS[name]]
        key = (name, view)
        if key not in self._group_cache:
            if name not in self.lexicon.groups:
                raise CrisisLexiconError(
                    f"{self.lexicon.path}: `{template}` uses the group `{{{name}}}`, "
                    "which is not defined under `groups:`."
                )
            self._group_cache[key] = []  # guards against a group naming itself
            options = [
                words
                for entry in self.lexicon.groups[name]
                for words in self._expand(_parse_template(entry), entry, view)
            ]
            entries = tuple(_parse_template(e) for e in self.lexicon.groups[name])
            if () in options and self._filler_only(entries, name):
                raise CrisisLexiconError(
                    f"{self.lexicon.path}: the group `{name}` has an entry made only "
                    "of filler words (skipped when reading); remove it."
                )
            self._group_cache[key] = list(dict.fromkeys(options))
        return self._group_cache[key]

    def _filler_only(self, options: Iterable[tuple[Any, ...]], template: str) -> bool:
        """Whether one of these options is nothing but filler words. (An option
        made only of `skipped_in_roots` words is fine: it is meant to be skipped.)"""
        return any(() in self._expand(option, template, _FORMS) for option in options)

    def _chunk(self, text: str, view: str) -> list[tuple[str, ...]]:
        if text not in self._chunk_cache:
            read = self._view(self._doc(normalise_text(text)))
            # Without the sentence ends _view() puts around a whole message.
            self._chunk_cache[text] = (
                tuple(read.forms[1:-1]),
                tuple(read.roots[1:-1]),
            )
        forms, roots = self._chunk_cache[text]
        if view == _FORMS:
            return [forms]
        if view == _ALL_ROOTS:
            return [roots]
        return [tuple(roots[i] for i in self._kept_roots(roots))]

    def _kept_roots(self, roots: list[str] | tuple[str, ...]) -> list[int]:
        """Positions of the roots that phrases are matched on: without the
        `skipped_in_roots` words, and without a "do" that only carries a "not"
        ("I don't want" reads like "I not want")."""
        skipped = self.lexicon.skipped_in_roots
        last = len(roots) - 1
        return [
            i
            for i, word in enumerate(roots)
            if word not in skipped
            and not (word == "do" and i < last and roots[i + 1] == "not")
        ]

    # --- reading a message -----------------------------------------------------------

    def _doc(self, text: str) -> Doc:
        """The normalised text as spaCy tokens with lemmas."""
        if self._lookup_lemmas:
            return self._nlp.make_doc(text)  # lemmas are looked up per word below
        return self._nlp(text)

    def _root(self, word: str) -> str:
        root = self._lemma_table.get(word, word)
        return root.lower() if isinstance(root, str) else word

    def _is_english(self, word: str) -> bool:
        return (
            word in self._lexicon_words
            or word in self._english
            or word in self._lemma_table
        )

    def _read_typo(self, word: str) -> str:
        """A word that is not English and is one slip (two for 8+ letters) from a
        key crisis word is read as that word; shorter words only via spellings."""
        cached = self._typo_cache.get(word)
        if cached is not None:
            return cached
        result = word
        if len(word) >= 5 and _letters_or_masks(word) and not self._is_english(word):
            limit = 2 if len(word) >= 8 else 1
            candidates = {
                key
                for leftover in _deletions(word, limit)
                for key in self._keys_by_deletion.get(leftover, ())
            }
            best = limit + 1
            for key in sorted(candidates):
                distance = edit_distance(word, key, limit)
                if distance < best:
                    best, result = distance, key
        if len(self._typo_cache) >= _TYPO_CACHE_SIZE:
            self._typo_cache.clear()
        self._typo_cache[word] = result
        return result

    def _token_words(self, token: Token) -> list[tuple[str, str]]:
        """The (form, root) words one token stands for; none for fillers."""
        key = (token.lower, token.norm, token.lemma)
        words = self._word_cache.get(key)
        if words is None:
            words = self._read_token(token)
            if len(self._word_cache) >= _TYPO_CACHE_SIZE:
                self._word_cache.clear()
            self._word_cache[key] = words
        if len(words) == 1 and (self._lookup_lemmas or words[0][0] != token.lower_):
            # The lemma of the word the token stands for: spaCy splits "gonna"
            # into "gon" + "na" (NORM "going", "to"), "im" into "i" + "m" ("am").
            token.lemma_ = words[0][1]
        return words

    def _read_token(self, token: Token) -> list[tuple[str, str]]:
        text = token.lower_
        if token.is_space:
            return [(_SENTENCE_END, _SENTENCE_END)] if "\n" in text else []
        spelt = self.lexicon.spellings.get(text)
        if spelt is not None:
            return [(w, self.lexicon.word_roots.get(w, self._root(w))) for w in spelt]
        if _AGE_TOKEN.fullmatch(text):
            return [(_NUMBER, _NUMBER), ("yo", "yo")]
        if token.like_num:
            word = _number_stand_in(text)
            return [(word, word)]
        dose = _DOSE_TOKEN.fullmatch(text)
        if dose:
            # "52mg" is one token; read as "52 mg" so a dose or reading is a number.
            word, unit = _number_stand_in(dose.group(1)), dose.group(2)
            return [(word, word), (unit, unit)]
        if not any(c.isalnum() for c in text):
            if set(text) <= {".", "!", "?"} and not (
                len(text) > 1 and set(text) == {"."}
            ):
                return [(_SENTENCE_END, _SENTENCE_END)]
            if text in (",", ";", ":"):
                return [(_CLAUSE_BREAK, _CLAUSE_BREAK)]
            return []  # hyphens, ellipses, quotes, brackets, emoticons, emoji
        if _DOTTED_LETTERS.fullmatch(text):
            undotted = text.replace(".", "")
            if undotted in self.lexicon.spellings:
                return self._plain_words(undotted)  # "k.m.s" is "kms"
        core = _EDGE_SYMBOLS.sub("", text)
        if core != text and any(c.isalpha() for c in core):
            # Symbols spaCy left stuck to a word ("myself-", "~die~").
            return self._plain_words(core)
        form = token.norm_ or text
        if form in self.lexicon.fillers:
            return []
        if _letters_or_masks(form) and len(form) >= 5:
            form = self._read_typo(form)
        if form != text or self._lookup_lemmas or not token.lemma_:
            lemma = self._root(form)
        else:
            lemma = token.lemma_.lower()
        return [(form, self.lexicon.word_roots.get(form, lemma))]

    def _units(self, doc: Doc) -> Iterator[Token | str]:
        """The doc's tokens, with letters typed one by one ("k i l l", "d i e")
        joined into the lexicon word they spell."""
        if not _SPELLED_OUT.search(doc.text):
            yield from doc
            return
        tokens = list(doc)
        index = 0
        while index < len(tokens):
            run_end = index
            while (
                run_end < len(tokens)
                and len(tokens[run_end].text) == 1
                and tokens[run_end].text.isalpha()
                and (run_end == index or tokens[run_end - 1].whitespace_)
            ):
                run_end += 1
            if run_end - index < 3:
                yield from tokens[index : max(run_end, index + 1)]
                index = max(run_end, index + 1)
                continue
            # Within a run of single letters, the longest lexicon word first.
            while index < run_end:
                for end in range(min(run_end, index + _LONGEST_SPELLED), index + 2, -1):
                    joined = "".join(t.lower_ for t in tokens[index:end])
                    if (
                        joined in self._lexicon_words
                        or joined in self.lexicon.spellings
                    ):
                        yield joined
                        index = end
                        break
                else:
                    yield tokens[index]
                    index += 1

    def _plain_words(self, word: str) -> list[tuple[str, str]]:
        """The (form, root) words for a word that is not a spaCy token."""
        spelt = self.lexicon.spellings.get(word)
        if spelt is None and word.isalpha() and len(word) >= 5:
            word = self._read_typo(word)
        forms = spelt if spelt is not None else (word,)
        return [
            (form, self.lexicon.word_roots.get(form, self._root(form)))
            for form in forms
            if form not in self.lexicon.fillers
        ]

    def _view(self, doc: Doc) -> _View:
        # A sentence end before and after the text lets a phrase say "at the start"
        # or "at the end" (". 15f", "want to cut .").
        forms: list[str] = [_SENTENCE_END]
        roots: list[str] = [_SENTENCE_END]
        numbers: dict[int, int] = {}
        sentence: list[int] = [0]
        spelt: set[int] = set()
        mine: set[int] = set()
        after_my = False
        current = 1
        for token in self._units(doc):
            if isinstance(token, str):
                words = self._plain_words(token)
            else:
                words = self._token_words(token)
            text = token if isinstance(token, str) else token.lower_
            if not words:
                after_my = after_my or text == "my"
                continue
            if len(words) == 1 and words[0][0] == forms[-1] not in _BREAKS:
                # "want to go to sleep" reads "want to to sleep" once "go" is
                # skipped; the doubled word is read once.
                continue
            if words[0][0] in _NUMBER_STAND_INS:
                value = _number_value(text)
                if value is not None:
                    numbers[len(forms)] = value
            if text in self.lexicon.spellings:
                spelt.update(range(len(forms), len(forms) + len(words)))
            if after_my:
                mine.add(len(forms))
            after_my = False
            for form, root in words:
                forms.append(form)
                roots.append(root)
                sentence.append(current)
                if form == _SENTENCE_END:
                    current += 1
        forms.append(_SENTENCE_END)
        roots.append(_SENTENCE_END)
        sentence.append(current)
        return _View(forms, roots, numbers, sentence, spelt, mine)

    def _hits(self, view: _View) -> list[_Hit]:
        vocab = self._nlp.vocab
        hits: list[_Hit] = []
        # Roots are matched without a few small words (`_kept_roots`), so "I not
        # want live" meets "I don't want to live"; `place` maps each position
        # matched there back to its position in the view.
        place = self._kept_roots(view.roots)
        roots = [view.roots[i] for i in place]
        views = ((_ROOTS, roots), (_ALL_ROOTS, view.roots), (_FORMS, view.forms))
        for name, words in views:
            found: list[_Hit] = []
            parts: dict[_Entry, dict[int, list[tuple[int, int]]]] = {}
            matches = self._matchers[name](Doc(vocab, words=words))
            # Grouped by key, not read one by one: a part such as "{stop}" meets
            # every sentence end, and a long text gives hundreds of thousands.
            matches.sort(key=itemgetter(0))
            for match_id, group in groupby(matches, key=itemgetter(0)):
                slot = self._slot_by_id[match_id]
                if slot.count == 1:
                    found.extend(_Hit(slot.entry, s, e) for _, s, e in group)
                else:
                    spans = [(start, end) for _, start, end in group]
                    parts.setdefault(slot.entry, {})[slot.number] = spans
            for entry, spans in parts.items():
                found.extend(_chained(entry, spans, self._gaps[entry]))
            if name == _ROOTS:
                found = [
                    _Hit(
                        h.entry,
                        place[h.start],
                        place[h.end - 1] + 1,
                        tuple((place[s - 1] + 1, place[e]) for s, e in h.gaps),
                    )
                    for h in found
                ]
            hits.extend(found)
        return hits

    def assess(self, text: str) -> CrisisAssessment:
        """Reads one message; never raises on a `str` (a bug reads as no crisis and
        is logged without the text)."""
        try:
            return self._assess(text)
        except Exception:  # the dialogue must go on; log, never the text
            logger.exception("Crisis detector failed on a message; read as none.")
            return NO_CRISIS

    def _assess(self, text: str) -> CrisisAssessment:
        normalised = normalise_text(text) if isinstance(text, str) else ""
        if not normalised:
            return NO_CRISIS
        view = self._view(self._doc(normalised))
        hits = sorted(self._hits(view), key=_start)
        # Each section's hits in order of their start, so the checks below look
        # only at hits near each other: a long message gives thousands.
        by_section = _Sections()
        for hit in hits:
            by_section.setdefault(hit.entry.section, []).append(hit)
        exceptions = by_section.get("exception", [])
        longest_exception = by_section.longest("exception")

        def kept(section: str) -> list[_Hit]:
            return [
                hit
                for hit in by_section.get(section, [])
                if not any(
                    hit.overlaps(e)
                    for e in _starting_between(
                        exceptions, hit.start - longest_exception, hit.end - 1
                    )
                )
            ]

        negators = by_section.get("negators", [])
        found = [hit for c in CATEGORY_URGENCY for hit in kept(c)]
        crisis_hits = [hit for hit in found if not hit.entry.sign]
        ask_first = by_section.get(ASK_FIRST_SECTION, [])
        longest_ask_first = by_section.longest(ASK_FIRST_SECTION)
        readings: list[_Reading] = []
        for hit in _most_specific(crisis_hits):
            negated = self._negated(hit, view, negators)
            # "I'd never hurt her" still reads as the writer's denial (a worry).
            if self._writer_does_it(hit, view) and not negated:
                continue
            readings.append(
                _Reading(
                    category=hit.entry.section,
                    label=hit.entry.label,
                    about_someone_else=self._about_someone_else(hit, view),
                    negated=negated,
                    past=self._in_the_past(hit, view, by_section),
                    # Under an ask-first phrase: inside it, ending where it ends
                    # (a threat in the middle of "if he hits me once more i'll
                    # ..." is not softened by the figure of speech around it).
                    ask_first=any(
                        a.start <= hit.start and hit.end == a.end
                        for a in _starting_between(
                            ask_first, hit.start - longest_ask_first, hit.end - 1
                        )
                    ),
                )
            )
        # A worry told about the past ("I felt like a burden as a kid") is the
        # ordinary material of inner child work, not a worry now.
        worries = [
            h
            for h in kept("worry")
            if not self._negated(h, view, negators)
            and not self._in_the_past(h, view, by_section)
        ]
        # Someone else's hopeless words beside the writer's fear for them ("she
        # says she wants to go to God soon, i am very worried for her") are
        # someone else in danger. Alone they stay a worry: reading them as nothing
        # lost more than it mended on the development sets.
        concerned = bool(kept("concern"))
        theirs = (
            [h for h in worries if self._about_someone_else(h, view)]
            if concerned
            else []
        )
        if theirs:
            worries = [h for h in worries if h not in theirs]
            readings.append(
                _Reading("suicide", theirs[0].entry.label, True, False, False)
            )
        # Warning signs decide only when no phrase already says the writer is in
        # danger now: they are weaker evidence than a crisis phrase.
        relapse = bool(by_section.get("relapse"))
        standing = self._standing_signs(
            [hit for hit in found if hit.entry.sign], view, negators, by_section
        )
        # A worry pairs with a suicide sign, unless the writer denies a crisis
        # ("I'm not suicidal, I've just made a will for the house").
        worried = bool(worries) and not any(r.negated for r in readings)
        # Phrases often innocent alone do not stop the signs from being read:
        # two signs beside them make the crisis plain.
        firm = [r for r in readings if not r.ask_first]
        signs: list[tuple[_Reading, list[_Hit]]] = []
        if not _writer_in_crisis_now(firm, relapse):
            signs = self._signs_together(standing, view, worried, concerned)
        readings += [reading for reading, _ in signs]
        matched = sorted(
            {r.label for r in readings if not r.label.startswith(_SIGNS_LABEL)}
            | {hit.entry.label for _, hits in signs for hit in hits}
            | {h.entry.label for h in worries}
            | {h.entry.label for h in exceptions}
            | {h.entry.label for h in ask_first}
        )
        kind, category, negated = _decide(readings, bool(worries), relapse)
        firm += [reading for reading, _ in signs]
        # Asked first only when nothing else says danger: no worry, no other
        # crisis phrase, no warning sign of the same category (a sign inside the
        # ask-first words is the same words, not a second thing).
        asked_first = (
            kind == "crisis"
            and not worried
            and not _writer_in_crisis_now(firm, relapse)
            and not any(
                not any(h.overlaps(a) for a in ask_first)
                for h in standing.get(category or "", [])
            )
        )
        return CrisisAssessment(
            kind=kind,
            category=category,
            young_person=self._says_young(view, by_section.get("young", [])),
            negated=negated,
            matched=tuple(matched),
            ask_first=asked_first,
        )

    def _standing_signs(
        self,
        hits: list[_Hit],
        view: _View,
        negators: list[_Hit],
        by_section: _Sections,
    ) -> dict[str, list[_Hit]]:
        """The warning signs that count, by category: not negated, not in the
        distant past, and each different (signs that share words are one sign
        found twice)."""
        chosen: dict[str, list[_Hit]] = {}
        for hit in sorted(hits, key=lambda h: h.start):
            if self._negated(hit, view, negators) or self._in_the_past(
                hit, view, by_section
            ):
                continue
            kept = chosen.setdefault(hit.entry.section, [])
            if not any(
                hit.overlaps(other) or hit.entry.template == other.entry.template
                for other in kept
            ):
                kept.append(hit)
        return chosen

    def _signs_together(
        self,
        chosen: dict[str, list[_Hit]],
        view: _View,
        worried: bool,
        concerned: bool,
    ) -> list[tuple[_Reading, list[_Hit]]]:
        """Warning signs that stand for a crisis together: two different signs of
        one category, or one suicide sign beside a worry (the worry phrases are
        the language of hopelessness), or one sign about someone else beside the
        writer's fear for them (`concern`; a body sign alone is too often innocent,
        so medical signs still need two). The signs are about someone else only
        when every one of them is."""
        together = []
        for category, kept in chosen.items():
            someone_else = all(self._about_someone_else(h, view) for h in kept)
            paired = category == "suicide" and worried and not someone_else
            feared_for = someone_else and concerned and category != "medical"
            if len(kept) >= 2 or paired or feared_for:
                reading = _Reading(category, _SIGNS_LABEL, someone_else, False, False)
                together.append((reading, kept))
        return together

    # --- reading one phrase in its sentence --------------------------------------

    def _sentence_start(self, position: int, view: _View) -> int:
        # Sentence numbers only grow along the message.
        return bisect_left(view.sentence, view.sentence[position])

    def _about_someone_else(self, hit: _Hit, view: _View) -> bool:
        """Whom the phrase is about: its own words first ("herself", "me"), then
        the nearest person word before it in the sentence; the writer by default."""
        if hit.entry.about_someone_else:
            return True
        # Words the writer typed, not ones a spelling stood for: in "they're
        # going to kms" the "myself" inside "kms" is theirs, not the writer's.
        words = [
            view.forms[p] for p in range(hit.start, hit.end) if p not in view.spelt
        ]
        if any(w in self._other_self for w in words):
            return not any(w in self._self_words for w in words)
        if any(w in self._self_words for w in words):
            return False
        if hit.entry.section in ("medical", "self_harm", "abuse") and any(
            p in view.mine for p in range(hit.start, hit.end)
        ):
            # "someone spiked my drink", "he's threatening to share my nudes":
            # the writer's body, the writer's things.
            return False
        if words and words[0] in self._third_person:
            # The phrase names its subject. In an abuse phrase that subject is the
            # one hurting the writer ("he held a knife to my throat").
            return hit.entry.section != "abuse"
        return self._named_before(hit, view) == "other"

    def _writer_does_it(self, hit: _Hit, view: _View) -> bool:
        """A phrase listed as someone else being hurt ("hit her", "hurt my
        sister") that the writer is named as doing: "I slapped her", "i hurt my
        sister's feelings". It is not someone else's abuse then; whether it is
        harm the writer is doing now is for the harm_to_others phrases and the
        learnt reader, which know "on purpose" from "feelings"."""
        return (
            hit.entry.about_someone_else
            and hit.entry.section == "abuse"
            and view.forms[hit.start] not in self._person_words
            and self._named_before(hit, view) == "writer"
        )

    def _named_before(self, hit: _Hit, view: _View) -> str | None:
        """Who is named nearest before the phrase in its sentence: "writer",
        "other", or None when nobody is."""
        start = self._sentence_start(hit.start, view)
        # "I told my mum about wanting to die": after "about"/"of", the people
        # before the next verb are listeners, not the subject.
        skipping_listeners = hit.start > 0 and view.forms[hit.start - 1] in (
            self._gerund_links
        )
        for position in range(hit.start - 1, max(start, hit.start - 15) - 1, -1):
            word = view.forms[position]
            before = view.forms[position - 1] if position > 0 else ""
            if word in self._first_person:
                # "my friend texted me saying ...": "me" only heard it.
                if not skipping_listeners and before not in self._speech_verbs:
                    return "writer"
            elif word in self._third_person:
                if not skipping_listeners:
                    return "other"
            elif word not in _DETERMINERS and word not in self._gerund_links:
                skipping_listeners = False
        return None

    def _negated(self, hit: _Hit, view: _View, negators: list[_Hit]) -> bool:
        """The writer negates the phrase: a negator before it in the same clause,
        with only auxiliary and wanting words between ("I would never kill myself",
        "I'm not suicidal"). A phrase whose own words hold the negation ("I don't
        want to live") is not negated by it."""
        # A phrase that opens with a sentence end (". ending it") starts after it,
        # so a negator in the sentence before ("can't anymore.") does not reach it.
        for negator in negators:
            if negator.end > hit.start or hit.start - negator.end > 6:
                continue
            between = view.forms[negator.end : hit.start + 1]
            if between[-1] != _SENTENCE_END:
                between.pop()
            if all(word in self._negation_reach for word in between):
                return True
        return False

    def _in_the_past(self, hit: _Hit, view: _View, by_section: _Sections) -> bool:
        """A distant-past marker is nearer to the phrase than any now/recent marker
        in its sentence ("I was abused as a child" but "I cut myself last night")."""
        sentence = view.sentence[hit.start]
        first = bisect_left(view.sentence, sentence)
        last = bisect_right(view.sentence, sentence) - 1

        def nearest(section: str) -> int | None:
            markers = _starting_between(by_section.get(section, []), first, last)
            # The first marker starting after the phrase, then those before it,
            # nearest first, until none could be nearer (a marker is at most
            # `longest` words long).
            after = bisect_left(markers, hit.end, key=_start)
            best = markers[after].start - hit.end if after < len(markers) else None
            longest = by_section.longest(section)
            for marker in reversed(markers[:after]):
                if best is not None and hit.start - (marker.start + longest) >= best:
                    break
                gap = hit.gap_to(marker)
                best = gap if best is None else min(best, gap)
            return best

        past, present = nearest("past"), nearest("present")
        return past is not None and (present is None or past < present)

    def _says_young(self, view: _View, hits: list[_Hit]) -> bool:
        """The writer states an age under 18 ("I'm 13", "15 year old here")."""
        for hit in hits:
            if "{age}" not in hit.entry.template:
                return True  # "I'm in middle school", "I'm underage"
            following = view.forms[hit.end] if hit.end < len(view.forms) else ""
            if following in self.lexicon.not_an_age:
                continue  # "I'm 15 minutes away"
            for position in range(hit.start, hit.end):
                if view.numbers.get(position) in _YOUNG_AGES:
                    return True
        return False


_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")
_DECIMAL = re.compile(r"(\d+)\.\d+")
_FRACTION = re.compile(r"(\d{1,3})/(\d{1,3})")


def _chained(
    entry: _Entry, found: dict[int, list[tuple[int, int]]], gaps: tuple[int, ...]
) -> Iterator[_Hit]:
    """Hits for an entry matched in parts: each part starting where the one before
    ended, or up to `gaps[part]` words later. At most one hit per start."""
    if len(found) < len(gaps):
        return
    spans = [sorted(set(found[number])) for number in range(len(gaps))]
    starts = [[start for start, _ in part] for part in spans]

    Gap = tuple[tuple[int, int], ...]

    def ends_from(number: int, end: int) -> Iterator[tuple[int, Gap]]:
        if number == len(spans):
            yield end, ()
            return
        low = bisect_left(starts[number], end)
        high = bisect_right(starts[number], end + gaps[number])
        for next_start, next_end in spans[number][low:high]:
            here = ((end, next_start),) if next_start > end else ()
            for last_end, later in ends_from(number + 1, next_end):
                yield last_end, here + later

    for start, end in spans[0]:
        for last_end, found_gaps in ends_from(1, end):
            yield _Hit(entry, start, last_end, found_gaps)
            break


def _letters_or_masks(word: str) -> bool:
    """Letters, with perhaps a masked letter or two inside ("s*icidal", "su**ide"):
    a "*" typed in place of a letter counts as one slip when reading typos."""
    return word.replace("*", "").isalpha() and word.count("*") <= 2 and word[0] != "*"


def _number_stand_in(text: str) -> str:
    """The stand-in a number is read as: which range its value falls in."""
    value = _number_value(text)
    if value is not None and value < _FEW_BELOW:
        return _FEW
    if value in _LOW_MGDL_VALUES:
        return _LOW_MGDL
    if len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099:
        return _YEAR
    return _NUMBER


def _number_value(text: str) -> int | None:
    """The value of a number token we can read ("13", "15yo", "7th", "fifteen"),
    whole numbers only: "2.5" is 2 and "1/2" is 0, as a count they are a few."""
    if text.isdigit():
        return int(text) if len(text) <= 3 else None
    decimal = _DECIMAL.fullmatch(text)
    if decimal:
        return _number_value(decimal.group(1))
    fraction = _FRACTION.fullmatch(text)
    if fraction and int(fraction.group(2)):
        return int(fraction.group(1)) // int(fraction.group(2))
    ordinal = _ORDINAL.fullmatch(text)
    if ordinal:
        return int(ordinal.group(1))
    with_unit = _AGE_TOKEN.fullmatch(text) or _DOSE_TOKEN.fullmatch(text)
    if with_unit:
        return _number_value(with_unit.group(1))
    return _NUMBER_WORDS.get(text)


def _most_specific(hits: list[_Hit]) -> list[_Hit]:
    """Drops a phrase that lies inside a longer phrase of another category: in
    "he's going to hurt his wife" the intent to harm outweighs "hurt wife". Not inside
    a gap: in "not going to kill myself, i just need to cut tonight" the cutting starts
    between "kill myself" and "tonight" and is read on its own."""
    ordered = sorted(hits, key=_start)
    longest = max((h.end - h.start for h in hits), default=0)
    return [
        hit
        for hit in hits
        if not any(
            other.entry.section != hit.entry.section
            and hit.end <= other.end
            and other.end - other.start > hit.end - hit.start
            and not hit.starts_in_a_gap_of(other)
            for other in _starting_between(ordered, hit.end - longest, hit.start)
        )
    ]


def _start(hit: _Hit) -> int:
    return hit.start


class _Sections(dict[str, list[_Hit]]):
    """A message's hits by section, each list in order of start."""

    def __init__(self) -> None:
        super().__init__()
        self._longest: dict[str, int] = {}

    def longest(self, section: str) -> int:
        """The most words any hit of `section` spans."""
        if section not in self._longest:
            hits = self.get(section, [])
            self._longest[section] = max((h.end - h.start for h in hits), default=0)
        return self._longest[section]


def _starting_between(hits: list[_Hit], low: int, high: int) -> list[_Hit]:
    """The hits (in order of their start) that start at `low` to `high`."""
    return hits[
        bisect_left(hits, low, key=_start) : bisect_right(hits, high, key=_start)
    ]


def _most_urgent(readings: Iterable[_Reading]) -> str | None:
    categories = {r.category for r in readings}
    return next((c for c in CATEGORY_URGENCY if c in categories), None)


def _writer_in_crisis_now(readings: list[_Reading], relapse: bool) -> bool:
    """Whether a standing phrase says the writer is in danger now (`_decide`)."""
    return any(
        not r.negated and (not r.past or relapse) and not r.about_someone_else
        for r in readings
    )


def _decide(
    readings: list[_Reading], worried: bool, relapse: bool
) -> tuple[Kind, str | None, bool]:
    """The message's kind, category and negation from its phrases' readings."""
    standing = [r for r in readings if not r.negated]
    # "I used to cut and I started again": a relapse brings the past into now.
    now = [r for r in standing if not r.past or relapse]
    writer_now = [r for r in now if not r.about_someone_else]
    if writer_now:
        return "crisis", _most_urgent(writer_now), False
    if now:
        return "someone_else", _most_urgent(now), False
    # Someone else's past ("my friend killed herself two years ago") is grief,
    # not a disclosure of the writer's own experience.
    writer_past = [r for r in standing if not r.about_someone_else]
    if writer_past:
        return "disclosure", _most_urgent(writer_past), False
    denied = [r for r in readings if r.negated]
    if denied:
        return "worry", _most_urgent(denied), True
    if worried:
        return "worry", None, False
    return "none", None, False


def _intent_ranking(message: Message) -> Iterator[dict[str, Any]]:
    """The message's intent ranking so far (empty when no classifier ran)."""
    yield from message.get(INTENT_RANKING_KEY) or []


# --- the Rasa component ---------------------------------------------------------

# The FallbackClassifier's `threshold` in config.yml, unless config.yml says otherwise.
DEFAULT_FALLBACK_THRESHOLD = 0.45
# How sure the learnt reader (bot.nlu.crisis_model) must be, when the word lists
# found nothing, for Tend's crisis reply, and for the direct question. Chosen on the
# development sets (docs/safety-history.md); config.yml can set them.
DEFAULT_LEARNT_CRISIS = 0.7
DEFAULT_LEARNT_QUESTION = 0.55
# Beside an everyday idiom the lists know ("this homework is killing me"), only the
# direct question, and only this sure: in leave-one-writer-out runs on eight
# development sets, 7 crises and none of 164 everyday messages with an idiom.
DEFAULT_LEARNT_BESIDE_IDIOM = 0.9
# When the lists read someone else's danger, the crisis reply on the reader's word
# only this sure: the lists take "he'll hurt the dog if I go" and "dad said he'll
# break my legs" as about another person. Leaving each writer out in turn, 14 of
# 3,660 crises were found this way, no everyday message changed, and 3 of 225
# messages about another person got the crisis reply (all emergencies happening
# now, where its contacts fit too).
DEFAULT_LEARNT_OVER_SOMEONE_ELSE = 0.9
# Under the question's line but this sure, with the lists finding nothing: a faint
# sign. It changes no reply; the safety policy counts it with the worries, so two
# in one conversation (or one and a worry) bring the direct question.
DEFAULT_LEARNT_FAINT = 0.45
# When the lists found nothing and the reader is not sure of a crisis now, the
# reader's other kinds (bot.nlu.crisis_model.OTHER_KINDS): this sure that the
# message is about someone else's danger or a past experience, and Tend answers as
# it does when the lists read that kind; this sure of a worry, and it is a faint
# sign (counted, nothing said). Above 1: never. Chosen by leaving one writer out
# (docs/safety-history.md): a past experience needs more, as everyday memories of
# childhood, Tend's own material, read like one.
DEFAULT_LEARNT_OTHER_KINDS = {"someone_else": 0.6, "disclosure": 0.7, "worry": 0.7}


@lru_cache(maxsize=4)
def _detector_for(path: Path, digest: str) -> CrisisDetector:
    """One detector per lexicon version per process (the pipeline loads once)."""
    return CrisisDetector.from_lexicon(path)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisClassifier(GraphComponent, IntentClassifier):
    """Sets Tend's safety intents from crisis.yml; runs last in the NLU pipeline."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Relative to the project root, so config.yml reads the same everywhere.
        # `fallback_threshold` should be the FallbackClassifier's `threshold`: a
        # learnt safety intent that is dropped leaves the best ordinary intent,
        # which must be as sure as any other to be acted on.
        return {
            "lexicon": "data/lexicons/crisis.yml",
            "fallback_threshold": DEFAULT_FALLBACK_THRESHOLD,
            "learnt_crisis": DEFAULT_LEARNT_CRISIS,
            "learnt_question": DEFAULT_LEARNT_QUESTION,
            "learnt_beside_idiom": DEFAULT_LEARNT_BESIDE_IDIOM,
            "learnt_over_someone_else": DEFAULT_LEARNT_OVER_SOMEONE_ELSE,
            "learnt_faint": DEFAULT_LEARNT_FAINT,
            "learnt_other_kinds": DEFAULT_LEARNT_OTHER_KINDS,
        }

    @staticmethod
    def lexicon_path(config: dict[str, Any]) -> Path:
        path = Path(config.get("lexicon") or "data/lexicons/crisis.yml")
        return path if path.is_absolute() else PROJECT_ROOT / path

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The lexicon's bytes: editing a word list makes Rasa retrain the graph."""
        try:
            return lexicon_digest(cls.lexicon_path(config))
        except OSError:
            return None  # `create` reports the missing file with the fix

    def __init__(self, config: dict[str, Any], detector: CrisisDetector) -> None:
        self.component_config = config
        self._detector = detector

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisClassifier:
        path = cls.lexicon_path(config)
        lexicon = load_crisis_lexicon(path)  # fails early with a readable message
        return cls(config, _detector_for(path, lexicon.digest))

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets the safety intent (or clears a learnt one) on each message."""
        for message in messages:
            try:
                self._process_one(message)
            except Exception:  # never stop the conversation
                logger.exception("CrisisClassifier failed on a message; left as is.")
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        assessment = self._detector.assess(text if isinstance(text, str) else "")
        if reader_is_asked(assessment) and self._learnt_crisis(message, assessment):
            return
        if assessment.kind != "none":
            self._set_safety_intent(message, assessment)
            return
        idiom = _has_idiom(assessment)
        earlier = message.get(INTENT) or {}
        if earlier.get(INTENT_NAME_KEY) not in DETECTOR_INTENTS:
            return
        # DIET learnt the safety intents from examples, but the word lists found
        # nothing. A confident "crisis" without an everyday idiom is still worth a
        # direct question; anything else falls back to the best ordinary intent.
        confidence = float(earlier.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        if earlier.get(INTENT_NAME_KEY) == CRISIS and confidence >= 0.8 and not idiom:
            _set_strong_worry(message, confidence)
            return
        ordinary = [
            entry
            for entry in _intent_ranking(message)
            if entry.get(INTENT_NAME_KEY) not in DETECTOR_INTENTS
        ]
        threshold = float(
            self.component_config.get("fallback_threshold", DEFAULT_FALLBACK_THRESHOLD)
        )
        best = ordinary[0] if ordinary else {PREDICTED_CONFIDENCE_KEY: 0.0}
        if float(best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < threshold:
            # As the FallbackClassifier would have said, had it seen this ranking.
            best = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: threshold,
            }
            ordinary = [best, *ordinary]
        message.set(INTENT, dict(best), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ordinary, add_to_output=True)

    def _learnt_crisis(self, message: Message, assessment: CrisisAssessment) -> bool:
        """The learnt reader's word (`reader_is_asked`): a crisis when it is sure
        and the lists found nothing, or very sure over someone else's danger; the
        direct question when it is fairly sure or the lists found a worry, or very
        sure beside an everyday idiom; under that, with the lists finding nothing,
        another kind it is sure of (`learnt_other_kinds`), or else a faint sign
        (`learnt_faint`) that changes no reply. True when it decided."""
        reading = learnt_reading(message)
        if reading is None:
            return False
        config = self.component_config
        idiom = _has_idiom(assessment)
        sure = float(config.get("learnt_crisis", DEFAULT_LEARNT_CRISIS))
        fairly = float(
            config.get("learnt_beside_idiom", DEFAULT_LEARNT_BESIDE_IDIOM)
            if idiom
            else config.get("learnt_question", DEFAULT_LEARNT_QUESTION)
        )
        logger.debug("Learnt crisis reader: %.2f", reading.probability)
        if assessment.kind == "someone_else":
            over = float(
                config.get("learnt_over_someone_else", DEFAULT_LEARNT_OVER_SOMEONE_ELSE)
            )
            if reading.probability < over:
                return False
            learnt = replace(assessment, kind="crisis", category=reading.category)
            self._set_safety_intent(message, learnt, reading.probability)
            return True
        # Beside a worry or an idiom the lists found, never the crisis reply on the
        # reader's word alone: panic felt in the body with "i want it to stop"
        # reads like an overdose to it. The direct question comes at once instead.
        if reading.probability >= sure and assessment.kind == "none" and not idiom:
            learnt = replace(assessment, kind="crisis", category=reading.category)
            self._set_safety_intent(message, learnt, reading.probability)
            return True
        if reading.probability >= fairly:
            _set_strong_worry(message, reading.probability)
            return True
        if assessment.kind != "none" or idiom:
            return False
        # The lists found nothing and the reader does not ask about a crisis now:
        # its other kinds, then a faint sign.
        if self._learnt_other_kind(message, reading, assessment):
            return True
        faint = float(config.get("learnt_faint", DEFAULT_LEARNT_FAINT))
        if reading.probability >= faint:
            message.set(FAINT_SIGN, True, add_to_output=True)
        return False

    def _learnt_other_kind(
        self, message: Message, reading: LearntReading, assessment: CrisisAssessment
    ) -> bool:
        """Someone else's danger or a past experience on the reader's word when it
        is sure enough (`learnt_other_kinds`): that kind's reply. A worry it is
        sure of is a faint sign: counted, with no reply of its own, as the lists'
        worries and the reader's are not told apart by everyone ("everything is
        just a lot right now"), and the intent is left to the rest of
        `_process_one`, as for any faint sign. True when it set the intent."""
        kind, probability = reading.likeliest_other_kind()
        lines = {
            **DEFAULT_LEARNT_OTHER_KINDS,
            **(self.component_config.get("learnt_other_kinds") or {}),
        }
        if kind == "none" or probability < float(lines.get(kind, 2.0)):
            return False
        if kind == "worry":
            message.set(FAINT_SIGN, True, add_to_output=True)
            return False
        learnt = replace(assessment, kind=kind, category=reading.category)
        self._set_safety_intent(message, learnt, probability)
        return True

    @staticmethod
    def _set_safety_intent(
        message: Message, assessment: CrisisAssessment, confidence: float = 1.0
    ) -> None:
        name = WORRY if assessment.ask_first else INTENT_BY_KIND[assessment.kind]
        _set_intent(
            message, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        )
        if assessment.ask_first:
            _add_entity(message, WORRY_LEVEL, ASK_FIRST)
        if assessment.category is not None:
            _add_entity(message, "crisis_category", assessment.category)
        if assessment.young_person:
            _add_entity(message, "young_person", "true")
        logger.debug("Crisis lexicon entries fired: %s", assessment.matched)


def reader_is_asked(assessment: CrisisAssessment) -> bool:
    """Whether the learnt reader's word is asked for: the lists found nothing, or
    only a worry the writer does not deny (worrying words and a reader sure of a
    crisis say more together: on two blind sets every such message was a crisis;
    docs/safety.md). Beside an everyday idiom the lists know it is asked too, but
    may only bring the direct question, and only when very sure. When the lists
    read someone else's danger, it is asked whether the writer is the one in it,
    and only a very sure reader overrules them (`learnt_over_someone_else`). A
    crisis phrase often innocent alone (`ask_first`) is not the reader's to decide:
    alone, such a phrase is all it has to go on."""
    return assessment.kind in ("none", "someone_else") or (
        assessment.kind == "worry" and not assessment.negated
    )


def _has_idiom(assessment: CrisisAssessment) -> bool:
    return any(label.startswith("exception:") for label in assessment.matched)


def _set_strong_worry(message: Message, confidence: float) -> None:
    """A worry strong enough for Tend to ask directly about ending life."""
    _set_intent(
        message,
        {INTENT_NAME_KEY: WORRY, PREDICTED_CONFIDENCE_KEY: confidence},
    )
    _add_entity(message, WORRY_LEVEL, STRONG_WORRY)


def _set_intent(message: Message, intent: dict[str, Any]) -> None:
    """`intent` on top of the ranking, every safety intent dropped below it."""
    rest = [
        entry
        for entry in _intent_ranking(message)
        if entry.get(INTENT_NAME_KEY) not in DETECTOR_INTENTS
        and entry.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *rest], add_to_output=True)


def _add_entity(message: Message, entity: str, value: str) -> None:
    text = message.get(TEXT)
    entities = [
        e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) != entity
    ]
    entities.append(
        {
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: len(text) if isinstance(text, str) else 0,
            ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_TYPE: entity,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            EXTRACTOR: CrisisClassifier.__name__,
        }
    )
    message.set(ENTITIES, entities, add_to_output=True)
