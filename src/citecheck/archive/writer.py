"""WarcWriter: exchanges and results into WARC 1.1 files, one gzip member per record.

One writer per run. It owns its files alone: each is created exclusively as `NAME.warc.gz.open`,
locked, written one record group at a time under a lock (so worker threads never interleave),
flushed to the OS after every record, and fsynced and renamed to `NAME.warc.gz` on close or
when it grows past `max_size`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import threading
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

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
    DIGEST_ALGORITHM,
    BodyDigest,
    RawHeaders,
    digest_body,
    digest_bytes,
    request_block_headers,
    response_block_headers,
    truncation,
)
from citecheck.errors import ArchiveError
from citecheck.fetch.exchange import Exchange
from citecheck.models import CaptureRef, CitationResult, DocumentInfo
from citecheck.settings import Settings

log = logging.getLogger(__name__)

COMPRESS_LEVEL = 6  # warcio's own gzip uses 9: about 8 times slower on text for 10% smaller files


@dataclass(frozen=True)
class RevisitTarget:
    """An earlier response with the same payload: what a revisit record refers to."""

    uri: str
    date: str  # its WARC-Date
    record_id: str
    warc: str | None = None
    offset: int | None = None
    length: int | None = None


def warc_date(moment: dt.datetime) -> str:
    """A WARC-Date with microseconds (WARC 1.1), UTC; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Warcio(WARCWriter):
    """warcio's writer with our digest algorithm for the records whose digests it computes."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester(DIGEST_ALGORITHM)


class _MemberWriter:
    """The file under warcio: every flush (one per record) ends a gzip member and reaches the OS."""

    def __init__(self, raw: io.FileIO, level: int) -> None:
        self._raw = raw
        self._level = level
        self._compressor = self._new()

    def _new(self) -> Any:
        return zlib.compressobj(self._level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        """Compress record bytes into the current member."""
        self._put(self._compressor.compress(data))

    def flush(self) -> None:
        """End the member: warcio calls this once at the end of every record."""
        self._put(self._compressor.flush())
        self._compressor = self._new()

    def tell(self) -> int:
        """The file offset where the next member starts."""
        return self._raw.tell()

    def rollback(self, offset: int) -> None:
        """Cut the file back to a member boundary after a failed record group."""
        os.ftruncate(self._raw.fileno(), offset)
        self._raw.seek(offset)
        self._compressor = self._new()

    def _put(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[self._raw.write(view) or 0:]


@dataclass
class _OpenWarc:
    """The one file a writer is appending to."""

    path: Path  # …warc.gz.open
    name: str  # the finished name, used in every CaptureRef
    raw: io.FileIO
    out: _MemberWriter
    warcio: _Warcio
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
        self._seen: dict[str, RevisitTarget] = {}
        self._closed = False

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def files(self) -> list[Path]:
        """The finished WARC files so far."""
        return list(self._finished)

    # ------------------------------------------------------------------ public writes

    def write_exchange(self, ex: Exchange) -> CaptureRef:
        """Write a request and its response (or a revisit); the ref points at the response."""
        headers = response_block_headers(ex)
        measured = digest_body(headers.headers_buff, ex.body)
        cut = truncation(ex, measured.length)
        dedupable = measured.length > 0 and cut is None
        known = self._dedup(measured.payload) if dedupable and self._dedup else None
        with self._lock:
            original = (self._seen.get(measured.payload) or known) if dedupable else None
            ref = self._write_group(ex, headers, measured, cut, original)
            if dedupable and original is None:
                self._seen[measured.payload] = RevisitTarget(
                    ex.url, ref.timestamp, ref.record_id, ref.warc, ref.offset, ref.length)
        return ref

    def write_metadata(self, target_uri: str, payload: Mapping[str, Any],
                       concurrent_to: str | None = None) -> CaptureRef:
        """Write a JSON metadata record, optionally linked to the response it describes."""
        data = dump_payload(payload)
        with self._lock:
            current = self._open()
            record = current.warcio.create_warc_record(
                target_uri, "metadata", payload=io.BytesIO(data), length=len(data),
                warc_content_type="application/json",
                warc_headers_dict=_fields(("WARC-Type", "metadata"),
                                          ("WARC-Record-ID", _new_id()),
                                          ("WARC-Date", warc_date(self._now())),
                                          ("WARC-Target-URI", target_uri),
                                          ("WARC-Concurrent-To", concurrent_to)))
            start = current.out.tell()
            self._guarded(current, start, lambda: current.warcio.write_record(record))
            return self._after_group(current, record, start)

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

    # ------------------------------------------------------------------ record groups

    def _write_group(self, ex: Exchange, headers: RawHeaders, measured: BodyDigest,
                     cut: str | None, original: RevisitTarget | None) -> CaptureRef:
        current = self._open()
        request_id, response_id = _new_id(), _new_id()
        date = warc_date(ex.started)
        request = self._request(current, ex, date, request_id, response_id)
        if original is None:
            response = self._response(current, ex, headers, measured, cut, date,
                                      (response_id, request_id))
        else:
            response = self._revisit(current, ex, headers, measured, original, date,
                                     (response_id, request_id))
        start = current.out.tell()
        middle: list[int] = []

        def write() -> None:
            current.warcio.write_record(request)
            middle.append(current.out.tell())
            current.warcio.write_record(response)

        self._guarded(current, start, write)
        return self._after_group(current, response, middle[0])

    def _request(self, current: _OpenWarc, ex: Exchange, date: str, request_id: str,
                 response_id: str) -> ArcWarcRecord:
        headers = request_block_headers(ex)
        return current.warcio.create_warc_record(
            ex.url, "request", http_headers=headers,
            warc_headers_dict=_fields(("WARC-Type", "request"), ("WARC-Record-ID", request_id),
                                      ("WARC-Date", date), ("WARC-Target-URI", ex.url),
                                      ("WARC-Concurrent-To", response_id),
                                      ("WARC-Block-Digest", digest_bytes(headers.headers_buff)),
                                      ("WARC-Payload-Digest", digest_bytes(b""))))

    def _response(self, current: _OpenWarc, ex: Exchange, headers: RawHeaders,
                  measured: BodyDigest, cut: str | None, date: str,
                  ids: tuple[str, str]) -> ArcWarcRecord:
        return current.warcio.create_warc_record(
            ex.url, "response", payload=ex.body, length=measured.length, http_headers=headers,
            warc_headers_dict=_fields(("WARC-Type", "response"), ("WARC-Record-ID", ids[0]),
                                      ("WARC-Date", date), ("WARC-Target-URI", ex.url),
                                      ("WARC-IP-Address", ex.ip),
                                      ("WARC-Concurrent-To", ids[1]), ("WARC-Truncated", cut),
                                      ("WARC-Block-Digest", measured.block),
                                      ("WARC-Payload-Digest", measured.payload)))

    def _revisit(self, current: _OpenWarc, ex: Exchange, headers: RawHeaders,
                 measured: BodyDigest, original: RevisitTarget, date: str,
                 ids: tuple[str, str]) -> ArcWarcRecord:
        return current.warcio.create_revisit_record(
            ex.url, measured.payload, original.uri, original.date, http_headers=headers,
            warc_headers_dict=_fields(("WARC-Type", "revisit"), ("WARC-Record-ID", ids[0]),
                                      ("WARC-Date", date), ("WARC-Target-URI", ex.url),
                                      ("WARC-IP-Address", ex.ip),
                                      ("WARC-Concurrent-To", ids[1]),
                                      ("WARC-Refers-To", original.record_id),
                                      ("WARC-Block-Digest", digest_bytes(headers.headers_buff))))

    def _guarded(self, current: _OpenWarc, start: int, write: Callable[[], None]) -> None:
        """Run a group's writes; on any failure cut the file back to where the group began."""
        try:
            write()
        except BaseException as exc:
            current.out.rollback(start)
            if isinstance(exc, OSError):
                raise ArchiveError(f"cannot write: {exc.strerror or exc}",
                                   where=str(current.path)) from exc
            raise

    def _after_group(self, current: _OpenWarc, record: ArcWarcRecord, offset: int) -> CaptureRef:
        end = current.out.tell()
        current.groups += 1
        headers = record.rec_headers
        ref = CaptureRef(
            warc=current.name, offset=offset, length=end - offset,
            timestamp=headers.get_header("WARC-Date"),
            record_id=headers.get_header("WARC-Record-ID"),
            payload_digest=headers.get_header("WARC-Payload-Digest"),
            revisit_of=headers.get_header("WARC-Refers-To"),
            truncated=headers.get_header("WARC-Truncated"))
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
        while True:
            name = layout.new_warc_name(self._now(), self._token, self._serial)
            path = self._folder / (name + layout.OPEN_SUFFIX)
            try:
                if (self._folder / name).exists():
                    raise FileExistsError(name)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                break
            except FileExistsError:
                self._token = layout.new_token()
            except OSError as exc:
                raise ArchiveError(f"cannot create a WARC file: {exc.strerror}",
                                   where=str(path)) from exc
        raw = io.FileIO(fd, "wb")
        if not (layout.try_lock(raw, exclusive=True) and layout.same_file(path, raw)):
            # recovery in another process took the empty file for a dead one: start over
            raw.close()
            self._token = layout.new_token()
            return self._create()
        self._serial += 1
        out = _MemberWriter(raw, self._level)
        current = _OpenWarc(path, name, raw, out, _Warcio(out, gzip=False, warc_version="1.1"))
        try:
            current.warcio.write_record(self._warcinfo_record(current))
        except BaseException as exc:
            raw.close()
            path.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise ArchiveError(f"cannot write: {exc.strerror}", where=str(path)) from exc
            raise
        layout.fsync_dir(self._folder)
        log.info("writing %s", path)
        return current

    def _warcinfo_record(self, current: _OpenWarc) -> ArcWarcRecord:
        block = warcinfo_block(warcinfo_fields(self._warcinfo))
        return current.warcio.create_warc_record(
            "", "warcinfo", payload=io.BytesIO(block), length=len(block),
            warc_headers_dict=_fields(("WARC-Type", "warcinfo"), ("WARC-Record-ID", _new_id()),
                                      ("WARC-Date", warc_date(self._now())),
                                      ("WARC-Filename", current.name)))

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


def _new_id() -> str:
    return StatusAndHeadersParser.make_warc_id()


def _fields(*pairs: tuple[str, str | None]) -> dict[str, str]:
    """WARC header fields in order, those without a value left out."""
    return {name: value for name, value in pairs if value is not None}
