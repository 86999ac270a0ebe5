"""bot.dialogue.letter: the letter is kept whole, one part after another."""

from __future__ import annotations

from bot.dialogue.letter import add_to_letter


def test_the_first_part_starts_the_letter():
    assert add_to_letter(None, "  Dear little me,  ") == "Dear little me,"


def test_later_parts_follow_after_a_blank_line():
    assert (
        add_to_letter("Dear little me,", "I'm sorry.")
        == "Dear little me,\n\nI'm sorry."
    )


def test_a_blank_part_changes_nothing():
    assert add_to_letter("Dear little me,", "   ") == "Dear little me,"
    assert add_to_letter(None, None) == ""
