"""Dates as notes write them: "march 2023", "21 Nov 2023", "September 6, 2022", "6 septembre 2022".

English and numeric forms go through regular expressions (the fast path); a month word in
another language is checked against dateparser's month names and parsed by dateparser, which
is imported only then (it is slow to import). Numeric dates with dots or dashes are read
day-first ("06.09.2022" is 6 September); with slashes day-first unless only month-first is
possible ("09/13/2022").
"""

from __future__ import annotations

import datetime
import functools
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citecheck.models import DatePrecision

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
ENGLISH_MONTHS: dict[str, int] = {name: i + 1 for i, name in enumerate(_MONTHS)} | {
    name[:3]: i + 1 for i, name in enumerate(_MONTHS)} | {"sept": 9}
# languages whose month names are recognised (dateparser locale codes)
_LANGUAGES = ("fr", "de", "es", "it", "pt", "nl", "ru", "uk", "az", "tr", "pl", "ro", "cs", "sv",
              "hu", "hr", "sr", "bg", "el", "ka", "hy", "kk", "uz", "ar", "fa", "he", "id")
# three-letter abbreviations that are also English words or Roman numerals
_NOT_MONTHS = frozenset({"ago", "out", "set", "sen", "pro", "led", "lip", "lis", "mag", "tem",
                         "tra", "iii", "vii", "xii", "des", "kol", "stu", "kas", "ara", "gen"})
# words often written before a year: they spare loading dateparser's month names
_ENGLISH_WORDS = frozenset({
    "the", "and", "for", "from", "since", "until", "till", "before", "after", "during", "between",
    "through", "year", "years", "early", "late", "mid", "end", "summer", "winter", "spring",
    "autumn", "fall", "around", "about", "circa", "over", "under", "into", "with", "within", "per",
    "via", "fiscal", "budget", "report", "reports", "census", "election", "elections", "law",
    "act", "code", "class", "session", "issue", "edition", "annual", "its", "their", "his", "her",
    "our", "this", "that", "which", "all", "not", "was", "were", "are", "also", "only", "than",
    "then", "both", "each", "every", "whole", "entire", "most", "last", "next", "first",
})
_YEAR = r"(?P<year>1[89]\d\d|2[01]\d\d)"
_WORD = r"(?P<word>[^\W\d_]{3,})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|e|º|°)?"
_PATTERNS = (
    # numbers only: 2022-09-06, 2022/9/6; 06.09.2022, 6-9-2022, 09/13/2022; 2021-02; 2022
    re.compile(r"(?<![\d.\-/])" + _YEAR + r"(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)"
               r"(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d.\-/])(?P<first>\d{1,2})(?P<sep>[./-])(?P<second>\d{1,2})(?P=sep)"
               + _YEAR + r"(?!\d)"),
    re.compile(r"(?<![\d.\-/])" + _YEAR + r"-(?P<month>\d\d)(?![\d\-/])"),
    re.compile(r"(?<![\d.\-/\w])" + _YEAR + r"(?![\d\w]|-\d)"),
    # with a month name: 6 September 2022, 6. September 2022, 20 de julio de 2023;
    # September 6, 2022; March 2023, mayo de 2023; APA (2023, March 2)
    re.compile(r"(?<![\d.])" + _DAY + r"\.?\s+(?:of\s+|de\s+)?" + _WORD
               + r"\.?,?\s+(?:de\s+|del\s+)?" + _YEAR + r"(?!\d)", re.IGNORECASE),
    re.compile(r"\b" + _WORD + r"\.?\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)", re.IGNORECASE),
    re.compile(r"\b" + _WORD + r"\.?,?\s+(?:de\s+|del\s+)?" + _YEAR + r"(?!\d)", re.IGNORECASE),
    re.compile(r"(?<![\d.\-/])" + _YEAR + r",\s+" + _WORD + r"\.?(?:\s+" + _DAY + r")?(?![\d\w])",
               re.IGNORECASE),
)


@dataclass(frozen=True)
class FoundDate:
    """A date written in a text: its ISO form, its precision and where it is."""

    iso: str
    precision: DatePrecision
    start: int
    end: int
    text: str


