"""bot.dialogue.flows: starting an exercise clears its own answers, and only those."""

from __future__ import annotations

from bot.dialogue.flows import OPENINGS, opening_slots


def test_every_opening_intent_and_slot_is_in_the_domain(domain):
    for intent, opening in OPENINGS.items():
        assert intent in domain["intents"]
        assert set(opening.clears) <= set(domain["slots"])


def test_every_form_slot_is_cleared_by_its_opening(domain):
    cleared = {slot for opening in OPENINGS.values() for slot in opening.clears}
    for form in domain["forms"].values():
        assert set(form["required_slots"]) <= cleared


def test_opening_the_check_in_with_a_feeling_keeps_the_message_as_the_answer():
    slots = opening_slots("inform_feeling", "  i feel so tired  ")
    assert slots["feelings_text"] == "i feel so tired"
    assert slots["feelings_unsure"] is None


def test_an_intent_that_opens_nothing_clears_nothing():
    assert opening_slots("greet", "hi") == {}
    assert opening_slots(None, None) == {}
