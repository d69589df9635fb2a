"""rebuild_index: recreate index.db from the WARC files alone, into a temporary file first."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.archive import layout
from citecheck.archive.index import ArchiveIndex
from citecheck.archive.payloads import (
    RESULT_KIND,
    RUN_END_KIND,
    RunInfo,
    parse_result_payload,
    parse_run_end_payload,
    payload_kind,
)
from citecheck.archive.reader import StoredResponse, read_response
from citecheck.archive.recover import RecoveredFile, recover_open_files
from citecheck.archive.scan import Member, Problem, RecordFacts, scan_members
from citecheck.errors import ArchiveError
from citecheck.models import CaptureRef, CitationResult
from citecheck.settings import Settings

log = logging.getLogger(__name__)

PageText = Callable[[StoredResponse], str]


@dataclass
class RebuildStats:
    """What a rebuild read and wrote."""

    files: int = 0
    records: int = 0
    runs: int = 0
    captures: int = 0
    results: int = 0
    run_ends: int = 0
    checks_kept: int = 0  # check history is not in the WARCs: carried over from the old index
    skipped: list[tuple[str, Problem]] = field(default_factory=list)  # (WARC name, problem)
    recovered: list[RecoveredFile] = field(default_factory=list)
    run_ids: set[str] = field(default_factory=set, repr=False)


def rebuild_index(archive_dir: Path, *, page_text: PageText | None = None,
                  max_body: int = Settings.max_decoded) -> RebuildStats:
    """Recreate ARCHIVE/index.db from the WARC files; `page_text` refills the search text."""
    with layout.archive_lock(archive_dir, exclusive=True):
        for stale in archive_dir.glob(f"{layout.INDEX_NAME}.rebuild-*"):  # a killed rebuild's
            stale.unlink()
        stats = RebuildStats(recovered=recover_open_files(archive_dir))
        temp = archive_dir / f"{layout.INDEX_NAME}.rebuild-{layout.new_token()}"
        try:
            index = ArchiveIndex.open_path(temp)
            try:
                _fill(index, archive_dir, stats, _Texts(archive_dir, index, page_text, max_body))
                stats.checks_kept = _carry_checks(layout.index_path(archive_dir), index)
            finally:
                index.close()
            _single_file(temp)
            _replace(archive_dir, temp)
        finally:
            for leftover in (temp, *_sidecars(temp)):
                leftover.unlink(missing_ok=True)
    log.info("rebuilt the index: %s", stats)
    return stats


@dataclass
class _Texts:
    """Refills page text from the archived response when the caller can extract it."""

    archive_dir: Path
    index: ArchiveIndex
    extract: PageText | None
    max_body: int

    def fill(self, result: CitationResult) -> CitationResult:
        capture = result.link.capture if result.link else None
        if self.extract is None or result.page is None or capture is None:
            return result
        try:
            stored = read_response(self.archive_dir, capture, max_bytes=self.max_body,
                                   locate=self.index.locate)
        except ArchiveError as exc:
            log.warning("no page text for %s: %s", result.citation.id, exc)
            return result
        return dataclasses.replace(result, page=dataclasses.replace(
            result.page, text=self.extract(stored)))


def _fill(index: ArchiveIndex, archive_dir: Path, stats: RebuildStats, texts: _Texts) -> None:
    for path in layout.warc_files(archive_dir):
        stats.files += 1
        name = layout.final_name(path)
        run_id: str | None = None
        with open(path, "rb") as handle:
            for member in scan_members(handle):
                if not member.ok:
                    stats.skipped += [(name, problem) for problem in member.problems]
                    continue
                stats.records += 1
                run_id = _index_record(index, name, member, run_id, stats, texts)


def _index_record(index: ArchiveIndex, name: str, member: Member, run_id: str | None,
                  stats: RebuildStats, texts: _Texts) -> str | None:
    """Index one valid record; returns the run the file belongs to (from its warcinfo)."""
    facts = member.facts
    assert facts is not None and member.end is not None
    if facts.rec_type == "warcinfo":
        info = RunInfo.from_warcinfo(facts.warcinfo())
        if info is not None:
            index.record_run(info)  # once per run, though each of its files names it
            stats.runs += info.run_id not in stats.run_ids
            stats.run_ids.add(info.run_id)
            return info.run_id
    elif facts.rec_type in ("response", "revisit"):
        index.add_capture(facts.header("WARC-Target-URI") or "", _ref(name, member),
                          status=facts.http_status, mime=_content_type(facts), run_id=run_id)
        stats.captures += 1
    elif facts.rec_type == "metadata":
        _index_metadata(index, facts.json(), stats, texts)
    return run_id


def _index_metadata(index: ArchiveIndex, data: Any, stats: RebuildStats, texts: _Texts) -> None:
    kind = payload_kind(data)
    try:
        if kind == RESULT_KIND:
            run_id, document, result = parse_result_payload(data)
            index.add_result(run_id, document, texts.fill(result))
            stats.results += 1
        elif kind == RUN_END_KIND:
            index.record_run_end(parse_run_end_payload(data))
            stats.run_ends += 1
    except ValueError as exc:
        log.warning("a %s metadata record that does not parse: %s", kind, exc)


def _ref(name: str, member: Member) -> CaptureRef:
    facts = member.facts
    assert facts is not None and member.end is not None
    return CaptureRef(warc=name, offset=member.offset, length=member.end - member.offset,
                      timestamp=facts.header("WARC-Date") or "",
                      record_id=facts.record_id or "",
                      payload_digest=facts.header("WARC-Payload-Digest"),
                      revisit_of=facts.header("WARC-Refers-To"),
                      truncated=facts.header("WARC-Truncated"))


def _content_type(facts: RecordFacts) -> str | None:
    return facts.http.get_header("Content-Type") if facts.http else None


def _carry_checks(old: Path, index: ArchiveIndex) -> int:
    """Copy the check history from the index being replaced, when it can still be read."""
    if not old.is_file():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{old}?mode=ro", uri=True)) as conn:
            conn.row_factory = sqlite3.Row
            rows = [dict(r) for r in conn.execute("select * from checks order by id")]
    except sqlite3.DatabaseError as exc:
        log.warning("the old index cannot be read (%s): check history not carried over", exc)
        return 0
    return index.add_checks(rows)


def _single_file(path: Path) -> None:
    """Fold the WAL back into the database file so that one file can be moved."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")


def _sidecars(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _replace(archive_dir: Path, temp: Path) -> None:
    """Put the new index in place; the old one's WAL files must not outlive it."""
    live = layout.index_path(archive_dir)
    for sidecar in _sidecars(live):
        sidecar.unlink(missing_ok=True)
    os.replace(temp, live)
    layout.fsync_dir(archive_dir)
