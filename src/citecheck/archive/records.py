"""WARC records built from an Exchange: header blocks, request line, digests, gzip members."""

from __future__ import annotations

import base64
import hashlib
import io
import tempfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote, urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from citecheck.fetch.exchange import Exchange

DIGEST_ALGORITHM = "sha256"
CHUNK = 1 << 16
SPOOL_IN_MEMORY = 1 << 20  # a compressed record past this size is spooled to a temporary file
ORIG_TRANSFER_ENCODING = "X-Archive-Orig-Transfer-Encoding"
# statuses whose responses carry no body whatever their Content-Length says
BODYLESS_STATUSES = frozenset({204, 304}) | frozenset(range(100, 200))


class RawHeaders(StatusAndHeaders):
    """A status line and headers written back as received (latin-1), not %-encoded."""

    def compute_headers_buffer(self, header_filter: object = None) -> None:
        """Serialise the headers once; warcio writes and digests exactly these bytes."""
        try:
            self.headers_buff = self.to_bytes(header_filter, encoding="latin-1")
        except UnicodeEncodeError:  # text that never came off a socket: UTF-8, as readers try
            self.headers_buff = self.to_bytes(header_filter, encoding="utf-8")


def request_target(url: str) -> str:
    """The request-target of a request line: path and query, quoted as requests sends them."""
    parts = urlsplit(url)
    target = parts.path or "/"
    target = f"{target}?{parts.query}" if parts.query else target
    return quote(target, safe="!#$%&'()*+,/:;=?@[]~")


def stored_response_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Response headers as stored: Transfer-Encoding renamed, as the body is stored de-chunked."""
    return [
        (ORIG_TRANSFER_ENCODING, value) if name.lower() == "transfer-encoding" else (name, value)
        for name, value in headers
    ]


def response_block_headers(ex: Exchange) -> RawHeaders:
    """The HTTP status line and headers of a response record."""
    headers = RawHeaders(f"{ex.status} {ex.reason}", stored_response_headers(ex.response_headers),
                         protocol=ex.http_version)
    headers.compute_headers_buffer()
    return headers


def request_block_headers(ex: Exchange) -> RawHeaders:
    """The HTTP request line and headers of a request record, as sent."""
    headers = RawHeaders(f"{request_target(ex.url)} {ex.http_version}", list(ex.request_headers),
                         protocol=ex.method.upper())
    headers.compute_headers_buffer()
    return headers


def format_digest(raw: bytes, algorithm: str = DIGEST_ALGORITHM) -> str:
    """A WARC digest value: algorithm, colon, base32 (sha256:ABC…=)."""
    return f"{algorithm}:{base64.b32encode(raw).decode('ascii')}"


def digest_bytes(data: bytes) -> str:
    """The WARC digest of some bytes."""
    return format_digest(hashlib.new(DIGEST_ALGORITHM, data).digest())


@dataclass(frozen=True)
class BodyDigest:
    """A body measured in one pass: its length, payload digest and the block digest with headers."""

    length: int
    payload: str
    block: str


def digest_body(header_block: bytes, body: BinaryIO) -> BodyDigest:
    """Measure a spooled body from its start, leaving it rewound; never holds it whole in memory."""
    payload = hashlib.new(DIGEST_ALGORITHM)
    block = hashlib.new(DIGEST_ALGORITHM, header_block)
    length = 0
    body.seek(0)
    while chunk := body.read(CHUNK):
        payload.update(chunk)
        block.update(chunk)
        length += len(chunk)
    body.seek(0)
    return BodyDigest(length, format_digest(payload.digest()), format_digest(block.digest()))


@dataclass(frozen=True)
class RevisitTarget:
    """An earlier response with the same payload: what a revisit record refers to."""

    uri: str
    date: str  # its WARC-Date
    record_id: str
    warc: str | None = None
    offset: int | None = None
    length: int | None = None


def declared_length(headers: list[tuple[str, str]]) -> int | None:
    """The Content-Length a response announced, when it framed its body by length."""
    if any(name.lower() == "transfer-encoding" for name, _ in headers):
        return None
    values = [value.strip() for name, value in headers if name.lower() == "content-length"]
    if not values or not values[0].isdigit():
        return None
    return int(values[0])


def truncation(ex: Exchange, stored_length: int) -> str | None:
    """The WARC-Truncated reason: the fetcher's, or "unspecified" when the body is short anyway."""
    if ex.truncated:
        return ex.truncated
    if ex.method.upper() == "HEAD" or ex.status in BODYLESS_STATUSES:
        return None
    expected = declared_length(ex.response_headers)
    if expected is not None and stored_length < expected:
        return "unspecified"
    return None


# --------------------------------------------------------------------------- WARC records


