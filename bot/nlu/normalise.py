"""Puts a message into one plain, comparable form before any word list reads it.

People write "I'm", "I’m" and "IM"; "diiiie"; "k1ll" and "$uicide"; text pasted from
phones carries zero-width and right-to-left marks. The feelings and crisis matchers
should see one spelling for all of these, so both read `normalise_text()`:

- Unicode NFKC (full-width and "fancy" letters become plain ones) and accents or
  stacked marks on Latin letters dropped ("kíll", "k̷i̷l̷l̷" -> "kill");
- curly and odd apostrophes and quotes become ASCII `'` and `"`;
- zero-width, bidi and other control characters are removed;
- whitespace runs become one space (one newline when the run held a line break,
  so line breaks still end sentences) and the ends are trimmed;
- lowercase;
- runs of three or more identical letters shrink to one ("sooo" -> "so");
- look-alike digits and symbols inside words that contain letters become letters
  ("k1ll", "d!e", "$uicide", "3nd", "0verdose"), and a capital I inside a
  lower-case word is the l it stands in for ("kiII"); numbers ("13", "3am",
  "15yo", "2nd") stay as they are.

`normalise_with_offsets()` also says, for every output character, which input
character it came from, so a match can be mapped back to the person's own text.
Neither function raises on any `str`.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophes and quotes people's keyboards and phones produce, mapped to ASCII.
_APOSTROPHES = (
    "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb\u02b9\u0060\u00b4\uff07"
)
_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a\uff02"
_PUNCTUATION_MAP = {c: "'" for c in _APOSTROPHES} | {c: '"' for c in _QUOTES}

# Cyrillic and Greek letters that look like Latin ones; replaced only inside words
# that also hold Latin letters, so Russian or Greek text is left alone.
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ӏ": "l", "ο": "o", "α": "a", "ι": "i", "κ": "k", "ν": "v", "τ": "t", "ε": "e",
}  # fmt: skip

# Symbols and digits that stand in for letters ("k1ll", "$uicide").
_LOOKALIKES = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
    "$": "s", "@": "a", "!": "i", "|": "l",
}  # fmt: skip
# Where in a word each look-alike may stand: between letters it always counts;
# only these may also open a word ("0verdose", "3nd") or close one ("hell0").
_MAY_START_WORD = frozenset("01357$@")
_MAY_END_WORD = frozenset("03$|")

# A number with a unit or ordinal is a number, not leetspeak: "3am", "15yo", "2nd".
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:am|pm|yo|y/o|yrs?|f|m|s|x|k|mg|g|kg|ml|l|lbs?|cm|mm|km|ft|h|hrs?|mins?"
    r"|d|w|mo|th)|\d*1st|\d*2nd|\d*3rd|[fm]\d{1,2}"
)
_LOWER_WORD_WITH_CAPITAL_I = re.compile(r"\b[a-z][a-zI]*I[a-zI]*\b")
_CAPITAL_I_RUN = re.compile(r"I{2,}")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
_MARKS = frozenset({"Mn", "Me"})
_WORD = re.compile(r"[^ \n]+")
# Latin letters that carry an accent or other mark ("é", "ñ", "ł" has none).
_LATIN_WITH_MARKS = frozenset(
    char
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
    if unicodedata.normalize("NFD", char := chr(code)) != char
)
_SCRIPT_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")
_LOOKALIKE_CHARACTER = re.compile(r"[0134578$@!|]")
_LETTER_RUN = re.compile(r"([^\W\d_])\1{2,}")


def _ascii_table() -> dict[int, str | None]:
    """How each ASCII character is read: controls dropped, whitespace evened
    out, capitals lowered, the backtick read as an apostrophe."""
    table: dict[int, str | None] = {}
    for code in range(128):
        char = chr(code)
        if char in _LINE_BREAKS:
            table[code] = "\n"
        elif char.isspace():
            table[code] = " "
        elif not char.isprintable():
            table[code] = None
        elif char in _PUNCTUATION_MAP:
            table[code] = _PUNCTUATION_MAP[char]
        elif char != char.lower():
            table[code] = char.lower()
    return table


_ASCII_TABLE = _ascii_table()
_ASCII_DROPPED = frozenset(
    code for code, value in _ASCII_TABLE.items() if value is None
)


def normalise_text(text: str) -> str:
    """The normalised form of `text` (see the module docstring for the rules)."""
    return normalise_with_offsets(text)[0]


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, per output character, the index of its source."""
    if not isinstance(text, str) or not text:
        return "", []
    plain, offsets = _plain_characters(text)
    plain, offsets = _collapse_whitespace(plain, offsets)
    plain = _replace_lookalikes(plain)
    return _shrink_letter_runs(plain, offsets)


