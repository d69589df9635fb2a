"""Text normal forms shared by the comparisons: one spelling of quotes, dashes, case and spaces.

`normalize` keeps the words and their inner punctuation (for messages and substring checks);
`key` also turns every run of punctuation into one space, the form fuzzy scores compare.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2033": '"', "\u2039": "'", "\u203a": "'", "\u300c": '"', "\u300d": '"',
})
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")
_ENDS = re.compile(r"^[\W_]+|[\W_]+$")
_INNER = re.compile(r"[\W_]+")
CACHED_CHARS = 1000  # strings up to this length have their normal forms cached
# Where a page title joins the article's name and the site's: "Title | Site", "Site - Title".
_SEPARATOR = re.compile(r"\s*\|\s*|\s+(?:-|::|·|•|»|«|/|~)\s+")


def normalize(text: str) -> str:
    """NFKC, casefolded, plain quotes and dashes, single spaces, no punctuation at the ends."""
    return _normalize_short(text) if len(text) <= CACHED_CHARS else _normalize(text)


def key(text: str) -> str:
    """The normal form with all punctuation as single spaces: what fuzzy scores compare."""
    return _key_short(text) if len(text) <= CACHED_CHARS else _key(text)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DASHES.sub("-", text).casefold()
    return _ENDS.sub("", " ".join(text.split()))


def _key(text: str) -> str:
    return " ".join(_INNER.sub(" ", normalize(text)).split())


# Titles and names recur across footnotes and candidates; page texts are not worth keeping.
_normalize_short = lru_cache(maxsize=8192)(_normalize)
_key_short = lru_cache(maxsize=8192)(_key)


def compact(text: str) -> str:
    """Letters and digits only: "RFE/RL" -> "rferl", "oc-media" -> "ocmedia"."""
    return _INNER.sub("", normalize(text))


def parts(text: str) -> list[str]:
    """A title split where pages join the article's name and the site's ("A | Site")."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    pieces = [normalize(piece) for piece in _SEPARATOR.split(text)]
    return [piece for piece in pieces if piece]


_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "FULLWIDTH": "CJK"}


def script(text: str) -> str | None:
    """The writing system most letters of a text are in: "LATIN", "CYRILLIC", "ARABIC", "CJK"…"""
    counts = Counter(unicodedata.name(ch, "?").split(" ")[0] for ch in text if ch.isalpha())
    if not counts:
        return None
    name = counts.most_common(1)[0][0]
    return _SCRIPT_GROUPS.get(name, name)
