"""ArchiveIndex: the SQLite index of an archive (runs, citations, captures, pages, checks).

Several runs may write one index at once from separate processes, and one run from many
threads. Each write is one short `BEGIN IMMEDIATE` transaction (so a writer waits for the
lock up front instead of failing half-way), in WAL mode with a busy timeout, retried with
backoff when SQLite still answers "busy". A connection is shared by threads behind a lock.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from citecheck.archive import layout
from citecheck.archive.payloads import RunEnd, RunInfo, without_text
from citecheck.archive.records import RevisitTarget
from citecheck.archive.schema import MIGRATIONS
from citecheck.errors import ArchiveError
from citecheck.models import CaptureRef, CitationResult, DocumentInfo, Finding
from citecheck.serialize import from_data, to_data

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT = 30.0  # seconds SQLite itself waits for a lock
RETRIES = 8  # then "busy" becomes an ArchiveError
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


@dataclass(frozen=True)
class CaptureRow:
    """One capture in the index: the URL, where its record is, and what it was."""

    url: str
    ref: CaptureRef
    http_status: int | None
    mime: str | None
    run_id: str | None


@dataclass(frozen=True)
class CheckRow:
    """One `citecheck check` of a URL."""

    url: str
    at: str
    ok: bool
    status: str
    reason: str | None


def utc_now() -> str:
    """The current time as ISO 8601 UTC with seconds."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_id(now: dt.datetime | None = None) -> str:
    """A run id: UTC time and a random token, 20261128T174100Z-3f9a1c."""
    moment = now or dt.datetime.now(dt.UTC)
    return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{layout.new_token()}"


def document_id(document: DocumentInfo) -> str:
    """How the index names a document: its sha256, else its name."""
    return document.sha256 or f"name:{document.name}"


def mime_of(content_type: str | None) -> str | None:
    """The media type of a Content-Type header, parameters dropped, lower case."""
    value = (content_type or "").split(";", 1)[0].strip().lower()
    return value or None