class _Warcio(WARCWriter):
    """warcio's writer with our digest algorithm for the records whose digests it computes."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester(DIGEST_ALGORITHM)


_BUILDER = _Warcio(None, gzip=False, warc_version="1.1")  # makes records, writes none


def new_record_id() -> str:
    """A WARC-Record-ID: <urn:uuid:…>."""
    return StatusAndHeadersParser.make_warc_id()


def fields(*pairs: tuple[str, str | None]) -> dict[str, str]:
    """WARC header fields in order, those without a value left out."""
    return {name: value for name, value in pairs if value is not None}


def request_record(ex: Exchange, date: str, request_id: str, response_id: str) -> ArcWarcRecord:
    """The request record of an exchange: request line and headers as sent, no body."""
    headers = request_block_headers(ex)
    return _BUILDER.create_warc_record(
        ex.url, "request", http_headers=headers,
        warc_headers_dict=fields(("WARC-Type", "request"), ("WARC-Record-ID", request_id),
                                 ("WARC-Date", date), ("WARC-Target-URI", ex.url),
                                 ("WARC-Concurrent-To", response_id),
                                 ("WARC-Block-Digest", digest_bytes(headers.headers_buff)),
                                 ("WARC-Payload-Digest", digest_bytes(b""))))


def response_record(ex: Exchange, headers: RawHeaders, measured: BodyDigest, cut: str | None,
                    date: str, ids: tuple[str, str]) -> ArcWarcRecord:
    """The response record: status line, headers and the body streamed from its spool."""
    return _BUILDER.create_warc_record(
        ex.url, "response", payload=ex.body, length=measured.length, http_headers=headers,
        warc_headers_dict=fields(("WARC-Type", "response"), ("WARC-Record-ID", ids[0]),
                                 ("WARC-Date", date), ("WARC-Target-URI", ex.url),
                                 ("WARC-IP-Address", ex.ip), ("WARC-Concurrent-To", ids[1]),
                                 ("WARC-Truncated", cut), ("WARC-Block-Digest", measured.block),
                                 ("WARC-Payload-Digest", measured.payload)))


def revisit_record(ex: Exchange, headers: RawHeaders, payload_digest: str,
                   original: RevisitTarget, date: str, ids: tuple[str, str]) -> ArcWarcRecord:
    """A revisit record: the response's headers only, pointing at the original."""
    return _BUILDER.create_revisit_record(
        ex.url, payload_digest, original.uri, original.date, http_headers=headers,
        warc_headers_dict=fields(("WARC-Type", "revisit"), ("WARC-Record-ID", ids[0]),
                                 ("WARC-Date", date), ("WARC-Target-URI", ex.url),
                                 ("WARC-IP-Address", ex.ip), ("WARC-Concurrent-To", ids[1]),
                                 ("WARC-Refers-To", original.record_id),
                                 ("WARC-Block-Digest", digest_bytes(headers.headers_buff))))


def metadata_record(target_uri: str, data: bytes, date: str,
                    concurrent_to: str | None) -> ArcWarcRecord:
    """A JSON metadata record."""
    return _BUILDER.create_warc_record(
        target_uri, "metadata", payload=io.BytesIO(data), length=len(data),
        warc_content_type="application/json",
        warc_headers_dict=fields(("WARC-Type", "metadata"), ("WARC-Record-ID", new_record_id()),
                                 ("WARC-Date", date), ("WARC-Target-URI", target_uri),
                                 ("WARC-Concurrent-To", concurrent_to)))


def warcinfo_record(block: bytes, date: str, filename: str) -> ArcWarcRecord:
    """The warcinfo record that opens a file."""
    return _BUILDER.create_warc_record(
        "", "warcinfo", payload=io.BytesIO(block), length=len(block),
        warc_headers_dict=fields(("WARC-Type", "warcinfo"), ("WARC-Record-ID", new_record_id()),
                                 ("WARC-Date", date), ("WARC-Filename", filename)))


class _MemberWriter:
    """Where warcio writes: every flush (one per record) ends a gzip member."""

    def __init__(self, out: BinaryIO, level: int) -> None:
        self._out = out
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        """Compress record bytes into the member."""
        self._out.write(self._compressor.compress(data))

    def flush(self) -> None:
        """End the member: warcio calls this once, at the end of the record."""
        self._out.write(self._compressor.flush())


@dataclass
class Encoded:
    """One record compressed into its own gzip member, spooled (memory, then disk)."""

    record: ArcWarcRecord
    data: BinaryIO  # rewound
    size: int

    def header(self, name: str) -> str | None:
        """A WARC header of the record."""
        return self.record.rec_headers.get_header(name)


def encode(record: ArcWarcRecord, level: int) -> Encoded:
    """Compress a record as one gzip member; done outside the writer's lock, in parallel."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
    _Warcio(_MemberWriter(spool, level), gzip=False, warc_version="1.1").write_record(record)
    size = spool.tell()
    spool.seek(0)
    return Encoded(record, spool, size)
