"""What Tend answers when someone asks a question or asks for a pause mid-exercise.

An aside is answered and then the exercise carries on at the same step (the rules in
data/rules/ run `action_answer_aside`, then the form again). Outside an exercise the
same questions are answered by plain rules; help and pause get their own words here,
because mid-exercise they say how to carry on rather than show the menu.
"""

from __future__ import annotations

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
