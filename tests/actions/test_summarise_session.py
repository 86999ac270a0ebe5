"""action_summarise_session: what the person did this time, gently listed."""

from __future__ import annotations

from actions.closing import ActionSummariseSession
from tests.actions.trackers import sent_responses, sent_texts, tracker_after


async def test_nothing_done_yet_is_still_thanked(dispatcher, domain):
    await ActionSummariseSession().run(
        dispatcher, tracker_after(intent="wrap_up"), domain
    )
    assert sent_responses(dispatcher) == ["utter_session_summary_empty"]
    assert sent_texts(dispatcher) == []


async def test_finished_exercises_are_listed(dispatcher, domain):
    tracker = tracker_after(
        intent="wrap_up",
        slots={
            "feelings_named": [
                {"word": "lonely", "family": "sad"},
                {"word": "ashamed", "family": "sad"},
            ],
            "younger_age": 7,
            "words_to_child": "you are safe now",
            "letter_started": True,
            "kindness_plan": "an early night",
        },
    )
    await ActionSummariseSession().run(dispatcher, tracker, domain)
    assert sent_responses(dispatcher) == ["utter_session_summary"]
    (summary,) = sent_texts(dispatcher)
    assert summary.splitlines() == [
        "• named how you were feeling: lonely, ashamed",
        "• met 7-year-old you and gave them your own kind words",
        "• wrote a letter to your younger self",
        "• chose one kind thing for today: “an early night”",
    ]
