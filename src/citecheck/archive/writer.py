"""WarcWriter: exchanges and results into WARC 1.1 files, one gzip member per record.

One writer per run. It owns its files alone: each is created exclusively as `NAME.warc.gz.open`,
locked, and fsynced and renamed to `NAME.warc.gz` on close or once it grows past `max_size`.
Worker threads compress their records in parallel, each into its own spool; the writer's
lock is held only to append a whole record group (request and response, or one metadata
record) to the file, so groups never interleave and every record reaches the OS at once.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.recordloader import ArcWarcRecord

from citecheck.archive import layout
from citecheck.archive.payloads import (
    RunEnd,
    dump_payload,
    result_payload,
    result_target,
    run_end_payload,
    run_target,
    warcinfo_block,
    warcinfo_fields,
)
from citecheck.archive.records import (
    CHUNK,
    Encoded,
    RevisitTarget,
    digest_body,
    encode,
    metadata_record,
    new_record_id,
    request_record,
    response_block_headers,
    response_record,
    revisit_record,
    truncation,
    warcinfo_record,
)
from citecheck.errors import ArchiveError
from citecheck.fetch.exchange import Exchange
from citecheck.models import CaptureRef, CitationResult, DocumentInfo
from citecheck.settings import Settings

log = logging.getLogger(__name__)

# zlib level 6: on real HTML pages about twice as fast as warcio's own level 9, files 1% larger
COMPRESS_LEVEL = 6

def warc_date(moment: dt.datetime) -> str:
    """A WARC-Date with microseconds (WARC 1.1), UTC; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class _OpenWarc:
    """The one file a writer is appending to."""

    path: Path  # …warc.gz.open
    name: str  # the finished name, used in every CaptureRef
    raw: io.FileIO
    groups: int = 0


