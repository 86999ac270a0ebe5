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

# The key in a parsed message that marks a faint sign: the learnt crisis reader found
# the message somewhat like a crisis, too unsure for any reply of its own. The NLU
# sets it (bot.nlu.crisis), the safety policy counts it with the worries, and the
# evaluations report it.
FAINT_SIGN = "crisis_faint_sign"

# How worrying a `worry_signal` is, in its `worry_level` entity. Strong: Tend asks
# directly about thoughts of ending life at once. Ask first: the word lists found a
# crisis phrase that is often innocent said alone ("i could kill him", "sent my
# goodbye email"); Tend asks the question that fits its category instead of giving
# the crisis reply, unless the conversation already held a worry.
WORRY_LEVEL = "worry_level"
STRONG_WORRY = "strong"
ASK_FIRST = "ask_first"
