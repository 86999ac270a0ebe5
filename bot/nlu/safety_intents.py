"""The intents that carry safety meaning, named once.

The crisis detector sets the first four; `sos` is the "I need help now" button. The
NLU, the safety policy, the learnt crisis reader and `make check` all read these
names from here, so a renamed intent cannot leave one of them behind.
"""

from __future__ import annotations

CRISIS = "crisis"
DISCLOSURE = "crisis_disclosure"
SOMEONE_ELSE = "crisis_someone_else"
WORRY = "worry_signal"
SOS = "sos"

# Every safety intent, in the order `make check` reports a missing one.
SAFETY_INTENTS: tuple[str, ...] = (CRISIS, DISCLOSURE, SOMEONE_ELSE, WORRY, SOS)
