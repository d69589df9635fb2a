"""When a failing link counts as dead, and when a check may be skipped: the link history (pure).

A link that fails once is not dead: servers go down for an afternoon. As InternetArchiveBot
does, a link counts as dead only after `needed` failed checks (3) whose first and last are at
least `span` apart (3 days), counted since its last success. Until then it is `link-failing`,
a warning. Only a dead or unreachable outcome is a failure; a blocked check (a bot wall, a 429)
neither counts nor resets the count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from citecheck.models import Code, Finding, LinkResult, LinkStatus, Severity
from citecheck.verify.links import link_findings

FAILURES = frozenset({LinkStatus.DEAD, LinkStatus.UNREACHABLE})


@dataclass(frozen=True)
class Observation:
    """One earlier look at a link: a check, or the run that captured it."""

    at: dt.datetime
    status: LinkStatus
    changed: bool = False  # ok, but the page had drifted or its redirect changed

    @property
    def clean(self) -> bool:
        """Whether the link was ok and nothing about it had changed."""
        return self.status is LinkStatus.OK and not self.changed


def parse_time(value: str) -> dt.datetime | None:
    """An ISO 8601 time as an aware UTC datetime (a naive one is taken as UTC); None if not one.

    >>> parse_time("2026-11-28T17:41:00Z").isoformat()
    '2026-11-28T17:41:00+00:00'
    """
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def observation(at: str | None, status: str, changed: bool = False) -> Observation | None:
    """An observation from stored values; None when the time or the status cannot be read."""
    moment = parse_time(at or "")
    try:
        return Observation(moment, LinkStatus(status), changed) if moment else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Streak:
    """The failures of a link since its last success."""

    failures: int
    first: dt.datetime | None  # the first failure of the streak
    last: dt.datetime | None  # the newest failure
    last_ok: dt.datetime | None


def failure_streak(observations: Iterable[Observation]) -> Streak:
    """Count the failures since the newest success."""
    failures, first, last, last_ok = 0, None, None, None
    for seen in sorted(observations, key=lambda o: o.at, reverse=True):
        if seen.status is LinkStatus.OK:
            last_ok = seen.at
            break
        if seen.status in FAILURES:
            failures += 1
            first, last = seen.at, last or seen.at
    return Streak(failures, first, last, last_ok)


def counts_as_dead(streak: Streak, needed: int, span: float) -> bool:
    """Whether a streak has `needed` failures spread over at least `span` seconds."""
    if streak.failures < needed or streak.first is None or streak.last is None:
        return False
    return (streak.last - streak.first).total_seconds() >= span


def fresh(observations: Iterable[Observation], now: dt.datetime,
          max_age: float | None) -> Observation | None:
    """The newest observation when it is clean and younger than `max_age`: a cache hit.

    A failure is never served from the cache, however recent: it is checked again.
    """
    if max_age is None:
        return None
    newest = max(observations, key=lambda o: o.at, default=None)
    if newest is None or not newest.clean:
        return None
    return newest if (now - newest.at).total_seconds() <= max_age else None


def history_findings(link: LinkResult, streak: Streak, needed: int, span: float,
                     note_id: str | None) -> list[Finding]:
    """The findings of a link's outcome now, with failures held back until they count as dead."""
    findings = link_findings(link, note_id)
    if link.status not in FAILURES or counts_as_dead(streak, needed, span):
        return findings
    held = {Code.LINK_DEAD, Code.LINK_UNREACHABLE, Code.LINK_SOFT_404, Code.LINK_REDIRECT_LOOP}
    kept = [f for f in findings if f.code not in held]
    return [failing_finding(link, streak, needed, span, note_id), *kept]


def failing_finding(link: LinkResult, streak: Streak, needed: int, span: float,
                    note_id: str | None) -> Finding:
    """link-failing: how many failures so far, how many are needed, since when."""
    now = link.reason or link.status.value
    first = _when(streak.first)
    if streak.failures < needed:
        count = (f"failed {streak.failures} of the {needed} checks needed over "
                 f"{describe_span(span)} before it counts as dead")
    else:
        count = (f"failed {streak.failures} checks in a row, but the failures do not yet span "
                 f"the {describe_span(span)} needed before it counts as dead")
    evidence = {"url": link.url, "status": link.status.value, "reason": link.reason or "",
                "failures": str(streak.failures), "needed": str(needed),
                "span": describe_span(span), "first_failure": first,
                "last_ok": _when(streak.last_ok)}
    return Finding(Code.LINK_FAILING, Severity.WARNING,
                   f"{link.url}: {now}; {count}; first failure {first}", note_id, evidence)


def describe_span(seconds: float) -> str:
    """A span for people: "3 days", "12 hours", "90 seconds".

    >>> describe_span(3 * 86400), describe_span(43200), describe_span(90)
    ('3 days', '12 hours', '90 seconds')
    """
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds:g} seconds"


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""

