"""Reading a WARC file gzip member by gzip member, checking that each holds exactly one record.

warcio's reader forgives what a preservation archive must not: a member cut short, a record
whose Content-Length is wrong, bytes after the last record. This module decompresses one member
at a time (bounded memory), parses its record with warcio's header parser, digests the block
and payload while streaming, and says precisely what is wrong and at which offset.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, BinaryIO

from warcio.limitreader import LimitReader
from warcio.statusandheaders import (
    StatusAndHeaders,
    StatusAndHeadersParser,
    StatusAndHeadersParserException,
)

from citecheck.archive.payloads import parse_warcinfo
from citecheck.archive.records import CHUNK, declared_length

GZIP_MAGIC = b"\x1f\x8b\x08"
MAX_HEADER = 1 << 20  # WARC or HTTP header block
MAX_KEPT = 16 << 20  # warcinfo and JSON metadata blocks kept for the caller
HTTP_TYPES = frozenset({"response", "request", "revisit"})

_WARC_PARSER = StatusAndHeadersParser(["WARC/1.1", "WARC/1.0"])
_HTTP_PARSER = StatusAndHeadersParser([], verify=False)


class ProblemCode(StrEnum):
    """What can be wrong in a WARC file (a closed set; see docs/archive-format.md)."""

    EMPTY_FILE = "empty-file"
    GARBAGE = "garbage"  # bytes that are not a gzip member (between or after records)
    TRUNCATED_MEMBER = "truncated-member"  # the file ends inside a gzip member
    CORRUPT_GZIP = "corrupt-gzip"  # bad deflate data or CRC
    NOT_A_RECORD = "not-a-record"  # the member does not start with WARC headers
    MISSING_FIELD = "missing-field"  # WARC-Type, WARC-Record-ID, WARC-Date or Content-Length
    LENGTH_MISMATCH = "length-mismatch"  # the block is shorter than Content-Length
    MISSING_CRLF = "missing-crlf"  # the record does not end with CRLF CRLF
    EXTRA_DATA = "extra-data"  # more bytes after the record in the same member
    DIGEST_MISSING = "digest-missing"
    DIGEST_UNSUPPORTED = "digest-unsupported"
    BLOCK_DIGEST = "block-digest"
    PAYLOAD_DIGEST = "payload-digest"
    MISSING_TRUNCATED = "missing-truncated"  # body short of its Content-Length, not marked
    WARCINFO_NOT_FIRST = "warcinfo-not-first"
    DUPLICATE_ID = "duplicate-id"
    UNPAIRED = "unpaired"  # a request or response without its partner
    NOT_ADJACENT = "not-adjacent"  # a request and its response apart: interleaved writers


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a WARC file, at the offset of the member it is in."""

    offset: int
    code: ProblemCode
    detail: str


