"""What Tend answers when someone asks a question or asks for a pause mid-exercise.

An aside is answered and then the exercise carries on at the same step (the rules in
data/rules/ run `action_answer_aside`, then the form again). Outside an exercise the
same questions are answered by plain rules; help and pause get their own words here,
because mid-exercise they say how to carry on rather than show the menu.

When Tend has just asked for an answer in the person's words, a message the model
only half-recognises as a question, and that is not shaped like one, is taken as
the answer instead (`reads_as_answer`).
"""

from __future__ import annotations

import re

# Intent -> the response that answers it mid-exercise.
ASIDE_RESPONSES: dict[str, str] = {
    "help": "utter_help_mid_exercise",
    "pause": "utter_pause_mid_exercise",
    "bot_challenge": "utter_i_am_a_bot",
    "ask_is_therapist": "utter_not_a_therapist",
    "learn_more": "utter_what_is_inner_child_work",
    "ask_how_it_helps": "utter_how_it_helps",
    "ask_session_like": "utter_session_like",
}
# Said when an aside arrives that has no answer of its own.
FALLBACK_ASIDE_RESPONSE = "utter_help_mid_exercise"


def aside_response(intent: str | None) -> str:
    """The response that answers this aside."""
    return ASIDE_RESPONSES.get(intent or "", FALLBACK_ASIDE_RESPONSE)


# The asides that are questions. When Tend has just asked for an answer in the
# person's own words, a reply the model only half-recognises as one of these is
# more likely the answer: "when I was little" was once read as "are you a bot?".
QUESTION_ASIDES = frozenset(
    {
        "bot_challenge",
        "ask_is_therapist",
        "learn_more",
        "ask_how_it_helps",
        "ask_session_like",
    }
)
# The model's confidence from which a question interrupts an answer whatever its shape.
SURE_QUESTION = 0.8
# First words that make a message a question or a request for one ("tell me...").
# "when" and "where" are left out: they begin answers too ("when I was seven").
QUESTION_OPENERS = frozenset(
    {
        "what",
        "whats",
        "what's",
        "how",
        "hows",
        "how's",
        "why",
        "who",
        "whos",
        "who's",
        "which",
        "is",
        "isn't",
        "are",
        "aren't",
        "am",
        "r",
        "u",
        "ru",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "may",
        "tell",
        "explain",
        "teach",
        "walk",
        "wait",
    }
)
_FIRST_WORD = re.compile(r"[a-z']+")


def looks_like_question(text: str) -> bool:
    """True when the message is shaped as a question: a question mark, or a
    question word or request first."""
    if "?" in text:
        return True
    first = _FIRST_WORD.search(text.lower().replace("’", "'"))
    return bool(first) and first.group() in QUESTION_OPENERS


def reads_as_answer(text: str, intent: str | None, confidence: float) -> bool:
    """True when a message read as a question is better taken as the answer Tend
    asked for: the model was unsure and the message is not shaped as a question."""
    return (
        intent in QUESTION_ASIDES
        and confidence < SURE_QUESTION
        and bool(text.strip())
        and not looks_like_question(text)
    )
