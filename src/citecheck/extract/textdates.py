"""Dates written for people ("Published 14 March 2023", "14.03.2023", "2023年3月14日") -> ISO.

Month names come from dateparser's locale data, English plus the page's own language,
loaded once per language: the cheap part of dateparser, without its slow parser. "04/05/2022"
is read in the page's order of day and month (`numeric_order`): the order its other dates show
("25/04/2022" can only be day first), else its language's ("pt-BR" day first, "en-US" month
first); only when neither tells are both readings kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

LOGGER = logging.getLogger(__name__)

MIN_YEAR = 1500  # laws and constitutions are old; only placeholders like 0001 are dropped
MAX_YEAR = 2100
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_EN_MONTHS = {name: i for i, key in enumerate(_MONTH_KEYS, 1) for name in (key, key[:3])}
_EN_MONTHS.update({"sept": 9})
_PUBLISHED_WORDS = (
    r"published|posted|released|issued|created|originally|first\s+published|publication|"
    r"ver[öo]ffentlicht|publiziert|erschienen|erstellt|publi[ée]e?|mis\s+en\s+ligne|"
    r"publicad[oa]|pubblicat[oa]|opublikowan[oy]|gepubliceerd|julkaistu|publicerad|"
    r"опубликовано|publicat|yay[ıi]mlanma"
)
_MODIFIED_WORDS = (
    r"updated|last\s+updated|modified|last\s+modified|revised|amended|changed|"
    r"aktualisiert|ge[äa]ndert|zuletzt|stand|mis\s+[àa]\s+jour|modifi[ée]e?|actualizad[oa]|"
    r"atualizad[oa]|aggiornat[oa]|zaktualizowan[oy]|bijgewerkt|päivitetty|uppdaterad|"
    r"обновлено|güncellenme"
)
_ROLE_WORDS = re.compile(
    rf"(?<!\w)(?:(?P<modified>{_MODIFIED_WORDS})|(?P<published>{_PUBLISHED_WORDS}))(?!\w)", re.I)
_NUMERIC = re.compile(
    r"(?<![\d.\-/])(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})\.\s?(?P<m2>\d{1,2})\.\s?(?P<y2>\d{4})"
    r"|(?P<a3>\d{1,2})[/-](?P<b3>\d{1,2})[/-](?P<y3>\d{4})"
    r"|(?P<y4>\d{4})\s?[年년]\s?(?P<m4>\d{1,2})\s?[月월]\s?(?P<d4>\d{1,2})\s?[日일]?)"
    r"(?![\d.\-/]?\d)"
)


DAY_FIRST, MONTH_FIRST = "DMY", "MDY"
_SLASHED = re.compile(r"(?<![\d.\-/])(\d{1,2})[/-](\d{1,2})[/-]\d{4}(?![\d.\-/]?\d)")


@dataclass(frozen=True)
class TextDate:
    """A date found in running text: ISO value, role from nearby words, position."""

    value: str
    role: str
    start: int


def make_date(year: int, month: int, day: int) -> str | None:
    """ISO YYYY-MM-DD if the parts make a real date within the accepted years, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@functools.cache
def month_names(lang: str | None) -> dict[str, int]:
    """Month names (and abbreviations) -> number, for English and the given language."""
    names = dict(_EN_MONTHS)
    code = (lang or "").split("-")[0].split("_")[0].strip().lower()
    if code and code != "en" and code.isalpha():
        names.update(_locale_months(code))
    return names


def _locale_months(code: str) -> dict[str, int]:
    from dateparser.languages import default_loader  # loaded on first non-English page only

    try:
        info = default_loader.get_locale(code).info
    except (KeyError, ValueError, AttributeError, ImportError):
        LOGGER.debug("no month names for language %r", code)
        return {}
    found = {}
    for number, key in enumerate(_MONTH_KEYS, 1):
        for name in info.get(key, []):
            if isinstance(name, str) and len(name.strip(".")) >= 3:
                found[name.lower().strip(".")] = number
    return found