class WarcWriter:
    """Writes one run's exchanges and results into WARC files; safe to share between threads."""

    def __init__(self, archive_dir: Path, *, warcinfo: Mapping[str, str],
                 max_size: int = Settings.warc_max_size,
                 dedup: Callable[[str], RevisitTarget | None] | None = None,
                 now: Callable[[], dt.datetime] = _utcnow,
                 compress_level: int = COMPRESS_LEVEL) -> None:
        self._folder = layout.warc_dir(archive_dir)
        self._folder.mkdir(parents=True, exist_ok=True)
        self._archive_lock = layout.acquire_archive_lock(archive_dir, exclusive=False)
        self._warcinfo = dict(warcinfo)
        self._max_size = max_size
        self._dedup = dedup
        self._now = now
        self._level = compress_level
        self._lock = threading.Lock()
        self._token = layout.new_token()
        self._serial = 0
        self._current: _OpenWarc | None = None
        self._finished: list[Path] = []
        self._seen: dict[str, RevisitTarget] = {}  # payload digest -> first whole response
        self._seen_lock = threading.Lock()  # not the file lock: a long append must not block it
        self._writing: dict[str, threading.Event] = {}  # digest -> its original, being written
        self._closed = False

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def files(self) -> list[Path]:
        """The finished WARC files so far."""
        return list(self._finished)

    def write_exchange(self, ex: Exchange) -> CaptureRef:
        """Write a request and its response (or a revisit); the ref points at the response."""
        headers = response_block_headers(ex)
        measured = digest_body(headers.headers_buff, ex.body)
        cut = truncation(ex, measured.length)
        dedupable = measured.length > 0 and cut is None
        original, claimed = self._original(measured.payload) if dedupable else (None, False)
        written: RevisitTarget | None = None
        try:
            date, ids = warc_date(ex.started), (new_record_id(), new_record_id())
            if original is None:
                response = response_record(ex, headers, measured, cut, date, ids)
            else:
                response = revisit_record(ex, headers, measured.payload, original, date, ids)
            group = self._encode([request_record(ex, date, ids[1], ids[0]), response])
            with self._lock:
                ref = self._append(group)
            written = RevisitTarget(ex.url, ref.timestamp, ref.record_id, ref.warc, ref.offset,
                                    ref.length)
        finally:
            if claimed:
                self._settle(measured.payload, written)
        return ref

    def write_metadata(self, target_uri: str, payload: Mapping[str, Any],
                       concurrent_to: str | None = None) -> CaptureRef:
        """Write a JSON metadata record, optionally linked to the response it describes."""
        record = metadata_record(target_uri, dump_payload(payload), warc_date(self._now()),
                                 concurrent_to)
        group = self._encode([record])
        with self._lock:
            return self._append(group)

    def write_result(self, run_id: str, document: DocumentInfo,
                     result: CitationResult) -> CaptureRef:
        """Write the metadata record of one citation result (linked to its final response)."""
        capture = result.link.capture if result.link else None
        return self.write_metadata(result_target(run_id, result.citation.id),
                                   result_payload(run_id, document, result),
                                   concurrent_to=capture.record_id if capture else None)

    def write_run_end(self, end: RunEnd) -> CaptureRef:
        """Write the metadata record closing a run: counts and document-level findings."""
        return self.write_metadata(run_target(end.run_id), run_end_payload(end))

    def close(self) -> list[Path]:
        """Finish the open file (fsync, rename) and release the archive; returns every file."""
        with self._lock:
            if not self._closed:
                self._closed = True
                if self._current is not None:
                    self._finish(self._current)
                self._archive_lock.close()
        return list(self._finished)

    # ------------------------------------------------------------------ appending

    def _encode(self, records: Sequence[ArcWarcRecord]) -> list[Encoded]:
        """Compress a group's records, each into its own spooled gzip member."""
        group: list[Encoded] = []
        try:
            for record in records:
                group.append(encode(record, self._level))
        except BaseException as exc:
            for encoded in group:
                encoded.data.close()
            if isinstance(exc, OSError):
                raise ArchiveError(f"cannot prepare a record: {exc.strerror or exc}",
                                   where=str(self._folder)) from exc
            raise
        return group

    def _original(self, digest: str) -> tuple[RevisitTarget | None, bool]:
        """An earlier whole response with this payload (this run's, else the index's), or a claim.

        The claim (True) makes this thread the one writing the payload's first response: a
        thread with the same payload meanwhile waits for it and writes a revisit, instead of
        storing the payload twice because both looked before either had written.
        """
        with self._seen_lock:
            seen = self._seen.get(digest)
            busy = self._writing.get(digest) if seen is None else None
            if seen is None and busy is None:
                self._writing[digest] = threading.Event()
        if seen is not None:
            return seen, False
        if busy is not None:
            busy.wait()
            return self._original(digest)
        indexed = self._dedup(digest) if self._dedup else None
        if indexed is not None:
            self._settle(digest, indexed)
            return indexed, False
        return None, True

    def _settle(self, digest: str, original: RevisitTarget | None) -> None:
        """Give up a claim: record the payload's original (None: the write failed), wake waiters."""
        with self._seen_lock:
            if original is not None:
                self._seen.setdefault(digest, original)
            event = self._writing.pop(digest, None)
        if event is not None:
            event.set()

    def _append(self, group: Sequence[Encoded]) -> CaptureRef:
        """Append a record group; on any failure cut the file back to where it began."""
        try:
            current = self._open()
            start = current.raw.tell()
            offsets = []
            try:
                for encoded in group:
                    offsets.append(current.raw.tell())
                    _copy(encoded.data, current.raw)
            except BaseException as exc:
                os.ftruncate(current.raw.fileno(), start)
                current.raw.seek(start)
                if isinstance(exc, OSError):
                    raise ArchiveError(f"cannot write: {exc.strerror or exc}",
                                       where=str(current.path)) from exc
                raise
        finally:
            for encoded in group:
                encoded.data.close()
        return self._after_group(current, group[-1], offsets[-1])

    def _after_group(self, current: _OpenWarc, last: Encoded, offset: int) -> CaptureRef:
        end = current.raw.tell()
        current.groups += 1
        ref = CaptureRef(
            warc=current.name, offset=offset, length=end - offset,
            timestamp=last.header("WARC-Date") or "", record_id=last.header("WARC-Record-ID") or "",
            payload_digest=last.header("WARC-Payload-Digest"),
            revisit_of=last.header("WARC-Refers-To"), truncated=last.header("WARC-Truncated"))
        if end >= self._max_size:
            self._finish(current)
        return ref

    # ------------------------------------------------------------------ files

    def _open(self) -> _OpenWarc:
        if self._closed:
            raise ArchiveError("the WARC writer is closed", where=str(self._folder))
        if self._current is None:
            self._current = self._create()
        return self._current

    def _create(self) -> _OpenWarc:
        """Create the next file exclusively, lock it, and write its warcinfo record."""
        name = layout.new_warc_name(self._now(), self._token, self._serial)
        path = self._folder / (name + layout.OPEN_SUFFIX)
        try:
            if (self._folder / name).exists():
                raise FileExistsError(name)
            raw = io.FileIO(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), "wb")
        except FileExistsError:
            self._token = layout.new_token()
            return self._create()
        except OSError as exc:
            raise ArchiveError(f"cannot create a WARC file: {exc.strerror}",
                               where=str(path)) from exc
        if not (layout.try_lock(raw, exclusive=True) and layout.same_file(path, raw)):
            raw.close()  # recovery in another process took the empty file for a dead one
            self._token = layout.new_token()
            return self._create()
        self._serial += 1
        current = _OpenWarc(path, name, raw)
        self._start(current)
        return current

    def _start(self, current: _OpenWarc) -> None:
        block = warcinfo_block(warcinfo_fields(self._warcinfo))
        encoded = encode(warcinfo_record(block, warc_date(self._now()), current.name),
                         self._level)
        try:
            _copy(encoded.data, current.raw)
        except OSError as exc:
            current.raw.close()
            current.path.unlink(missing_ok=True)
            raise ArchiveError(f"cannot write: {exc.strerror}", where=str(current.path)) from exc
        finally:
            encoded.data.close()
        layout.fsync_dir(self._folder)
        log.info("writing %s", current.path)

    def _finish(self, current: _OpenWarc) -> None:
        """fsync and rename to the final name while still holding the file's lock."""
        self._current = None
        try:
            os.fsync(current.raw.fileno())
            if current.groups:
                final = self._folder / current.name
                os.rename(current.path, final)
                self._finished.append(final)
            else:
                current.path.unlink()
            layout.fsync_dir(self._folder)
        except OSError as exc:
            raise ArchiveError(f"cannot finish the WARC file: {exc.strerror}",
                               where=str(current.path)) from exc
        finally:
            current.raw.close()
        log.info("finished %s", current.name)


def _copy(source: Any, raw: io.FileIO) -> None:
    """Copy a spooled member into the file, looping over short writes."""
    while chunk := source.read(CHUNK):
        view = memoryview(chunk)
        while view:
            view = view[raw.write(view) or 0:]
