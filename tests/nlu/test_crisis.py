"""Tests for the crisis detector in bot/nlu/crisis.py and its word lists.

The sentences here are written for the tests; they are not the evaluation cases
(tests/data/crisis_cases.yml), which `python -m bot.cli.eval_crisis` measures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu.crisis import (
    CATEGORY_URGENCY,
    DEFAULT_LEXICON,
    CrisisDetector,
    CrisisLexiconError,
    load_crisis_lexicon,
)
from tests.work_count import growth

KINDS = {"crisis", "disclosure", "someone_else", "worry", "none"}
ORDINARY_WORDS = (
    "today i went for a long walk by the river with my sister and we talked about "
    "school work and the weekend and what to cook for dinner and whether the "
    "weather will hold for the trip next month "
).split()


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    return CrisisDetector.from_lexicon()


def ordinary_words(count: int) -> str:
    return " ".join(ORDINARY_WORDS[i % len(ORDINARY_WORDS)] for i in range(count))


# --- every category -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i swallowed 40 paracetamol an hour ago", "medical"),
        ("i'm going to kill myself tonight", "suicide"),
        ("my stepdad hits me when he's drunk", "abuse"),
        ("i'm going to stab him when he gets home", "harm_to_others"),
        ("i cut my arms again last night", "self_harm"),
    ],
)
def test_each_category_is_read_as_a_crisis(detector, text, category):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("crisis", category)


@pytest.mark.parametrize(
    "text",
    [
        "i want to end my life",
        "i don't want to be alive anymore",
        "everyone would be happier if i wasn't here",
        "i won't be around much longer",
        "i've written letters to my family saying goodbye",
        "i've been saving my pills for weeks",
        "bought a rope today",
        "this is my last message before i do it, tell my brother sorry",
        "i'm standing on the roof right now",
        "kms",
        "i want to unalive myself",
        "thinking about sewerslide tbh",
        "i wanna kil myself",
        "im so suicdal",
        "k1ll mys3lf",
        "i w4nt to d!e",
        "I WANT TO DIIIIE",
        "i want to kill my self",
        # A "*" typed in place of a letter counts as one slip, like a typo.
        "been having s*icidal thoughts all day",
        "im su*cidal tonight",
        "i feel so s**cidal",
    ],
)
def test_direct_indirect_planned_and_misspelt_suicide_is_a_crisis(detector, text):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("crisis", "suicide")


def test_the_most_urgent_category_wins_when_several_fire(detector):
    assessment = detector.assess("i took 30 pills because i want to die")
    assert (assessment.kind, assessment.category) == ("crisis", "medical")


def test_suicide_outranks_self_harm(detector):
    assessment = detector.assess("i cut myself and now i want to kill myself")
    assert assessment.category == "suicide"


def test_urgency_order_is_medical_suicide_abuse_harm_self_harm():
    assert CATEGORY_URGENCY == (
        "medical",
        "suicide",
        "abuse",
        "harm_to_others",
        "self_harm",
    )


@pytest.mark.parametrize(
    "text", ["what a sh*tty day", "f*cking tired of this traffic", "*sigh* long week"]
)
def test_masked_swear_words_stay_everyday(detector, text):
    assert detector.assess(text).kind == "none"


# --- tense ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "i took 30 pills an hour ago",
        "i cut myself last night",
        "he hit me yesterday",
        "i tried to kill myself this morning",
        "i wanted to die yesterday",
    ],
)
def test_recent_past_counts_as_now(detector, text):
    assert detector.assess(text).kind == "crisis"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I wanted to die when I was 12", "suicide"),
        ("I used to cut myself in high school", "self_harm"),
        ("I was abused as a child", "abuse"),
        ("my dad hit me when I was little", "abuse"),
        ("i overdosed years ago and i'm ok now", "medical"),
        ("i self harmed from 13 to 16 and i've been clean since", "self_harm"),
    ],
)
def test_a_clearly_distant_past_is_a_disclosure(detector, text, category):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("disclosure", category)


@pytest.mark.parametrize(
    "text",
    [
        "I used to cut and I started again",
        "I wanted to die when I was 12 and I feel the same way now",
        "my dad hit me when I was little and he still does",
        "i was abused as a kid. now my boyfriend hits me",
    ],
)
def test_a_past_experience_happening_again_is_a_crisis(detector, text):
    assert detector.assess(text).kind == "crisis"


def test_unmarked_past_tense_counts_as_now(detector):
    assert detector.assess("he raped me").kind == "crisis"


# --- whom it is about -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my friend says she wants to kill herself", "suicide"),
        ("my sister is cutting herself", "self_harm"),
        ("i think my brother took too many pills, he isn't waking up", "medical"),
        ("my dad hits my mum", "abuse"),
        ("my flatmate keeps talking about wanting to die", "suicide"),
        ("someone in my class said they're going to kms tonight", "suicide"),
        # The writer only sees it, hears it or tells of it.
        ("i think my dad is hitting my little sister again", "abuse"),
        ("i can hear my stepdad hurting my brother through the wall", "abuse"),
        ("i saw him slap her outside the chip shop", "abuse"),
        ("i rang the police because he punched my mum", "abuse"),
        ("i found out my cousin is beating his girlfriend", "abuse"),
    ],
)
def test_someone_else_at_risk_is_someone_else(detector, text, category):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("someone_else", category)


@pytest.mark.parametrize(
    "text",
    [
        "my mum thinks I want to die",
        "I told my mum about wanting to die",
        "my friend texted me and i want to die",
        "people keep telling me to kys",
    ],
)
def test_the_writer_is_the_subject_even_when_others_are_named(detector, text):
    assert detector.assess(text).kind == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        # The writer does it: not someone else being hurt. Everyday ones are left
        # to nobody; harm now is for the harm_to_others phrases and the reader.
        "i hurt my sister's feelings at dinner and i feel awful",
        "i touched my mum's hand at the hospice and she smiled",
        "i kicked my brother under the table when he said it",
        "yesterday i slapped her when she wouldn't eat and i'm scared of myself",
        "im 14 and i hurt my little brother on purpose today",
    ],
)
def test_harm_the_writer_does_is_not_someone_elses(detector, text):
    assert detector.assess(text).kind not in ("someone_else", "disclosure")


def test_the_writer_denying_harm_to_someone_is_still_a_denial(detector):
    assessment = detector.assess("i'm so angry at him but i'd never hurt him")
    assert (assessment.kind, assessment.negated) == ("worry", True)


def test_a_crisis_of_the_writer_outranks_worry_about_someone_else(detector):
    text = "my friend wants to kill herself and honestly i want to die too"
    assert detector.assess(text).kind == "crisis"


def test_someone_elses_death_in_the_past_is_grief_not_a_crisis(detector):
    assessment = detector.assess("my uncle killed himself three years ago")
    assert assessment.kind == "none"


# --- negation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, just exhausted",
        "I would never kill myself",
        "i'm not going to hurt myself, i promise",
        "i don't think i want to die",
    ],
)
def test_the_writer_denying_a_crisis_is_a_negated_worry(detector, text):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.negated) == ("worry", True)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to live anymore",
        "I don't want to wake up",
        "i can't go on anymore",
        "there is no reason for me to keep living",
    ],
)
def test_phrases_whose_meaning_holds_a_negation_are_a_crisis(detector, text):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.negated) == ("crisis", False)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not okay, I want to die",
        "i don't know why i want to die",
        "i can't stop thinking about killing myself",
        "no one would care if i killed myself",
    ],
)
def test_a_negation_elsewhere_in_the_message_does_not_cancel(detector, text):
    assert detector.assess(text).kind == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i won't kill myself, i just have to cut tonight",
        "not going to kill myself but i'm going to cut tonight, i need to",
        "i would never kill myself. i'm just going to cut tonight",
    ],
)
def test_cutting_told_inside_a_denied_wish_to_die_is_read_on_its_own(detector, text):
    # "kill myself ... tonight" spans the cutting; a phrase starting inside such a gap
    # is not swallowed by it, so the denial holds for the suicide wish alone.
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("crisis", "self_harm")


def test_a_denied_wish_to_die_tonight_alone_stays_a_denial(detector):
    assessment = detector.assess("i'm not going to kill myself, i'm just tired tonight")
    assert (assessment.kind, assessment.negated) == ("worry", True)


def test_one_denied_phrase_does_not_cancel_another(detector):
    assessment = detector.assess("i'm not suicidal but i really want to cut myself")
    assert (assessment.kind, assessment.category) == ("crisis", "self_harm")
    assert assessment.negated is False


# --- everyday language ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "this homework is killing me",
        "I'm dying to see it",
        "I cut my hair",
        "my phone died",
        "I'd kill for a coffee",
        "killed it at work today",
        "dead tired",
        "scared to death of spiders",
        "my grandmother died last week",
        "I felt abandoned as a kid",
        "my dad used to yell at me",
        "i cut myself shaving",
        "i burnt my hand on the oven",
        "i hurt my back at the gym",
        "i'm overdosing on christmas films",
        "my boss will kill me if i'm late again",
        "we watched a documentary about domestic abuse",
        "i beat my brother at chess",
        "i took two paracetamol for my headache",
        "i'd rather die than wear that lol",
        "i'm ending things with my boyfriend",
        "this is my last message before the camping trip, no signal till sunday",
    ],
)
def test_idioms_grief_and_everyday_language_do_not_fire(detector, text):
    assert detector.assess(text).kind == "none"


@pytest.mark.parametrize(
    "text",
    [
        "my therapist is kind",
        "i feel skilled at this",
        "the rapeseed fields",
        "unkillable",
    ],
)
def test_crisis_words_inside_other_words_do_not_fire(detector, text):
    assert detector.assess(text).kind == "none"


def test_an_idiom_does_not_hide_a_crisis_elsewhere_in_the_message(detector):
    text = "this job is killing me and honestly i want to kill myself"
    assert detector.assess(text).kind == "crisis"


# --- worry --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm a burden to everyone",
        "nothing matters anymore",
        "I'm so tired of everything",
        "what's the point",
        "I can't do this anymore",
        "i feel so hopeless",
    ],
)
def test_worrying_but_not_explicit_messages_are_a_worry(detector, text):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category, assessment.negated) == (
        "worry",
        None,
        False,
    )


def test_a_worry_told_about_childhood_is_not_a_worry_now(detector):
    assert detector.assess("i felt like a burden to my parents as a kid").kind == "none"


@pytest.mark.parametrize(
    "text",
    [
        "work was hard today and nobody noticed",
        "nobody noticed when i was sad as a child",
        "no one noticed my new haircut",
    ],
)
def test_a_story_of_not_being_noticed_is_not_a_worry(detector, text):
    assert detector.assess(text).kind == "none"


@pytest.mark.parametrize("text", ["nobody notices me", "no one ever notices me"])
def test_not_being_noticed_now_is_a_worry(detector, text):
    assert detector.assess(text).kind == "worry"


# --- warning signs ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I've made my will.",
        "my husband took my phone to fix the screen",
        "can you look after my cat this weekend?",
        "i'm not allowed out on school nights",
    ],
)
def test_one_warning_sign_alone_is_not_a_crisis(detector, text):
    assert detector.assess(text).kind == "none"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i've made my will and given my dog to my sister", "suicide"),
        ("he took my passport and won't let me see my friends", "abuse"),
        ("i've got petrol and a lighter and his car is outside", "harm_to_others"),
    ],
)
def test_two_different_warning_signs_are_a_crisis_of_their_category(
    detector, text, category
):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("crisis", category)
    assert any(label.startswith(f"{category} sign:") for label in assessment.matched)


def test_the_same_warning_sign_twice_counts_once(detector):
    assert detector.assess("i made my will, then i updated my will.").kind == "none"


def test_a_suicide_sign_beside_a_worry_is_a_suicide_crisis(detector):
    assessment = detector.assess("i've made my will. nothing matters anymore")
    assert (assessment.kind, assessment.category) == ("crisis", "suicide")


def test_a_denial_keeps_a_worry_from_pairing_with_a_sign(detector):
    text = "i'm not suicidal, i've made my will. nothing matters anymore"
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.negated) == ("worry", True)


def test_warning_signs_do_not_change_the_category_a_crisis_phrase_gives(detector):
    text = "i cut my arms again and he took my passport and won't let me out"
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("crisis", "self_harm")


# --- terse forms ----------------------------------------------------------------------


def test_letters_with_dots_between_them_are_read_as_the_short_form(detector):
    assessment = detector.assess("k.m.s")
    assert (assessment.kind, assessment.category) == ("crisis", "suicide")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("got the 💊 lined up for later", "suicide"),
        ("swallowed a whole strip of 💊💊 and my heart is racing", "medical"),
        ("want to take the 🪒 to my arm again", "self_harm"),
    ],
)
def test_an_emoji_standing_for_a_means_is_read_as_its_word(detector, text, category):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("crisis", category)


@pytest.mark.parametrize(
    "text",
    ["chopping onions with the new 🔪 lol", "flu jab 💉💊", "🩸 test results fine"],
)
def test_an_emoji_for_a_means_in_everyday_talk_is_not_a_crisis(detector, text):
    assert detector.assess(text).kind == "none"


def test_a_negation_in_the_sentence_before_does_not_reach_a_terse_phrase(detector):
    assessment = detector.assess("cant anymore. ending it")
    assert (assessment.kind, assessment.negated) == ("crisis", False)


# --- young people -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm 13 and I want to die",
        "im 15 years old",
        "14f and everything hurts",
        "year 8 girl here",
        "i'm in 9th grade",
        "my dad hits me, im 11",
        "i'm fifteen",
        "i'm in eighth grade and my dad hits me",
    ],
)
def test_an_age_under_18_stated_by_the_writer_marks_a_young_person(detector, text):
    assert detector.assess(text).young_person is True


@pytest.mark.parametrize(
    "text",
    [
        "I'm 15 minutes away",
        "when I was 12 my dad left",
        "my son is 14",
        "i'm 19 and at uni",
        "i'm 16 weeks pregnant",
        "i was 13 when it started",
    ],
)
def test_other_numbers_and_other_peoples_ages_are_not_a_young_person(detector, text):
    assert detector.assess(text).young_person is False


@pytest.mark.parametrize(
    "text",
    [
        "took my first tablet of the new prescription",
        "took the second dose at lunch",
        "took 1/2 a sleeping tablet, the doctor said that's fine",
        "took 1.5 tablets of melatonin last night",
        "took my 20mg of citalopram with breakfast",
    ],
)
def test_an_ordinal_a_fraction_or_a_dose_is_not_an_amount(detector, text):
    # spaCy reads "first", "1/2" and "1.5" as numbers; each is one or a part of
    # one tablet, not a handful. A dose in milligrams is one dose.
    assert detector.assess(text).kind == "none"


def test_a_blood_sugar_under_five_beside_an_alarm_symptom_is_an_emergency(detector):
    low = detector.assess("my sugar is 2.4 and i'm confused, home alone")
    assert (low.kind, low.category) == ("crisis", "medical")
    assert (
        detector.assess("sugar is 6.2 and i'm confused about the new pump").kind
        == "none"
    )
    assert detector.assess("sugar is 3.1, having a biscuit").kind == "none"


@pytest.mark.parametrize(
    "text",
    [
        "glucose 48 mg/dl and i'm shaking and can't think straight",
        "bg is 39, sweating and confused",
        "my sugar dropped to 52mg/dl and i'm confused, nobody home",
    ],
)
def test_a_blood_sugar_in_mg_dl_under_seventy_beside_an_alarm_symptom_is_an_emergency(
    detector, text
):
    assessment = detector.assess(text)
    assert (assessment.kind, assessment.category) == ("crisis", "medical")


@pytest.mark.parametrize(
    "text",
    [
        "glucose 110 mg/dl and i'm confused by the new meter",
        "sugar was 95 this morning, feeling dizzy from the heat",
        "took 30 minutes to find my keys and i'm confused why",
    ],
)
def test_an_ordinary_blood_sugar_in_mg_dl_is_not_an_emergency(detector, text):
    assert detector.assess(text).kind == "none"


def test_a_number_from_twenty_to_sixty_nine_is_still_many(detector):
    assessment = detector.assess("took 40 of my sleeping tablets an hour ago")
    assert (assessment.kind, assessment.category) == ("crisis", "medical")


def test_a_count_in_words_is_still_an_amount(detector):
    assessment = detector.assess("took thirty of my tablets an hour ago")
    assert (assessment.kind, assessment.category) == ("crisis", "medical")


# --- long, odd and hostile input ----------------------------------------------------


def test_a_crisis_sentence_inside_two_thousand_words_is_found(detector):
    text = f"{ordinary_words(1000)}. I want to kill myself. {ordinary_words(1000)}"
    assert detector.assess(text).kind == "crisis"


def test_two_thousand_ordinary_words_are_not_a_crisis(detector):
    assert detector.assess(ordinary_words(2000)).kind == "none"


@pytest.mark.parametrize(
    "text", ["", "   ", "\u200b", "🙂🙂🙂", "\u202e\u202d", "\x00\x01\x02", "a" * 5000]
)
def test_empty_and_odd_messages_are_none(detector, text):
    assert detector.assess(text).kind == "none"


def test_letters_typed_one_by_one_are_read_as_the_word(detector):
    assert detector.assess("i want to k i l l myself").kind == "crisis"


def test_a_hundred_kilobytes_are_read_to_the_crisis_at_their_end(detector):
    text = ordinary_words(18_000)[:100_000] + " i want to die"
    assert detector.assess(text).kind == "crisis"


def test_reading_grows_with_the_message_not_faster(detector):
    # A guard against runaway (quadratic) matching, counted rather than timed
    # (tests/work_count.py); the speed itself is in `make bench`.
    short = ordinary_words(1_800)[:10_000] + " i want to die"
    long = ordinary_words(18_000)[:100_000] + " i want to die"
    assert growth(detector.assess, short, long) < 15


def test_reading_many_phrases_grows_with_the_message_not_faster(detector):
    # Thousands of crisis, past-time and exception phrases in one message: each is
    # checked only against the phrases near it (10.5 times the calls for ten times
    # the text; 74 times when each was checked against all, 5.6 s of CPU for 100 KB).
    day = (
        "i went for a walk with my sister. i want to die. i took 30 pills. he hits "
        "me. i'm going to stab him. i cut myself last night when i was 12. "
    )
    short, long = (day * 200)[:10_000], (day * 2000)[:100_000]
    assert growth(detector.assess, short, long) < 15


def test_matched_names_lexicon_entries_never_the_message(detector):
    assessment = detector.assess("zebrafinch says i want to kill myself")
    assert assessment.matched
    assert all(":" in label for label in assessment.matched)
    assert not any("zebrafinch" in label for label in assessment.matched)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_assess_never_raises_on_any_text(detector, text):
    assessment = detector.assess(text)
    assert assessment.kind in KINDS
    assert assessment.category in (*CATEGORY_URGENCY, None)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "i",
                "want",
                "to",
                "die",
                "not",
                "kill",
                "myself",
                "my",
                "friend",
                "she",
                "herself",
                "when",
                "was",
                "12",
                "again",
                "lol",
                "k1ll",
                "!",
                ".",
                "\n",
                "\u202e",
                "🙂",
                "never",
                "cut",
                "took",
                "30",
                "pills",
                "ago",
                "years",
            ]
        ),  # fmt: skip
        max_size=40,
    )
)
def test_assess_never_raises_on_crisis_shaped_word_salad(detector, words):
    assert detector.assess(" ".join(words)).kind in KINDS


# --- the word lists -----------------------------------------------------------------


def copy_lexicon(tmp_path: Path, replace: tuple[str, str] | None = None) -> Path:
    text = DEFAULT_LEXICON.read_text(encoding="utf-8")
    if replace is not None:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    path = tmp_path / "crisis.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_lexicon_loads_with_every_category():
    lexicon = load_crisis_lexicon()
    assert set(lexicon.categories) == set(CATEGORY_URGENCY)
    assert all(phrases.phrases for phrases in lexicon.categories.values())
    assert lexicon.exceptions and lexicon.worry.phrases and lexicon.key_words
    assert lexicon.categories["suicide"].signs and lexicon.categories["abuse"].signs


def test_a_missing_lexicon_names_the_file(tmp_path):
    with pytest.raises(CrisisLexiconError, match="nowhere.yml"):
        load_crisis_lexicon(tmp_path / "nowhere.yml")


def test_broken_yaml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "crisis.yml"
    path.write_text("groups: [unclosed\n", encoding="utf-8")
    with pytest.raises(CrisisLexiconError, match="not valid"):
        load_crisis_lexicon(path)


def test_an_unknown_category_is_refused(tmp_path):
    path = copy_lexicon(
        tmp_path, ("\ncategories:\n", "\ncategories:\n  gambling: {}\n")
    )
    with pytest.raises(CrisisLexiconError, match="gambling"):
        load_crisis_lexicon(path)


def test_a_phrase_using_an_undefined_group_is_refused(tmp_path):
    path = copy_lexicon(tmp_path, ("      - kill {self}\n", "      - kill {selves}\n"))
    with pytest.raises(CrisisLexiconError, match="selves"):
        CrisisDetector.from_lexicon(path)


def test_a_choice_made_only_of_filler_words_is_refused(tmp_path):
    path = copy_lexicon(
        tmp_path, ("      - kill {self}\n", "      - kill {self} (really|now)\n")
    )
    with pytest.raises(CrisisLexiconError, match="filler"):
        CrisisDetector.from_lexicon(path)


def test_a_new_phrase_in_the_lexicon_is_picked_up(tmp_path):
    path = copy_lexicon(
        tmp_path,
        (
            "      - kill {self}\n",
            "      - kill {self}\n      - walk into the sunset\n",
        ),
    )
    detector = CrisisDetector.from_lexicon(path)
    assessment = detector.assess("i want to walk into the sunset")
    assert (assessment.kind, assessment.category) == ("crisis", "suicide")
