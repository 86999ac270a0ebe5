"""How much work a call does, counted rather than timed.

A timed guard fails on a slow or busy machine (CI's did: 1.09 s of CPU against a
1.0 s line); a count of the function calls Python makes is the same on every
machine for the same input. Tests compare the count for a text with the count for
a text ten times as long: reading that grows with the text's length stays near ten
times, runaway (quadratic) matching goes near a hundred. Speed itself is measured
in `make bench`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any


def calls_made(function: Callable[..., Any], *args: Any) -> tuple[int, Any]:
    """How many Python and built-in calls `function(*args)` makes, and its result."""
    count = 0

    def profile(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = function(*args)
    finally:
        sys.setprofile(previous)
    return count, result


def growth(function: Callable[[str], Any], short: str, long: str) -> float:
    """How many times more calls `function` makes on `long` than on `short`, after
    one untimed call on each so per-word caches are as a running server's are."""
    function(short)
    function(long)
    short_calls, _ = calls_made(function, short)
    long_calls, _ = calls_made(function, long)
    return long_calls / short_calls
