"""The whole-conversation crisis figures (bot/cli/eval_conversations.py), counted from
events as the Rasa server keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.eval_conversations import (
    BLIND_CONVERSATIONS,
    DEFAULT_CONVERSATIONS,
    SECOND_CONVERSATIONS,
    Conversation,
    Reading,
    figures,
    load_conversations,
    read_events,
)


def user(intent: str, **entities: str) -> dict:
    return {
        "event": "user",
        "parse_data": {
            "intent": {"name": intent},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        },
    }


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def test_the_crisis_reply_is_an_escalation_at_the_message_before_it() -> None:
    events = [
        user("greet"),
        action("utter_greet"),
        user("crisis", crisis_category="suicide"),
        action("utter_crisis"),
    ]
    assert read_events(events) == Reading("escalated", "escalated", 2)


def test_a_question_brought_by_faint_signs_shows_beside_the_reading_without() -> None:
    # Two ordinary intents, then Tend asked: only faint signs can have done that.
    events = [
        user("share_experience"),
        action("utter_ask_feeling"),
        user("share_experience"),
        action("utter_ask_thoughts_of_ending_life"),
    ]
    assert read_events(events) == Reading("asked", "missed", 2)


def test_without_faint_signs_two_worries_or_a_strong_one_ask() -> None:
    assert (
        read_events([user("worry_signal"), user("worry_signal")]).without_faint_signs
        == "asked"
    )
    assert read_events([user("worry_signal")]).without_faint_signs == "missed"
    strong = [user("worry_signal", worry_level="strong")]
    assert read_events(strong).without_faint_signs == "asked"
    past = [user("crisis_disclosure", crisis_category="self_harm")]
    assert read_events(past).without_faint_signs == "asked"


def test_a_phrase_often_innocent_alone_is_asked_and_after_a_worry_escalated() -> None:
    alone = [
        user("worry_signal", worry_level="ask_first"),
        action("utter_ask_thoughts_of_harming"),
    ]
    assert read_events(alone) == Reading("asked", "asked", 1)
    after = [user("worry_signal"), user("worry_signal", worry_level="ask_first")]
    assert read_events(after).without_faint_signs == "escalated"
    # The question about being safe counts too (asked after abuse said alone).
    safe = [user("worry_signal", worry_level="ask_first"), action("utter_ask_safe_now")]
    assert read_events(safe).outcome == "asked"


def test_an_escalation_after_a_question_counts_as_an_escalation() -> None:
    events = [
        user("worry_signal", worry_level="strong"),
        action("utter_ask_thoughts_of_ending_life"),
        user("affirm"),
        action("utter_crisis"),
    ]
    # The yes is the person's own answer to a question worries alone brought.
    assert read_events(events) == Reading("escalated", "escalated", 1)


def test_a_yes_to_a_question_only_faint_signs_brought_is_no_answer_without_them() -> (
    None
):
    faint = user("share_experience")
    faint["parse_data"]["crisis_faint_sign"] = True
    events = [
        faint,
        dict(faint),
        action("utter_ask_thoughts_of_ending_life"),
        user("affirm"),
        action("utter_crisis"),
    ]
    assert read_events(events) == Reading("escalated", "missed", 2)


def test_nothing_said_about_safety_is_missed() -> None:
    assert read_events([user("greet"), action("utter_greet")]) == Reading(
        "missed", "missed", None
    )


def test_figures_give_shares_per_expectation() -> None:
    crisis = Conversation("crisis", "suicide", ("a", "b"))
    everyday = Conversation("none", None, ("c",))
    result = figures(
        [crisis, crisis, everyday],
        [
            Reading("escalated", "missed", 3),
            Reading("asked", "asked", 1),
            Reading("missed", "missed", None),
        ],
    )
    assert result["crisis"]["with_faint_signs"]["escalated"] == 0.5
    assert result["crisis"]["without_faint_signs"]["missed"] == 0.5
    assert result["crisis"]["noticed_at_message_median"] == 2
    assert result["none"]["with_faint_signs"]["missed"] == 1.0
    assert result["crisis_per_category"]["suicide"]["conversations"] == 2


@pytest.mark.parametrize(
    "body",
    [
        "conversations:\n  - expect: maybe\n    messages: [hi]\n",
        "conversations:\n  - expect: none\n    messages: []\n",
        "conversations:\n  - expect: none\n    messages: hi\n",
        "conversations:\n  - expect: crisis\n    messages: [hi]\n",
        "conversations:\n  - expect: crisis\n    category: sad\n    messages: [hi]\n",
    ],
)
def test_a_malformed_conversation_stops_with_its_number(
    tmp_path: Path, body: str
) -> None:
    path = tmp_path / "set.yml"
    path.write_text(body)
    with pytest.raises(SystemExit, match="conversation 1 "):
        load_conversations(path)


@pytest.mark.parametrize(
    "path",
    [DEFAULT_CONVERSATIONS, SECOND_CONVERSATIONS, BLIND_CONVERSATIONS],
    ids=lambda p: p.name,
)
def test_each_conversation_set_loads_with_both_kinds(path: Path) -> None:
    conversations = load_conversations(path)
    kinds = {c.expect for c in conversations}
    assert kinds == {"crisis", "none"}
    assert all(2 <= len(c.messages) <= 8 for c in conversations)
