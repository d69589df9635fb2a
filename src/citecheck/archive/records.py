"""The HTTP side of WARC records built from an Exchange: header blocks, request line, digests."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders

from citecheck.fetch.exchange import Exchange

DIGEST_ALGORITHM = "sha256"
CHUNK = 1 << 16
ORIG_TRANSFER_ENCODING = "X-Archive-Orig-Transfer-Encoding"
# statuses whose responses carry no body whatever their Content-Length says
BODYLESS_STATUSES = frozenset({204, 304}) | frozenset(range(100, 200))


class RawHeaders(StatusAndHeaders):
    """A status line and headers written back as received (latin-1), not %-encoded."""

    def compute_headers_buffer(self, header_filter: object = None) -> None:
        """Serialise the headers once; warcio writes and digests exactly these bytes."""
        try:
            self.headers_buff = self.to_bytes(header_filter, encoding="latin-1")
        except UnicodeEncodeError:  # not from a socket: fall back to warcio's RFC 8187 encoding
            super().compute_headers_buffer(header_filter)


def request_target(url: str) -> str:
    """The request-target of a request line: path and query as they are in the URL."""
    parts = urlsplit(url)
    target = parts.path or "/"
    return f"{target}?{parts.query}" if parts.query else target


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
