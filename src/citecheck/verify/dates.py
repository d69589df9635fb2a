"""A cited date against every date the page offers, honouring the precision of the footnote.

"March 2023" matches any day of March 2023, "2023" any day of the year; a day allows one day
either side for time zones. A cited date that only the page's modification date gives is
reported as such (info), not as an error. Mismatches say when a swap of day and month, or a
different year on the same day and month, explains them.

A date the page gives only in less reliable places (the text, a comment, a teaser, an ambiguous
"04/05/2022", htmldate's guess) does not confirm a cited date that is such a slip of the
publication date its markup states: "2022-04-05" against a datePublished of 2022-05-04 is
borderline (a warning) even when a comment below the article is dated 5 April.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from citecheck.models import DateCandidate, DatePrecision
from citecheck.verify.verdict import Verdict

log = logging.getLogger(__name__)

TOLERANCE = timedelta(days=1)  # a page's UTC date may be the day before or after the local one
NEAR_DAYS = 7  # a mismatch this close (in days) is borderline: a warning, not an error
SUPPORTING_ROLES = ("published", "other")  # roles whose dates confirm a cited date
SWAPPED = "day and month swapped?"
OTHER_YEAR = "same day and month in another year: a typo in the year?"
OTHER_YEAR_MONTH = "same month in another year: a typo in the year?"
OTHER_MONTH = "same day in another month: a typo in the month?"

_GUESSED_SOURCES = ("text", "htmldate:", "script:")  # where a date is read, not stated
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_ROLES = ("published", "other", "modified")  # also the order in which mismatches quote them
_COARSENESS = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}


@dataclass(frozen=True)
class DateMatch:
    """The verdict on a cited date, the page's date it rests on, and a hint for a mismatch."""

    verdict: Verdict
    found: DateCandidate | None = None
    hint: str | None = None
    published: DateCandidate | None = None  # for UPDATED: the publication date the page gives
    weak_support: DateCandidate | None = None  # a text / guessed date equal to the cited one


@dataclass(frozen=True)
class CitedDate:
    """A cited date as the span of days it covers."""

    start: date
    end: date
    precision: DatePrecision