def _capital_i_for_l(text: str) -> set[int]:
    """Positions of capital i's standing in for l's: two or more in a row inside
    a lower-case word ("kiII"); a single one is an i typed with shift ("kIll")."""
    if "II" not in text:
        return set()
    return {
        word.start() + run.start() + offset
        for word in _LOWER_WORD_WITH_CAPITAL_I.finditer(text)
        for run in _CAPITAL_I_RUN.finditer(word.group())
        for offset in range(run.end() - run.start())
    }


def _plain_characters(text: str) -> tuple[str, list[int]]:
    """NFKC, no marks on Latin letters, ASCII quotes, no control/format characters,
    lowercase; with the source index of every character kept."""
    for_l = _capital_i_for_l(text)
    if for_l:
        text_l = list(text)
        for position in for_l:
            text_l[position] = "l"
        text = "".join(text_l)
    if text.isascii():
        plain = text.translate(_ASCII_TABLE)
        if len(plain) == len(text):
            return plain, list(range(len(text)))
        kept = [i for i, c in enumerate(text) if ord(c) not in _ASCII_DROPPED]
        return plain, kept
    chars: list[str] = []
    offsets: list[int] = []
    for run in _SCRIPT_RUN.finditer(text):
        if run.group().isascii():
            plain = run.group().translate(_ASCII_TABLE)
            chars.append(plain)
            if len(plain) == run.end() - run.start():
                offsets.extend(range(run.start(), run.end()))
            else:
                offsets.extend(
                    i
                    for i in range(run.start(), run.end())
                    if ord(text[i]) not in _ASCII_DROPPED
                )
        else:
            _plain_foreign(text, run.start(), run.end(), chars, offsets)
    return "".join(chars), offsets


def _plain_foreign(
    text: str, begin: int, end: int, chars: list[str], offsets: list[int]
) -> None:
    """The non-ASCII characters text[begin:end], one unit (a character and the
    marks stacked on it) at a time, appended to chars/offsets."""
    index = begin
    while index < end:
        start = index
        index += 1
        while index < end and unicodedata.combining(text[index]):
            index += 1
        plain = text[start:index]
        if not unicodedata.is_normalized("NFKC", plain):
            plain = unicodedata.normalize("NFKC", plain)
        if plain[:1] in _LATIN_WITH_MARKS or index - start > 1:
            decomposed = unicodedata.normalize("NFD", plain)
            if decomposed[:1].isascii() and decomposed[:1].isalpha():
                plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        for char in plain:
            if char.isascii():
                mapped = char.translate(_ASCII_TABLE)
                if mapped:
                    chars.append(mapped)
                    offsets.append(start)
            elif char in _LINE_BREAKS:
                chars.append("\n")
                offsets.append(start)
            elif char.isspace():
                chars.append(" ")
                offsets.append(start)
            elif char in _PUNCTUATION_MAP:
                chars.append(_PUNCTUATION_MAP[char])
                offsets.append(start)
            else:
                for lower in char.lower():
                    category = unicodedata.category(lower)
                    previous = chars[-1][-1:] if chars else ""
                    if category in _INVISIBLE or (
                        category in _MARKS and previous.isascii() and previous.isalpha()
                    ):
                        # Zero-width, bidi and other invisible characters; marks
                        # (or variation selectors) left on a Latin letter.
                        continue
                    chars.append(lower)
                    offsets.append(start)