class ArchiveIndex:
    """The index of one archive; thread-safe, and safe to share with other processes."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._lock = threading.RLock()
        self._archive_lock: BinaryIO | None = None

    @classmethod
    def open(cls, archive_dir: Path, *, create: bool = True) -> ArchiveIndex:
        """Open (or create) ARCHIVE/index.db; holds the archive lock shared until closed."""
        path = layout.index_path(archive_dir)
        if not create and not path.is_file():
            raise ArchiveError("no index.db here: run citecheck first, or rebuild the index "
                               "from the WARC files", where=str(archive_dir))
        lock = layout.acquire_archive_lock(archive_dir, exclusive=False)
        try:
            index = cls.open_path(path)
        except BaseException:
            lock.close()
            raise
        index._archive_lock = lock
        return index

    @classmethod
    def open_path(cls, path: Path) -> ArchiveIndex:
        """Open an index database at any path (rebuild writes a temporary one)."""
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)
            index = cls(Database(conn), path)
            index._retry(index.db.enable_wal)
            index.db.execute("PRAGMA synchronous=NORMAL")
            index._write(MIGRATIONS.apply)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot use the index ({exc}); move it aside and rebuild it "
                               "from the WARC files", where=str(path)) from exc
        return index

    @classmethod
    def open_readonly(cls, archive_dir: Path) -> ArchiveIndex:
        """Open ARCHIVE/index.db read-only: no lock, no migration, and SQLite refuses any write.

        SQLite may create the `-wal` and `-shm` side files a WAL database needs to be read;
        index.db itself is never touched. A folder nobody can write is read as immutable.
        """
        path = layout.index_path(archive_dir)
        if not path.is_file():
            raise ArchiveError("no index.db here: run citecheck first, or rebuild the index "
                               "from the WARC files", where=str(archive_dir))
        frozen = not os.access(path.parent, os.W_OK)
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if frozen else "")
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, check_same_thread=False)
            conn.execute("select 1 from sqlite_master limit 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot read the index ({exc})", where=str(path)) from exc
        return cls(Database(conn), path)

    def close(self) -> None:
        """Close the connection and release the archive lock."""
        with self._lock:
            self.db.close()
            if self._archive_lock is not None:
                self._archive_lock.close()
                self._archive_lock = None

    def __enter__(self) -> ArchiveIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions

    def _retry(self, action: Callable[[], T]) -> T:
        for attempt in range(RETRIES + 1):
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF not in _BUSY_CODES or attempt == RETRIES:
                    raise
                delay = min(2.0, 0.05 * 2**attempt) * (0.5 + random.random())
                log.debug("index busy (%s), retrying in %.2fs", exc, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, change: Callable[[Database], T]) -> T:
        """Run `change` in one short immediate transaction, retried while the index is busy."""
        def attempt() -> T:
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = change(self.db)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        with self._lock:
            try:
                return self._retry(attempt)
            except sqlite3.Error as exc:
                raise ArchiveError(f"cannot write the index: {exc}", where=str(self.path)) from exc

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            try:
                return self._retry(lambda: list(self.db.query(sql, params)))
            except sqlite3.Error as exc:
                raise ArchiveError(f"cannot read the index: {exc}", where=str(self.path)) from exc

    # ------------------------------------------------------------------ runs

    def start_run(self, command: str, document: DocumentInfo,
                  settings_summary: Mapping[str, Any], *,
                  now: dt.datetime | None = None) -> str:
        """Record a new run and return its id."""
        moment = now or dt.datetime.now(dt.UTC)
        info = RunInfo(new_run_id(moment), command, document,
                       moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       dict(settings_summary))
        self.record_run(info)
        return info.run_id

    def record_run(self, info: RunInfo) -> None:
        """Insert a run (and its document) as given; rebuild uses this with the warcinfo's."""
        def change(db: Database) -> None:
            _add_document(db, info.document)
            db["runs"].insert({"run_id": info.run_id, "command": info.command,
                               "document_id": document_id(info.document),
                               "started": info.started, "software": info.software,
                               "settings": _json(info.settings)}, ignore=True)
        self._write(change)

    def run_info(self, run_id: str) -> RunInfo | None:
        """A run as recorded: what its WARC files' warcinfo records carry (RunInfo.warcinfo())."""
        rows = self._read("select runs.*, documents.name, documents.format, documents.sha256 "
                          "from runs join documents using (document_id) where run_id = ?",
                          [run_id])
        if not rows:
            return None
        row = rows[0]
        document = DocumentInfo(row["name"], row["format"], row["sha256"])
        return RunInfo(run_id, row["command"], document, row["started"],
                       json.loads(row["settings"] or "{}"), row["software"])

    def interrupted_run(self, document: DocumentInfo, command: str = "run") -> RunInfo | None:
        """The newest `command` run of a document, if it never finished (killed, interrupted)."""
        rows = self._read("select run_id, finished from runs where document_id = ? and "
                          "command = ? order by started desc, rowid desc limit 1",
                          [document_id(document), command])
        if not rows or rows[0]["finished"] is not None:
            return None
        return self.run_info(rows[0]["run_id"])

    def finish_run(self, run_id: str, counts: Mapping[str, int], *, finished: str | None = None,
                   findings: Sequence[Finding] = ()) -> None:
        """Record the end of a run: when, its counts, and findings about the whole document."""
        self.record_run_end(RunEnd(run_id, finished or utc_now(), dict(counts), tuple(findings)))

    def record_run_end(self, end: RunEnd) -> None:
        """Record a RunEnd (the same value the run-end metadata record holds)."""
        def change(db: Database) -> None:
            try:
                db["runs"].update(end.run_id, {"finished": end.finished,
                                               "counts": _json(dict(end.counts))})
            except NotFoundError:
                raise ArchiveError(f"no run {end.run_id} in the index",
                                   where=str(self.path)) from None
            db.execute("delete from findings where run_id = ? and citation_id is null",
                       [end.run_id])
            db["findings"].insert_all(_finding_rows(end.run_id, None, end.findings))
        self._write(change)

    # ------------------------------------------------------------------ captures

    def add_capture(self, url: str, ref: CaptureRef, *, status: int | None, mime: str | None,
                    run_id: str | None) -> None:
        """Record a response (or revisit) record once it is in a WARC file."""
        row = {"record_id": ref.record_id, "url": url, "timestamp": ref.timestamp,
               "http_status": status, "mime": mime_of(mime),
               "payload_digest": ref.payload_digest, "warc": ref.warc, "offset": ref.offset,
               "length": ref.length, "revisit_of": ref.revisit_of, "truncated": ref.truncated,
               "run_id": run_id}
        self._write(lambda db: db["captures"].insert(row, replace=True))

    def latest_capture(self, url: str) -> CaptureRef | None:
        """The newest capture of a URL."""
        rows = self._read("select * from captures where url = ? "
                          "order by timestamp desc, rowid desc limit 1", [url])
        return _capture_ref(rows[0]) if rows else None

    def captures_for(self, url: str) -> list[CaptureRow]:
        """Every capture of a URL, newest first."""
        rows = self._read("select * from captures where url = ? "
                          "order by timestamp desc, rowid desc", [url])
        return [_capture_row(r) for r in rows]

    def payload_original(self, digest: str) -> RevisitTarget | None:
        """The first complete response with this payload digest: what a revisit refers to."""
        rows = self._read("select * from captures where payload_digest = ? and revisit_of is null"
                          " and truncated is null order by timestamp, rowid limit 1", [digest])
        if not rows:
            return None
        row = rows[0]
        return RevisitTarget(row["url"], row["timestamp"], row["record_id"], row["warc"],
                             row["offset"], row["length"])

    def locate(self, record_id: str) -> tuple[str, int] | None:
        """Where a record is (WARC name, offset), for read_response to follow a revisit."""
        rows = self._read("select warc, offset from captures where record_id = ?", [record_id])
        return (rows[0]["warc"], rows[0]["offset"]) if rows else None

    def capture(self, record_id: str) -> CaptureRow | None:
        """One capture by its record id (`<urn:uuid:…>`), or None."""
        rows = self._read("select * from captures where record_id = ?", [record_id])
        return _capture_row(rows[0]) if rows else None

    # ------------------------------------------------------------------ results

    def add_result(self, run_id: str, document: DocumentInfo, result: CitationResult) -> None:
        """Record one citation's result: its row, hops, findings and the page for search."""
        def change(db: Database) -> None:
            _add_document(db, document)
            key = [run_id, result.citation.id]
            db["citations"].insert(_citation_row(run_id, document, result), replace=True)
            db.execute("delete from hops where run_id = ? and citation_id = ?", key)
            db.execute("delete from findings where run_id = ? and citation_id = ?", key)
            db["hops"].insert_all(_hop_rows(run_id, result))
            db["findings"].insert_all(_finding_rows(run_id, result.citation.id, result.findings))
            page = _page_row(run_id, result)
            if page:
                db["pages"].insert(page, replace=True)
        self._write(change)

    def results(self, run_id: str) -> list[CitationResult]:
        """The results of a run as recorded (page text left out), in citation order."""
        rows = self._read("select result from citations where run_id = ? order by rowid",
                          [run_id])
        return [from_data(CitationResult, json.loads(row["result"])) for row in rows]

    def latest_result(self, url: str) -> CitationResult | None:
        """The newest recorded result of a cited URL that has a capture (for offline runs)."""
        rows = self._read("select result from citations where url = ? and capture_record_id "
                          "is not null order by capture_timestamp desc, rowid desc limit 1",
                          [url])
        return from_data(CitationResult, json.loads(rows[0]["result"])) if rows else None

    def page_text(self, url: str, record_id: str) -> str | None:
        """The main text the index holds for the page of a cited URL's capture (None: no row)."""
        rows = self._read("select pages.text from citations join pages on pages.run_id = "
                          "citations.run_id and pages.url = coalesce(citations.final_url, "
                          "citations.url) where citations.url = ? and "
                          "citations.capture_record_id = ? limit 1", [url, record_id])
        return rows[0]["text"] if rows else None

    def search(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Pages whose title or text match a full-text query, best first."""
        if not self.db.quote_fts(query).strip():  # nothing but quotes: FTS5 refuses it
            return []
        with self._lock:
            return list(self.db["pages"].search(query, limit=limit, quote=True,
                                                columns=["run_id", "url", "title"]))

    # ------------------------------------------------------------------ checks

    def add_check(self, url: str, *, ok: bool, status: str, reason: str | None, at: str) -> None:
        """Record one check of a URL (`citecheck check`)."""
        row = {"url": url, "at": at, "ok": int(ok), "status": status, "reason": reason}
        self._write(lambda db: db["checks"].insert(row))

    def checks_for(self, url: str) -> list[CheckRow]:
        """The check history of a URL, newest first."""
        rows = self._read("select * from checks where url = ? order by at desc, id desc", [url])
        return [CheckRow(r["url"], r["at"], bool(r["ok"]), r["status"], r["reason"])
                for r in rows]

    def add_checks(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert check rows as they are (rebuild carries them over); returns how many."""
        rows = list(rows)
        self._write(lambda db: db["checks"].insert_all(
            {k: row.get(k) for k in ("url", "at", "ok", "status", "reason")} for row in rows))
        return len(rows)


def _add_document(db: Database, document: DocumentInfo) -> None:
    db["documents"].insert({"document_id": document_id(document), "name": document.name,
                            "format": document.format, "sha256": document.sha256}, ignore=True)


def _citation_row(run_id: str, document: DocumentInfo, result: CitationResult) -> dict[str, Any]:
    citation, link = result.citation, result.link
    capture = link.capture if link else None
    return {
        "run_id": run_id, "citation_id": citation.id, "document_id": document_id(document),
        "kind": citation.kind.value, "note_text": citation.text, "title": citation.title,
        "publisher": citation.publisher, "date": citation.date,
        "date_precision": citation.date_precision and citation.date_precision.value,
        "accessed": citation.accessed, "url": citation.url,
        "link_status": link and link.status.value, "final_url": link and link.final_url,
        "http_status": link and link.http_status, "reason": link and link.reason,
        "content_type": link and link.content_type, "checked_at": link and link.checked_at,
        "capture_record_id": capture and capture.record_id,
        "capture_warc": capture and capture.warc, "capture_offset": capture and capture.offset,
        "capture_length": capture and capture.length,
        "capture_timestamp": capture and capture.timestamp,
        "context": citation.context and citation.context.text,
        "line": citation.context.line if citation.context else citation.note_line,
        "same_as": citation.same_as, "confidence": citation.confidence,
        "result": _json(to_data(without_text(result))),
    }


def _hop_rows(run_id: str, result: CitationResult) -> list[dict[str, Any]]:
    hops = result.link.hops if result.link else ()
    return [{"run_id": run_id, "citation_id": result.citation.id, "position": i, "url": h.url,
             "status": h.status, "kind": h.kind.value, "location": h.location,
             "elapsed_ms": h.elapsed_ms, "ip": h.ip} for i, h in enumerate(hops)]


def _finding_rows(run_id: str, citation_id: str | None,
                  findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [{"run_id": run_id, "citation_id": citation_id, "code": f.code.value,
             "severity": f.severity.value, "message": f.message,
             "evidence": _json(dict(f.evidence))} for f in findings]


def _page_row(run_id: str, result: CitationResult) -> dict[str, Any] | None:
    page, link = result.page, result.link
    url = link and (link.final_url or link.url)
    if page is None or not url:
        return None
    return {"run_id": run_id, "url": url, "citation_id": result.citation.id,
            "title": page.title, "title_source": page.title_source,
            "published": page.published, "modified": page.modified,
            "site_name": page.site_name, "author": page.author, "lang": page.lang,
            "canonical_url": page.canonical_url, "content_type": page.content_type,
            "text": page.text}


def _capture_row(row: Mapping[str, Any]) -> CaptureRow:
    return CaptureRow(row["url"], _capture_ref(row), row["http_status"], row["mime"],
                      row["run_id"])


def _capture_ref(row: Mapping[str, Any]) -> CaptureRef:
    return CaptureRef(warc=row["warc"], offset=row["offset"], length=row["length"],
                      timestamp=row["timestamp"], record_id=row["record_id"],
                      payload_digest=row["payload_digest"], revisit_of=row["revisit_of"],
                      truncated=row["truncated"])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
