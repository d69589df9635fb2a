"""Reading captures back: a stored response (following revisits) and raw records for download."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from citecheck.archive import layout
from citecheck.archive.scan import GZIP_MAGIC
from citecheck.errors import ArchiveError
from citecheck.models import CaptureRef

log = logging.getLogger(__name__)

_READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError)
Where = CaptureRef | tuple[str, int]
# record id -> (warc name, offset) of that record, e.g. ArchiveIndex.locate
Locator = Callable[[str], tuple[str, int] | None]


@dataclass(frozen=True)
class StoredResponse:
    """A response as archived: status, headers as received, body as received (bounded)."""

    target_uri: str
    date: str
    record_id: str
    status: int | None
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes  # Content-Encoding still applied; at most max_bytes
    complete: bool  # False when the stored body was longer than max_bytes
    truncated: str | None = None  # WARC-Truncated: the body was cut while fetching
    revisit_of: str | None = None  # the record the body was read from, for a revisit
    ip: str | None = None

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), if any."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def content_type(self) -> str | None:
        """The Content-Type header as received."""
        return self.header("Content-Type")


def read_response(archive_dir: Path, where: Where, *, max_bytes: int,
                  locate: Locator | None = None) -> StoredResponse:
    """The response stored at a capture; a revisit's body comes from the record it refers to."""
    warc, offset = (where.warc, where.offset) if isinstance(where, CaptureRef) else where
    path = layout.resolve_warc(archive_dir, warc)
    with open(path, "rb") as handle:
        record = _record_at(handle, offset, path, ("response", "revisit"))
        if record.rec_type == "response":
            return _stored(record, _read_bounded(record.raw_stream, max_bytes))
        original_warc, original_offset = _find_original(archive_dir, record, locate)
        original_path = layout.resolve_warc(archive_dir, original_warc)
        with open(original_path, "rb") as other:
            original = _record_at(other, original_offset, original_path, ("response",))
            body = _read_bounded(original.raw_stream, max_bytes)
            return _stored(record, body, revisit_of=original.rec_headers.get_header(
                "WARC-Record-ID"), truncated=original.rec_headers.get_header("WARC-Truncated"))


def read_record_bytes(archive_dir: Path, warc: str, offset: int, length: int) -> bytes:
    """The raw gzip member of one record, as stored, for "download this record"."""
    path = layout.resolve_warc(archive_dir, warc)
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        if offset < 0 or length <= 0 or offset + length > size:
            raise ArchiveError(f"no record at offset {offset} length {length} "
                               f"(the file has {size} bytes)", where=str(path))
        handle.seek(offset)
        data = handle.read(length)
    if not data.startswith(GZIP_MAGIC):
        raise ArchiveError(f"no record starts at offset {offset}", where=str(path))
    return data


def _record_at(handle: BinaryIO, offset: int, path: Path,
               types: tuple[str, ...]) -> ArcWarcRecord:
    try:
        handle.seek(offset)
        if handle.read(len(GZIP_MAGIC)) != GZIP_MAGIC:  # every record is its own gzip member
            raise ValueError("no gzip member starts there")
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle, arc2warc=False)))
        if record.format != "warc":  # warcio takes a garbage line for an ARC header at times
            raise ValueError("not a WARC record")
    except (*_READ_ERRORS, StopIteration, ValueError) as exc:
        raise ArchiveError(f"no readable WARC record at offset {offset}",
                           where=str(path)) from exc
    if record.rec_type not in types:
        raise ArchiveError(f"the record at offset {offset} is a {record.rec_type}, "
                           f"not a {' or '.join(types)}", where=str(path))
    return record


def _read_bounded(stream: BinaryIO, max_bytes: int) -> tuple[bytes, bool]:
    parts, size = [], 0
    while size <= max_bytes:
        chunk = stream.read(min(1 << 16, max_bytes + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    data = b"".join(parts)
    return data[:max_bytes], size <= max_bytes


def _stored(record: ArcWarcRecord, body: tuple[bytes, bool], *, revisit_of: str | None = None,
            truncated: str | None = None) -> StoredResponse:
    headers = record.rec_headers
    http = record.http_headers
    code, _, reason = (http.statusline if http else "").partition(" ")
    return StoredResponse(
        target_uri=headers.get_header("WARC-Target-URI") or "",
        date=headers.get_header("WARC-Date") or "",
        record_id=headers.get_header("WARC-Record-ID") or "",
        status=int(code) if code.isdigit() else None, reason=reason,
        headers=tuple(http.headers) if http else (), body=body[0], complete=body[1],
        truncated=headers.get_header("WARC-Truncated") or truncated,
        revisit_of=revisit_of, ip=headers.get_header("WARC-IP-Address"))


def _find_original(archive_dir: Path, revisit: ArcWarcRecord,
                   locate: Locator | None) -> tuple[str, int]:
    """Where the record a revisit refers to is: through the index, else by scanning the WARCs."""
    target = revisit.rec_headers.get_header("WARC-Refers-To")
    if not target:
        raise ArchiveError("a revisit record without WARC-Refers-To", where=str(archive_dir))
    found = locate(target) if locate else None
    found = found or scan_for_record(archive_dir, target)
    if found is None:
        raise ArchiveError(f"the original record {target} of a revisit is not in the archive",
                           where=str(archive_dir))
    return found


def scan_for_record(archive_dir: Path, record_id: str) -> tuple[str, int] | None:
    """Find a record by WARC-Record-ID by reading the headers of every WARC file (slow path)."""
    log.info("looking for %s through every WARC file", record_id)
    for path in layout.warc_files(archive_dir):
        with open(path, "rb") as handle:
            found = _scan_one(handle, record_id)
        if found is not None:
            return layout.final_name(path), found
    return None


def _scan_one(handle: BinaryIO, record_id: str) -> int | None:
    iterator = ArchiveIterator(handle, no_record_parse=True)
    try:
        for record in iterator:
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                return iterator.get_record_offset()
    except _READ_ERRORS:  # a partial `.open` tail: what came before was searched
        return None
    return None