def parse_cited(cited: str, precision: DatePrecision | None = None) -> CitedDate:
    """The days an ISO date (YYYY, YYYY-MM, YYYY-MM-DD) covers; ValueError if it is not one."""
    match = _ISO.fullmatch(cited.strip())
    if not match:
        raise ValueError(f"date {cited!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(group) if group else None for group in match.groups())
    written = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    if precision is None or _COARSENESS[precision] < _COARSENESS[written]:
        precision = written
    if precision is DatePrecision.YEAR:
        return CitedDate(date(year, 1, 1), date(year, 12, 31), precision)
    assert month is not None
    if precision is DatePrecision.MONTH:
        last = calendar.monthrange(year, month)[1]
        return CitedDate(date(year, month, 1), date(year, month, last), precision)
    assert day is not None
    return CitedDate(date(year, month, day), date(year, month, day), precision)


def match_date(cited: str, precision: DatePrecision | None,
               candidates: Sequence[DateCandidate]) -> DateMatch:
    """Compare a cited ISO date with the page's date candidates; ValueError if not a date."""
    span = parse_cited(cited, precision)
    dated = [(candidate, day) for candidate in candidates if (day := _day(candidate)) is not None]
    if not dated:
        return DateMatch(Verdict.MISSING)
    support = _support(span, dated)
    if support is not None:
        doubt = None if is_structured(support) else _published_typo(span, dated)
        if doubt is None:
            return DateMatch(Verdict.MATCH, support)
        return DateMatch(Verdict.NEAR, doubt[0], doubt[1], weak_support=support)
    updated = next((c for c, day in dated if _role(c) == "modified" and _distance(span, day) == 0),
                   None)
    if updated is not None:
        return DateMatch(Verdict.UPDATED, updated, published=_first(dated, "published"))
    return _mismatch(span, dated)


def is_structured(candidate: DateCandidate) -> bool:
    """A publication date the page's markup states (JSON-LD, meta, itemprop, <time>, the URL).

    A date read from the text ("Posted 09/06/2022" under a comment), a guess of htmldate's or a
    value in a script is not: it may date something else on the page.
    """
    return _role(candidate) == "published" and not candidate.source.startswith(_GUESSED_SOURCES)


def _support(span: CitedDate, dated: list[tuple[DateCandidate, date]]) -> DateCandidate | None:
    """The best candidate that confirms the cited span, if any.

    Structured publication dates come first, then other publication dates, then other ones.
    """
    supporting = [candidate for candidate, day in dated
                  if _role(candidate) in SUPPORTING_ROLES and _distance(span, day) == 0]
    ranked = sorted(supporting, key=lambda c: (not is_structured(c), _role(c) != "published"))
    return ranked[0] if ranked else None


def _published_typo(span: CitedDate, dated: list[tuple[DateCandidate, date]]
                    ) -> tuple[DateCandidate, str] | None:
    """A publication date of which the cited date is a slip (swap, year, month), with the hint.

    A month off on the same day is a slip here (the page's own date says which month), though
    not a hint for a plain mismatch, where any other date may be meant.
    """
    for candidate, day in dated:
        if not is_structured(candidate):
            continue
        hint = _typo_hint(span, day) or _month_slip(span, day)
        if hint:
            return candidate, hint
    return None


def _month_slip(span: CitedDate, day: date) -> str | None:
    cited = span.start
    same_day = (day.year, day.day) == (cited.year, cited.day) and day.month != cited.month
    return OTHER_MONTH if span.precision is DatePrecision.DAY and same_day else None


def _mismatch(span: CitedDate, dated: list[tuple[DateCandidate, date]]) -> DateMatch:
    """The page's date to quote against the cited one, with a hint when a typo explains it.

    Quoted from the first role the page has (published, other, modified): a typo that explains
    the difference if any, else the nearest date.
    """
    role = next(r for r in _ROLES if _first(dated, r) is not None)
    group = [(candidate, day) for candidate, day in dated if _role(candidate) == role]
    for candidate, day in group:
        hint = _typo_hint(span, day)
        if hint:
            return DateMatch(Verdict.MISMATCH, candidate, hint)
    candidate, day = min(group, key=lambda pair: _distance(span, pair[1]))
    near = _distance(span, day) <= NEAR_DAYS
    return DateMatch(Verdict.NEAR if near else Verdict.MISMATCH, candidate)


def _typo_hint(span: CitedDate, day: date) -> str | None:
    cited = span.start
    if span.precision is DatePrecision.DAY:
        if cited.day <= 12 and cited.day != cited.month and \
                (day.year, day.month, day.day) == (cited.year, cited.day, cited.month):
            return SWAPPED
        if (day.month, day.day) == (cited.month, cited.day) and day.year != cited.year:
            return OTHER_YEAR
    if span.precision is DatePrecision.MONTH and day.month == cited.month \
            and day.year != cited.year:
        return OTHER_YEAR_MONTH
    return None


def _distance(span: CitedDate, day: date) -> int:
    """Days between a page date and the cited span, after the time-zone tolerance (0: inside)."""
    if day < span.start - TOLERANCE:
        return (span.start - TOLERANCE - day).days
    if day > span.end + TOLERANCE:
        return (day - span.end - TOLERANCE).days
    return 0


def _role(candidate: DateCandidate) -> str:
    """The candidate's role; an unknown one counts as "other"."""
    return candidate.role if candidate.role in _ROLES else "other"


def _first(dated: list[tuple[DateCandidate, date]], role: str) -> DateCandidate | None:
    return next((candidate for candidate, _ in dated if _role(candidate) == role), None)


def _day(candidate: DateCandidate) -> date | None:
    try:
        return date.fromisoformat(candidate.value[:10])
    except ValueError:
        log.debug("date candidate %r from %s is not an ISO date", candidate.value, candidate.source)
        return None