def _collapse_whitespace(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """One space per whitespace run (a newline if the run broke a line), trimmed."""
    pieces: list[str] = []
    kept: list[int] = []
    previous_end: int | None = None
    for word in _WORD.finditer(text):
        if previous_end is not None:
            gap = text[previous_end : word.start()]
            pieces.append("\n" if "\n" in gap else " ")
            kept.append(offsets[previous_end])
        pieces.append(word.group())
        kept.extend(offsets[word.start() : word.end()])
        previous_end = word.end()
    return "".join(pieces), kept


def _replace_lookalikes(text: str) -> str:
    """Look-alike digits, symbols and foreign letters inside words become letters."""
    if text.isascii() and not _LOOKALIKE_CHARACTER.search(text):
        return text
    pieces: list[str] = []
    position = 0
    for word in _WORD.finditer(text):
        original = word.group()
        if original.isascii() and not _LOOKALIKE_CHARACTER.search(original):
            continue
        plain = "".join(_plain_word(original))
        if plain != original:
            pieces.append(text[position : word.start()])
            pieces.append(plain)
            position = word.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _plain_word(word: str) -> list[str]:
    """One whitespace-free word with its look-alikes read as letters (same length)."""
    letters = list(word)
    has_latin = any("a" <= c <= "z" for c in word)
    if has_latin and not word.isascii():
        letters = [_HOMOGLYPHS.get(c, c) for c in letters]
    if not any(c.isalpha() for c in letters):
        return letters  # a pure number or symbols: nothing to read as letters
    core = word.strip("\"'()[]{}.,;:?*-_~")
    if _NUMBER_WITH_UNIT.fullmatch(core) or (core[:2].isdigit()):
        return letters  # "15yo", "3am", "2nd", "30mg": numbers stay numbers

    def letter_like(position: int) -> bool:
        if not 0 <= position < len(letters):
            return False
        char = letters[position]
        return char.isalpha() or char in _LOOKALIKES

    def blocked(position: int) -> bool:
        # A look-alike next to a digit that is not one ("b12", "mp35") is a number.
        for neighbour in (position - 1, position + 1):
            if 0 <= neighbour < len(letters):
                char = letters[neighbour]
                if char.isdigit() and char not in _LOOKALIKES:
                    return True
        return False

    result = list(letters)
    for position, char in enumerate(letters):
        if char not in _LOOKALIKES or blocked(position):
            continue
        before = letter_like(position - 1)
        after = letter_like(position + 1)
        # A look-alike counts when real letters surround it, or when it opens or
        # closes a word next to a real letter.
        real_before = position > 0 and letters[position - 1].isalpha()
        real_after = position + 1 < len(letters) and letters[position + 1].isalpha()
        if char == "!":
            # "!" is punctuation unless real letters stand on both sides ("d!e").
            if real_before and real_after:
                result[position] = "i"
            continue
        if (
            (before and after and (real_before or real_after))
            or (char in _MAY_START_WORD and not before and real_after)
            or (char in _MAY_END_WORD and not after and real_before)
        ):
            result[position] = _LOOKALIKES[char]
    return result


def _shrink_letter_runs(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Three or more of the same letter in a row become one ("diiiie" -> "die")."""
    if not _LETTER_RUN.search(text):
        return text, offsets
    pieces: list[str] = []
    kept: list[int] = []
    position = 0
    for run in _LETTER_RUN.finditer(text):
        pieces.append(text[position : run.start() + 1])
        kept.extend(offsets[position : run.start() + 1])
        position = run.end()
    pieces.append(text[position:])
    kept.extend(offsets[position:])
    return "".join(pieces), kept
