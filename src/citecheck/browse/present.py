"""Rows as the pages show them: badges, filters, sorting, cited-vs-found, capture history. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from citecheck.archive import CaptureRow
from citecheck.models import CitationResult, LinkStatus, Severity
from citecheck.report.common import (
    MISMATCH,
    SEVERITY_SYMBOLS,
    STATUS_SYMBOLS,
    UNVERIFIED,
    VERDICT_WORDS,
    comparison_rows,
)

STATUS_CSS = {
    LinkStatus.OK: "good", LinkStatus.DEAD: "bad", LinkStatus.UNREACHABLE: "bad",
    LinkStatus.INVALID_URL: "bad", LinkStatus.BLOCKED: "warn", LinkStatus.REFUSED: "warn",
    LinkStatus.SKIPPED: "muted", LinkStatus.NOT_CHECKED: "muted",
}
SEVERITY_CSS = {Severity.ERROR: "bad", Severity.WARNING: "warn", Severity.INFO: "info"}
# worst first: how the status column sorts
STATUS_ORDER = [LinkStatus.DEAD, LinkStatus.UNREACHABLE, LinkStatus.INVALID_URL,
                LinkStatus.BLOCKED, LinkStatus.REFUSED, LinkStatus.OK, LinkStatus.SKIPPED,
                LinkStatus.NOT_CHECKED]
SORTS = {"id": "footnote number", "status": "status (worst first)", "title": "cited title",
         "publisher": "publisher", "date": "cited date", "findings": "findings (worst first)"}
_TEXT_COLUMNS = ("title", "publisher", "date")
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Badge:
    """A status or severity as the UI shows it: symbol and word (readable without colour)."""

    label: str
    css: str


def status_badge(value: str | None) -> Badge:
    """The badge of a link status value; an unknown value reads as itself, muted."""
    try:
        status = LinkStatus(value or LinkStatus.NOT_CHECKED.value)
    except ValueError:
        return Badge(f"? {value}", "muted")
    return Badge(f"{STATUS_SYMBOLS[status]} {status.value}", STATUS_CSS[status])


def ordered_statuses(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Status counts worst first (unknown statuses last), zero counts left out."""
    known = [status.value for status in STATUS_ORDER]
    names = sorted(counts, key=lambda name: (known.index(name) if name in known else len(known),
                                              name))
    return [(name, counts[name]) for name in names if counts[name]]


def severity_badge(value: str) -> Badge:
    """The badge of a severity value."""
    try:
        severity = Severity(value)
    except ValueError:
        return Badge(f"? {value}", "muted")
    return Badge(f"{SEVERITY_SYMBOLS[severity]} {severity.value}", SEVERITY_CSS[severity])


def natural_key(text: str | None) -> tuple[tuple[int, int, str], ...]:
    """Sort key that puts note 2 before note 10, and e1 after 9.

    >>> sorted(["10", "e1", "2", "1a"], key=natural_key)
    ['1a', '2', '10', 'e1']
    """
    parts = _DIGITS.split((text or "").casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


@dataclass(frozen=True)
class CitationQuery:
    """The filters and order of a document's citation table, from the page's query string."""

    status: str = ""
    code: str = ""
    q: str = ""
    sort: str = "id"
    desc: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> CitationQuery:
        """Read the query string; unknown sort columns fall back to the footnote order."""
        sort = args.get("sort", "id")
        return cls(status=args.get("status", "").strip(), code=args.get("code", "").strip(),
                   q=args.get("q", "").strip()[:200], sort=sort if sort in SORTS else "id",
                   desc=args.get("order") == "desc")

    def args(self, **changes: Any) -> dict[str, str]:
        """Query-string arguments for a link that changes some of these settings."""
        values = {"status": self.status, "code": self.code, "q": self.q, "sort": self.sort,
                  "order": "desc" if self.desc else "asc", **changes}
        return {k: v for k, v in values.items() if v and (k, v) not in {("sort", "id"),
                                                                        ("order", "asc")}}


def select_rows(rows: Sequence[dict[str, Any]], query: CitationQuery,
                text_hits: set[str]) -> list[dict[str, Any]]:
    """The citation rows that pass the filters, in the asked order.

    `text_hits` are the citation ids whose captured page matched `query.q` (full-text search).
    """
    kept = [row for row in rows if _passes(row, query, text_hits)]
    kept.sort(key=lambda row: _sort_key(row, query.sort), reverse=query.desc)
    if query.sort in _TEXT_COLUMNS:
        kept.sort(key=lambda row: not row[query.sort])  # stable: empty values last either way
    return kept


def _passes(row: Mapping[str, Any], query: CitationQuery, text_hits: set[str]) -> bool:
    if query.status and row["link_status"] != query.status:
        return False
    if query.code and query.code not in {code for code, _ in row["findings"]}:
        return False
    if not query.q:
        return True
    needle = query.q.casefold()
    fields = (row["citation_id"], row["note_text"], row["title"], row["publisher"], row["url"],
              row["final_url"])
    return any(needle in (value or "").casefold() for value in fields) or (
        row["citation_id"] in text_hits)


def _sort_key(row: Mapping[str, Any], column: str) -> tuple[Any, ...]:
    order = natural_key(row["citation_id"])
    if column == "status":
        rank = next((i for i, s in enumerate(STATUS_ORDER) if s.value == row["link_status"]),
                    len(STATUS_ORDER))
        return (rank, order)
    if column == "findings":
        worst = max((_severity_rank(sev) for _, sev in row["findings"]), default=-1)
        return (-worst, -len(row["findings"]), order)
    if column in _TEXT_COLUMNS:
        return ((row[column] or "").casefold(), order)
    return (order,)


def _severity_rank(value: str) -> int:
    try:
        return Severity(value).rank
    except ValueError:
        return -1


def comparison(result: CitationResult) -> list[dict[str, Any]]:
    """Cited against found, field by field, with the verdict of the fields the report judges."""
    return [{"field": name, "cited": cited, "found": value, "verdict": _verdict(mark)}
            for name, cited, value, mark in comparison_rows(result, details=True)]


def _verdict(mark: str) -> Badge | None:
    if not mark:
        return None
    css = "bad" if mark == MISMATCH else "warn" if mark == UNVERIFIED else "good"
    return Badge(f"{mark} {VERDICT_WORDS[mark]}", css)


def history(captures: Sequence[CaptureRow]) -> list[dict[str, Any]]:
    """Captures of a URL, newest first, each marked changed when its payload differs from the
    capture before it (the oldest is the first capture)."""
    rows = []
    for position, row in enumerate(captures):
        older = captures[position + 1] if position + 1 < len(captures) else None
        if older is None:
            change = "first capture"
        elif row.ref.payload_digest and row.ref.payload_digest == older.ref.payload_digest:
            change = "unchanged"
        else:
            change = "changed"
        rows.append({"row": row, "change": change})
    return rows
