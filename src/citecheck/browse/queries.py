"""What the pages read from the index: documents, runs, citations, findings, search.

Every function takes an ArchiveIndex opened read-only (`ArchiveIndex.open_readonly`) and
returns plain rows; the SQL here only ever selects.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from citecheck.archive import ArchiveIndex
from citecheck.errors import ArchiveError
from citecheck.models import CitationResult, LinkStatus
from citecheck.serialize import from_data

NOT_CHECKED = LinkStatus.NOT_CHECKED.value
HIT_START, HIT_END = "\x02", "\x03"  # snippet markers no page text holds (sanitised away)


@dataclass(frozen=True)
class RunSummary:
    """One run with its citations counted by link status and its findings by severity."""

    run_id: str
    document_id: str
    command: str
    started: str | None
    finished: str | None
    statuses: dict[str, int]
    severities: dict[str, int]

    @property
    def citations(self) -> int:
        """How many footnotes the run checked."""
        return sum(self.statuses.values())


def _rows(index: ArchiveIndex, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict]:
    try:
        return list(index.db.query(sql, params))
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read the index: {exc}", where=str(index.path)) from exc


def documents(index: ArchiveIndex) -> list[dict[str, Any]]:
    """Every document with its number of runs and latest run, most recently checked first."""
    return _rows(index, "select d.document_id, d.name, d.format, d.sha256, "
                        "count(r.run_id) as runs, max(r.started) as latest "
                        "from documents d left join runs r using (document_id) "
                        "group by d.document_id order by latest desc, d.name")


def document(index: ArchiveIndex, document_id: str) -> dict[str, Any] | None:
    """One document by id."""
    rows = _rows(index, "select * from documents where document_id = ?", [document_id])
    return rows[0] if rows else None


def runs(index: ArchiveIndex, document_id: str | None = None) -> list[RunSummary]:
    """The runs (of one document, or all), newest first, with their counts."""
    where, params = ("where document_id = ?", [document_id]) if document_id else ("", [])
    rows = _rows(index, f"select * from runs {where} order by started desc, run_id desc", params)
    statuses = _counts(index, "select run_id, coalesce(link_status, ?) as key, count(*) as n "
                              "from citations group by 1, 2", [NOT_CHECKED])
    severities = _counts(index, "select run_id, severity as key, count(*) as n "
                                "from findings group by 1, 2")
    return [RunSummary(r["run_id"], r["document_id"], r["command"], r["started"], r["finished"],
                       statuses.get(r["run_id"], {}), severities.get(r["run_id"], {}))
            for r in rows]


def _counts(index: ArchiveIndex, sql: str, params: list[Any] | None = None,
            ) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _rows(index, sql, params or []):
        out[row["run_id"]][row["key"]] = row["n"]
    return out


def run(index: ArchiveIndex, run_id: str) -> dict[str, Any] | None:
    """One run's row."""
    rows = _rows(index, "select * from runs where run_id = ?", [run_id])
    return rows[0] if rows else None


def citations(index: ArchiveIndex, run_id: str) -> list[dict[str, Any]]:
    """A run's citation rows in document order, each with its findings' codes and severities."""
    rows = _rows(index, "select run_id, citation_id, kind, note_text, title, publisher, date, "
                        "url, final_url, link_status, http_status, same_as, capture_record_id "
                        "from citations where run_id = ? order by rowid", [run_id])
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _rows(index, "select citation_id, code, severity from findings "
                            "where run_id = ? and citation_id is not null order by id", [run_id]):
        found[row["citation_id"]].append((row["code"], row["severity"]))
    for row in rows:
        row["link_status"] = row["link_status"] or NOT_CHECKED
        row["findings"] = found.get(row["citation_id"], [])
    return rows


def document_findings(index: ArchiveIndex, run_id: str) -> list[dict[str, Any]]:
    """Findings about the whole document in a run."""
    return [{**row, "evidence": json.loads(row["evidence"] or "{}")}
            for row in _rows(index, "select code, severity, message, evidence from findings "
                                    "where run_id = ? and citation_id is null order by id",
                             [run_id])]


def citation(index: ArchiveIndex, run_id: str, citation_id: str) -> CitationResult | None:
    """One citation's whole result as the run recorded it (page text left out)."""
    rows = _rows(index, "select result from citations where run_id = ? and citation_id = ?",
                 [run_id, citation_id])
    if not rows:
        return None
    try:
        return from_data(CitationResult, json.loads(rows[0]["result"] or "null"))
    except ValueError as exc:  # JSONDecodeError is one too
        raise ArchiveError(f"the recorded result of footnote {citation_id} in run {run_id} "
                           f"cannot be read ({exc}); rebuild the index", where=str(index.path)
                           ) from exc


def page_row(index: ArchiveIndex, run_id: str, citation_id: str) -> dict[str, Any] | None:
    """The searchable page of a citation (title and the text extracted from it)."""
    rows = _rows(index, "select * from pages where run_id = ? and citation_id = ?",
                 [run_id, citation_id])
    return rows[0] if rows else None


def search(index: ArchiveIndex, query: str, *, run_id: str | None = None,
           limit: int = 50) -> list[dict[str, Any]]:
    """Pages whose captured title or text match a full-text query, best first, with a snippet."""
    match = index.db.quote_fts(query)
    if not match.strip():  # nothing but quotes: FTS5 refuses an empty query
        return []
    where = "and pages.run_id = ?" if run_id else ""
    params: list[Any] = [HIT_START, HIT_END, match]
    params += [run_id] if run_id else []
    return _rows(index, "select pages.run_id, pages.url, pages.citation_id, pages.title, "
                        "snippet(pages_fts, 1, ?, ?, '…', 16) as snippet "
                        "from pages_fts join pages on pages.rowid = pages_fts.rowid "
                        f"where pages_fts match ? {where} order by rank limit ?",
                 [*params, limit])


def finding_codes(rows: list[dict[str, Any]]) -> list[str]:
    """The finding codes present in some citation rows, most frequent first."""
    counts = Counter(code for row in rows for code, _ in row["findings"])
    return [code for code, _ in counts.most_common()]


def citation_ids(index: ArchiveIndex, run_id: str) -> list[str]:
    """A run's citation ids in document order."""
    return [row["citation_id"] for row in _rows(
        index, "select citation_id from citations where run_id = ? order by rowid", [run_id])]