@functools.cache
def _worded_pattern(lang: str | None) -> re.Pattern[str]:
    names = sorted(month_names(lang), key=len, reverse=True)
    month = "(?:" + "|".join(re.escape(n) for n in names) + r")\.?"
    return re.compile(
        rf"(?<!\w)(?:(?P<d1>\d{{1,2}})(?:\.|st|nd|rd|th|er|º)?\s+(?:de\s+)?(?P<m1>{month})"
        rf",?\s+(?:de\s+)?(?P<y1>\d{{4}})"
        rf"|(?P<m2>{month})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))(?!\d)",
        re.I)


def numeric_order(text: str, lang: str | None) -> str | None:
    """DMY or MDY: how the page writes "a/b/yyyy", from its unambiguous dates, else its language.

    None when the text shows both orders or none, and the language does not settle it (plain
    "en" is written both ways: in the US and in Britain, India, Nigeria…).
    """
    seen = set()
    for match in _SLASHED.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            seen.add(DAY_FIRST)
        elif second > 12 >= first:
            seen.add(MONTH_FIRST)
    if len(seen) == 1:
        return seen.pop()
    return None if seen else language_order(lang)


@functools.cache
def language_order(lang: str | None) -> str | None:
    """The order of day and month a language tag writes numeric dates in (CLDR, via dateparser)."""
    tag = (lang or "").replace("_", "-").strip()
    base = tag.split("-")[0].lower()
    if not base.isalpha() or (base == "en" and tag.lower() == "en"):
        return None
    order = _locale_order(tag) or (None if base == "en" else _locale_order(base))
    return order if order in (DAY_FIRST, MONTH_FIRST) else None


def _locale_order(code: str) -> str | None:
    from dateparser.languages import default_loader  # loaded on first use only

    parts = code.split("-")
    name = "-".join([parts[0].lower(), *(p.upper() for p in parts[1:2])])
    try:
        return default_loader.get_locale(name).info.get("date_order")
    except (KeyError, ValueError, AttributeError, ImportError):
        return None


def find_dates(text: str, lang: str | None = None, limit: int = 20,
               order: str | None = None) -> list[TextDate]:
    """Dates written in a text, in order, each with a role read from the words before it.

    `order` (DMY or MDY) reads an ambiguous "04/05/2022" one way; without it both are kept.
    """
    matches = sorted(_all_matches(text, lang, order), key=lambda match: match[0])[:limit]
    found = []
    previous_end = 0
    for start, end, value in matches:
        found.append(TextDate(value, role_before(text, start, floor=previous_end), start))
        previous_end = max(previous_end, end)
    return found


def _all_matches(text: str, lang: str | None,
                 order: str | None) -> Iterator[tuple[int, int, str]]:
    names = month_names(lang)
    for match in _worded_pattern(lang).finditer(text):
        groups = match.groupdict()
        key = "1" if groups["m1"] else "2"
        month = names.get(groups["m" + key].lower().rstrip("."))
        value = month and make_date(int(groups["y" + key]), month, int(groups["d" + key]))
        if value:
            yield match.start(), match.end(), value
    for match in _NUMERIC.finditer(text):
        for value in _numeric_values(match, order):
            yield match.start(), match.end(), value


def _numeric_values(match: re.Match[str], order: str | None = None) -> list[str]:
    """One value, or two for an a/b/yyyy that is valid both ways when `order` is not known."""
    g = match.groupdict()
    for y, m, d in (("y1", "m1", "d1"), ("y2", "m2", "d2"), ("y4", "m4", "d4")):
        if g[y]:
            value = make_date(int(g[y]), int(g[m]), int(g[d]))
            return [value] if value else []
    a, b, year = int(g["a3"]), int(g["b3"]), int(g["y3"])
    values = [make_date(year, b, a), make_date(year, a, b)]
    if all(values) and order in (DAY_FIRST, MONTH_FIRST):
        values = values[:1] if order == DAY_FIRST else values[1:]
    return list(dict.fromkeys(v for v in values if v))


def role_before(text: str, start: int, floor: int = 0) -> str:
    """published / modified when such a word stands just before the date (after `floor`)."""
    window = text[max(floor, start - 40):start]
    matches = list(_ROLE_WORDS.finditer(window))
    if not matches:
        return "other"
    return "modified" if matches[-1].group("modified") else "published"


def parse_date(value: str, lang: str | None = None) -> str | None:
    """The first date written in a short string, as ISO, or None."""
    found = find_dates(value[:200], lang, limit=1)
    return found[0].value if found else None