def find_dates(text: str) -> list[FoundDate]:
    """Every date written in a text, in order, the longest reading where readings overlap."""
    found = [date for pattern in _PATTERNS for match in pattern.finditer(text)
             if (date := _read(match)) is not None]
    found.sort(key=lambda d: (d.start, d.start - d.end))
    kept: list[FoundDate] = []
    for date in found:
        if not kept or date.start >= kept[-1].end:
            kept.append(date)
    return kept


def parse_cited_date(text: str) -> tuple[str, DatePrecision] | None:
    """The one date a short text is, as (ISO string, precision); None if it is not a date."""
    core = text.strip().strip("()[].,;: \t")
    if not core or len(core) > 60:
        return None
    dates = find_dates(core)
    if len(dates) == 1 and dates[0].start == 0 and dates[0].end == len(core):
        return dates[0].iso, dates[0].precision
    if not dates and re.search(r"\d{4}", core) and re.search(r"[^\W\d_]", core):
        return _dateparser_parse(core)
    return None


def _read(match: re.Match[str]) -> FoundDate | None:
    parts = match.groupdict()
    if parts.get("word"):
        return _read_worded(match, parts["word"].lower())
    if parts.get("first"):
        first, second = int(parts["first"]), int(parts["second"])
        day_first = not (parts["sep"] == "/" and second > 12 >= first)
        parts["day"], parts["month"] = (first, second) if day_first else (second, first)
    return _found(match, parts["year"], parts.get("month"), parts.get("day"))


def _read_worded(match: re.Match[str], word: str) -> FoundDate | None:
    if word in _ENGLISH_WORDS:
        return None
    month = ENGLISH_MONTHS.get(word) or foreign_months().get(word)
    if month is not None:
        return _found(match, match.group("year"), month, match.groupdict().get("day"))
    if word not in foreign_months():
        return None
    parsed = _dateparser_parse(match.group(0))  # a name that is another month elsewhere
    if parsed is None:
        return None
    return FoundDate(parsed[0], parsed[1], match.start(), match.end(), match.group(0))


def _found(match: re.Match[str], year: str, month: str | int | None,
           day: str | int | None) -> FoundDate | None:
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    if day is not None and month is not None:
        iso, precision = f"{year}-{int(month):02d}-{int(day):02d}", DatePrecision.DAY
    elif month is not None:
        iso, precision = f"{year}-{int(month):02d}", DatePrecision.MONTH
    else:
        iso, precision = year, DatePrecision.YEAR
    return FoundDate(iso, precision, match.start(), match.end(), match.group(0))


@functools.cache
def foreign_months() -> dict[str, int | None]:
    """Month names in other languages, from dateparser's data: name -> month (None: ambiguous)."""
    from dateparser.languages.loader import default_loader

    months: dict[str, set[int]] = {}
    for code in _LANGUAGES:
        info = default_loader.get_locale(code).info
        for number, month in enumerate(_MONTHS, start=1):
            for name in info.get(month, ()):
                months.setdefault(name.lower(), set()).add(number)
    return {name: next(iter(numbers)) if len(numbers) == 1 else None
            for name, numbers in months.items()
            if len(name) >= 3 and name not in ENGLISH_MONTHS and name not in _NOT_MONTHS}


@functools.lru_cache(maxsize=4096)
def _dateparser_parse(text: str) -> tuple[str, DatePrecision] | None:
    data = _date_data_parser().get_date_data(text)
    if data.date_obj is None or "year" not in data.parts:
        return None
    value = data.date_obj.date()
    if data.period == "day" and "day" in data.parts:
        return value.isoformat(), DatePrecision.DAY
    if "month" in data.parts:
        return f"{value.year}-{value.month:02d}", DatePrecision.MONTH
    return str(value.year), DatePrecision.YEAR


@functools.cache
def _date_data_parser() -> DateDataParser:
    from dateparser.date import DateDataParser

    logger.debug("loading dateparser")
    return DateDataParser(settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY",
                                    "REQUIRE_PARTS": ["year"]})
