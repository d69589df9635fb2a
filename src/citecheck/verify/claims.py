"""Numbers and quoted phrases of a citing clause that the cited page does not contain.

Numbers of two or more digits count; thousands separators do not ("1,200" = "1.200" = "1200"),
ordinals keep their number ("79th" = "79"), and digits of other scripts are folded to ASCII.
Years (four plain digits from 1900 to 2099) are left out: a clause often gives as a year what
the page gives as a full date in another form, or names the year of an event the page dates
otherwise; "2,000" written with a separator is a count and is checked. Quoted phrases are any
text between double quotes (“…”, "…", «…», „…“) of at least four characters.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from citecheck.verify.normalize import key

MIN_DIGITS = 2
MIN_PHRASE_CHARS = 4
FUZZY_PHRASE_WORDS = 5  # phrases this long may match with small differences
FUZZY_PHRASE_SCORE = 90.0

_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,.\u00a0\u2009\u202f']\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?)"
    r"(?:st|nd|rd|th|s)?(?!\w)"
)
_THOUSANDS = re.compile(r"\d{1,3}(?:[,.\u00a0\u2009\u202f']\d{3})+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„\n]{4,300})[\"”»“]")


def unsupported_claims(context: str, page_text: str) -> list[str]:
    """The numbers and quoted phrases of the clause (as written) that the page text lacks."""
    if not page_text.strip():
        return []
    missing = _missing_numbers(context, page_text) + _missing_phrases(context, page_text)
    return list(dict.fromkeys(missing))


def numbers(text: str) -> dict[str, str]:
    """Numbers of two or more digits in a text, by normal value, as first written; no years."""
    found: dict[str, str] = {}
    for match in _NUMBER.finditer(_fold_digits(text)):
        value = _number_value(match.group(1))
        if sum(ch.isdigit() for ch in value) >= MIN_DIGITS and not _YEAR.fullmatch(match.group(1)):
            found.setdefault(value, match.group(1))
    return found


def _missing_numbers(context: str, page_text: str) -> list[str]:
    cited = numbers(context)
    if not cited:
        return []
    on_page = {_number_value(m.group(1)) for m in _NUMBER.finditer(_fold_digits(page_text))}
    return [written for value, written in cited.items() if value not in on_page]


def _missing_phrases(context: str, page_text: str) -> list[str]:
    phrases = [phrase.strip() for phrase in _QUOTED.findall(context)]
    phrases = [phrase for phrase in phrases if len(key(phrase)) >= MIN_PHRASE_CHARS]
    if not phrases:
        return []
    text = key(page_text)
    return [phrase for phrase in phrases if not _phrase_on_page(key(phrase), text)]


def _phrase_on_page(phrase: str, text: str) -> bool:
    if phrase in text:
        return True
    if len(phrase.split()) < FUZZY_PHRASE_WORDS:
        return False
    return fuzz.partial_ratio(phrase, text, score_cutoff=FUZZY_PHRASE_SCORE) > 0


def _number_value(written: str) -> str:
    """One spelling per number: no thousands separators, a point for decimals."""
    if _THOUSANDS.fullmatch(written):
        return re.sub(r"\D", "", written)
    return written.replace(",", ".")


def _fold_digits(text: str) -> str:
    """Digits of any script as ASCII digits ("٤٠٥" -> "405")."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch
                   for ch in text)
