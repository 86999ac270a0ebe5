"""Buttons that answer with plain words ("I feel lonely", "to feel safe") in domain.yml.

Those words go through NLU like typing, so they must read as the answer they are.
"""

from __future__ import annotations

from typing import Any

from bot.nlu.crisis import CrisisDetector


def _plain_payloads(domain: dict[str, Any]) -> set[str]:
    return {
        button["payload"]
        for variations in domain["responses"].values()
        for variation in variations
        for button in variation.get("buttons") or []
        if not button["payload"].startswith("/")
    }


def test_no_tapped_answer_reads_as_a_safety_message(domain):
    # A tapped answer must never get the crisis or worry replies meant for what
    # someone wrote themselves.
    detector = CrisisDetector.from_lexicon()
    payloads = _plain_payloads(domain)
    assert len(payloads) > 50
    flagged = {p: detector.assess(p).kind for p in sorted(payloads)}
    assert {p: kind for p, kind in flagged.items() if kind != "none"} == {}
