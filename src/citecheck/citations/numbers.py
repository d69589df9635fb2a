"""Numbers as written in legal references: Roman numerals and English number words to digits.

A library would add a dependency for some twenty lines: Roman numerals are validated by
converting back, and number words cover what instruments use ("Chapter Three", "Article
twenty-one", "one hundred and five").
"""

from __future__ import annotations

import re

_ROMAN_VALUES = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES: dict[str, int] = {word: i for i, word in enumerate(_UNITS)} | {
    word: 20 + 10 * i for i, word in enumerate(_TENS)
}
NUMBER_WORDS = tuple(sorted(WORD_VALUES, key=len, reverse=True))
# a run of number words: "three", "twenty-one", "one hundred and five"
NUMBER_WORDS_PATTERN = (
    r"(?:(?:" + "|".join(NUMBER_WORDS) + r")(?:[\s-]+(?:hundred|and|" + "|".join(NUMBER_WORDS)
    + r"))*)"
)
_SPLIT = re.compile(r"[\s-]+")


def to_roman(number: int) -> str:
    """An integer from 1 to 3999 as an upper-case Roman numeral.

    >>> to_roman(14)
    'XIV'
    """
    out = []
    for value, letters in _ROMAN_VALUES:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def roman_to_int(text: str) -> int | None:
    """A well-formed Roman numeral's value, or None ("IIII" and "IC" are not numerals).

    >>> roman_to_int("III"), roman_to_int("xiv"), roman_to_int("IIII")
    (3, 14, None)
    """
    letters = text.upper()
    if not letters or not re.fullmatch(r"[MDCLXVI]+", letters):
        return None
    total = 0
    for value, symbol in _ROMAN_VALUES:
        while letters.startswith(symbol, 0):
            total += value
            letters = letters[len(symbol):]
    if letters or total == 0 or total > 3999 or to_roman(total) != text.upper():
        return None
    return total


def words_to_int(text: str) -> int | None:
    """The value of English number words ("Three", "twenty-one", "one hundred and five").

    >>> words_to_int("Three"), words_to_int("twenty-one"), words_to_int("one hundred and five")
    (3, 21, 105)
    """
    total = current = 0
    seen = False
    for word in _SPLIT.split(text.strip().lower()):
        if word == "and" and seen:
            continue
        if word == "hundred" and seen:
            current = max(current, 1) * 100
            continue
        if word not in WORD_VALUES:
            return None
        current += WORD_VALUES[word]
        seen = True
    total += current
    return total if seen else None


def normalise_number(text: str) -> str | None:
    """A written number as Arabic digits, letters kept ("III" -> "3", "Three" -> "3", "12bis").

    >>> normalise_number("III"), normalise_number("Three"), normalise_number("12bis")
    ('3', '3', '12bis')
    """
    text = text.strip()
    if re.match(r"\d", text):
        return text
    value = roman_to_int(text)
    if value is None:
        value = words_to_int(text)
    return None if value is None else str(value)
