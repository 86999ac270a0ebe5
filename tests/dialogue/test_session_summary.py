"""bot.dialogue.session_summary: the closing list names what was finished."""

from __future__ import annotations

from bot.dialogue.session_summary import (
    QUOTE_LIMIT,
    session_summary_items,
    summary_text,
)


def test_nothing_finished_means_nothing_listed():
    assert session_summary_items({}) == []


def test_an_unfinished_safe_place_is_not_listed():
    assert session_summary_items({"safe_place_breathe": "ok"}) == []
    assert session_summary_items({"safe_place_goodbye": "bye"}) == [
        "visited your safe place"
    ]


def test_finished_grounding_is_listed():
    slots = {
        "grounding_choice": "breathing",
        "grounding_breath_one": "ok",
        "grounding_breath_two": "ok",
        "grounding_breath_three": "ok",
    }
    assert session_summary_items(slots) == [
        "took a few quiet minutes to ground yourself"
    ]


def test_a_long_plan_is_quoted_short():
    (item,) = session_summary_items({"kindness_plan": "walk " * 100})
    quoted = item.split("“")[1].rstrip("”")
    assert len(quoted) == QUOTE_LIMIT
    assert quoted.endswith("…")


def test_summary_text_lists_one_item_per_line():
    assert summary_text(["a", "b"]) == "• a\n• b"