@dataclass
class RecordFacts:
    """What one record says about itself, read without keeping its payload."""

    offset: int
    rec_type: str
    headers: StatusAndHeaders
    block_length: int = 0
    http: StatusAndHeaders | None = None
    payload_length: int = 0
    kept: bytes | None = None  # the block of a warcinfo or JSON metadata record

    def header(self, name: str) -> str | None:
        """A WARC header field of the record."""
        return self.headers.get_header(name)

    @property
    def record_id(self) -> str | None:
        """The WARC-Record-ID."""
        return self.header("WARC-Record-ID")

    @property
    def concurrent_to(self) -> list[str]:
        """Every WARC-Concurrent-To of the record."""
        return [v for k, v in self.headers.headers if k.lower() == "warc-concurrent-to"]

    @property
    def http_status(self) -> int | None:
        """The HTTP status of a response or revisit record."""
        if self.http is None or self.rec_type == "request":
            return None
        code = self.http.get_statuscode()
        return int(code) if code.isdigit() else None

    @property
    def http_method(self) -> str | None:
        """The HTTP method of a request record."""
        return self.http.protocol.upper() if self.http and self.rec_type == "request" else None

    @property
    def declared_length(self) -> int | None:
        """The HTTP Content-Length of a response, when it framed its body by length."""
        return declared_length(self.http.headers) if self.http else None

    def warcinfo(self) -> dict[str, str]:
        """The fields of a warcinfo record."""
        return parse_warcinfo(self.kept or b"") if self.rec_type == "warcinfo" else {}

    def json(self) -> Any:
        """The JSON payload of a metadata record, or None."""
        if self.rec_type != "metadata" or self.kept is None:
            return None
        try:
            return json.loads(self.kept.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


@dataclass
class Member:
    """One gzip member: where it starts and ends, its record, and what is wrong with it."""

    offset: int
    end: int | None  # None when the member could not be read to its end
    facts: RecordFacts | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the member is one complete, valid record."""
        return self.end is not None and self.facts is not None and not self.problems


class GzipTruncatedError(EOFError):
    """The file ended inside a gzip member."""


class MemberReader(io.RawIOBase):
    """The decompressed bytes of the one gzip member that starts at `offset`."""

    def __init__(self, handle: BinaryIO, offset: int) -> None:
        self._handle = handle
        self._handle.seek(offset)
        self._decompressor = zlib.decompressobj(zlib.MAX_WBITS + 16)
        self._pending = b""
        self.end: int | None = None

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Decompress at most len(buffer) bytes; 0 at the end of the member."""
        while self.end is None:
            if not self._pending:
                self._pending = self._handle.read(CHUNK)
                if not self._pending:
                    raise GzipTruncatedError("the file ends inside a gzip member")
            out = self._decompressor.decompress(self._pending, len(buffer))
            self._pending = self._decompressor.unconsumed_tail
            if self._decompressor.eof:  # unused_data holds all the input left (tail included)
                self.end = self._handle.tell() - len(self._decompressor.unused_data)
            if out:
                buffer[: len(out)] = out
                return len(out)
        return 0


def scan_members(handle: BinaryIO, *, start: int = 0, resync: bool = True,
                 keep: bool = True) -> Iterator[Member]:
    """Every gzip member of a WARC file; after a broken one, resync at the next gzip header."""
    size = handle.seek(0, io.SEEK_END)
    offset = start
    while offset < size:
        member = read_member(handle, offset, keep=keep)
        yield member
        if member.end is not None:
            offset = member.end
            continue
        following = find_magic(handle, offset + 1) if resync else None
        if following is None:
            return
        offset = following


def read_member(handle: BinaryIO, offset: int, *, keep: bool = True) -> Member:
    """Read and check the gzip member at `offset` and the one record it must hold."""
    handle.seek(offset)
    if handle.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
        return Member(offset, None, problems=[Problem(offset, ProblemCode.GARBAGE,
                                                      "bytes that are not a gzip member")])
    reader = MemberReader(handle, offset)
    stream = io.BufferedReader(reader, CHUNK)
    problems: list[Problem] = []
    try:
        facts = _read_record(stream, offset, problems, keep)
        extra = _drain(stream)
    except zlib.error as exc:
        return Member(offset, None, problems=[Problem(offset, ProblemCode.CORRUPT_GZIP, str(exc))])
    except GzipTruncatedError as exc:
        return Member(offset, None, problems=[Problem(offset, ProblemCode.TRUNCATED_MEMBER,
                                                      str(exc))])
    if extra and facts is not None:
        problems.append(Problem(offset, ProblemCode.EXTRA_DATA,
                                f"{extra} bytes follow the record in its gzip member"))
    return Member(offset, reader.end, facts, problems)


def _read_record(stream: BinaryIO, offset: int, problems: list[Problem],
                 keep: bool) -> RecordFacts | None:
    try:
        headers = _WARC_PARSER.parse(LimitReader(stream, MAX_HEADER))
    except (StatusAndHeadersParserException, EOFError) as exc:
        problems.append(Problem(offset, ProblemCode.NOT_A_RECORD, str(exc) or "empty member"))
        return None
    facts = RecordFacts(offset, (headers.get_header("WARC-Type") or "").lower(), headers)
    length = _required_fields(facts, problems)
    if length is None:
        return facts
    facts.block_length = length
    _read_block(stream, facts, problems, keep)
    trailer = stream.read(4)
    if trailer != b"\r\n\r\n":
        problems.append(Problem(offset, ProblemCode.MISSING_CRLF,
                                "the record does not end with CRLF CRLF"))
    return facts


def _required_fields(facts: RecordFacts, problems: list[Problem]) -> int | None:
    missing = [name for name in ("WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length")
               if not facts.header(name)]
    if missing:
        problems.append(Problem(facts.offset, ProblemCode.MISSING_FIELD,
                                f"no {', '.join(missing)}"))
    length = (facts.header("Content-Length") or "").strip()
    return int(length) if length.isdigit() else None


class _Digest:
    """A declared WARC digest and the hash that checks it."""

    def __init__(self, declared: str) -> None:
        self.declared = declared
        algorithm, _, self.value = declared.partition(":")
        self.hasher = hashlib.new(algorithm.lower().replace("-", ""))

    def matches(self) -> bool:
        """Whether the bytes fed so far have the declared digest."""
        raw = self.hasher.digest()
        value = self.value.strip()
        decoders = (lambda v: base64.b32decode(v, casefold=True), bytes.fromhex,
                    base64.b64decode, base64.urlsafe_b64decode)
        for decode in decoders:
            try:
                if decode(value) == raw:
                    return True
            except (ValueError, binascii.Error):
                continue
        return False


def _digest(facts: RecordFacts, name: str, problems: list[Problem]) -> _Digest | None:
    declared = facts.header(name)
    if not declared:
        return None
    try:
        return _Digest(declared)
    except ValueError:
        problems.append(Problem(facts.offset, ProblemCode.DIGEST_UNSUPPORTED,
                                f"{name} {declared!r} uses an unknown algorithm"))
        return None


def _read_block(stream: BinaryIO, facts: RecordFacts, problems: list[Problem],
                keep: bool) -> None:
    """Stream the block through its digests, counting what arrives."""
    block = _Block(facts, problems, keep)
    seen = 0
    while seen < facts.block_length:
        chunk = stream.read(min(CHUNK, facts.block_length - seen))
        if not chunk:
            break
        seen += len(chunk)
        block.feed(chunk)
    block.finish(seen)


class _Block:
    """One record block on its way through: digests, HTTP head split off, small blocks kept."""

    def __init__(self, facts: RecordFacts, problems: list[Problem], keep: bool) -> None:
        self.facts, self.problems = facts, problems
        content_type = facts.header("Content-Type") or ""
        self.is_http = facts.rec_type in HTTP_TYPES and content_type.startswith("application/http")
        self.block = _digest(facts, "WARC-Block-Digest", problems)
        self.payload = (None if facts.rec_type == "revisit"
                        else _digest(facts, "WARC-Payload-Digest", problems))
        if self.block is None and facts.rec_type != "warcinfo":
            problems.append(Problem(facts.offset, ProblemCode.DIGEST_MISSING,
                                    "no WARC-Block-Digest"))
        json_metadata = facts.rec_type == "metadata" and "json" in content_type
        self.keeping = keep and facts.block_length <= MAX_KEPT and (
            facts.rec_type == "warcinfo" or json_metadata)
        self.kept: list[bytes] = []
        self.head = b""
        self.in_payload = not self.is_http

    def feed(self, chunk: bytes) -> None:
        """Digest one piece of the block; the payload starts after the HTTP head."""
        if self.block:
            self.block.hasher.update(chunk)
        if self.keeping:
            self.kept.append(chunk)
        if not self.in_payload:
            chunk = self._after_head(chunk)
        self.facts.payload_length += len(chunk)
        if self.payload:
            self.payload.hasher.update(chunk)

    def _after_head(self, chunk: bytes) -> bytes:
        self.head += chunk
        split = self.head.find(b"\r\n\r\n")
        if split < 0:
            self.in_payload = len(self.head) > MAX_HEADER  # no end in sight: treat as payload
            return b""
        self.in_payload = True
        self.head, rest = self.head[: split + 4], self.head[split + 4:]
        return rest

    def finish(self, seen: int) -> None:
        """Check the length and digests; parse the HTTP head."""
        facts, problems = self.facts, self.problems
        facts.kept = b"".join(self.kept) if self.keeping else None
        if seen < facts.block_length:
            problems.append(Problem(facts.offset, ProblemCode.LENGTH_MISMATCH,
                                    f"Content-Length {facts.block_length} but the block has "
                                    f"{seen} bytes"))
            return
        if self.is_http and self.head:
            facts.http = _HTTP_PARSER.parse(io.BytesIO(self.head))
        if self.block and not self.block.matches():
            problems.append(Problem(facts.offset, ProblemCode.BLOCK_DIGEST,
                                    f"WARC-Block-Digest {self.block.declared} does not match"))
        if self.payload and not self.payload.matches():
            problems.append(Problem(facts.offset, ProblemCode.PAYLOAD_DIGEST,
                                    f"WARC-Payload-Digest {self.payload.declared} does not match"))


def _drain(stream: BinaryIO) -> int:
    count = 0
    while chunk := stream.read(CHUNK):
        count += len(chunk)
    return count


def find_magic(handle: BinaryIO, start: int) -> int | None:
    """The offset of the next gzip header at or after `start`."""
    handle.seek(start)
    carry = b""
    position = start
    while chunk := handle.read(CHUNK):
        data = carry + chunk
        found = data.find(GZIP_MAGIC)
        if found >= 0:
            return position - len(carry) + found
        carry = data[-(len(GZIP_MAGIC) - 1):]
        position += len(chunk)
    return None
