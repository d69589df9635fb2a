"""One HTTP exchange as sent and received: what the resolver hands to the archive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import BinaryIO


@dataclass
class Exchange:
    """One request and its response, the body spooled (memory, then disk) at position 0.

    `body` holds the body bytes as received: any Content-Encoding is kept (gzip stays gzip),
    the chunked transfer framing is removed. It is capped by the size limit; `truncated`
    then says why it stopped ("length", "time" or "disconnect"), as WARC-Truncated does.
    The owner must call close() once the body has been archived.
    """

    url: str
    method: str
    request_headers: list[tuple[str, str]]  # as sent, in order, Host included
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: list[tuple[str, str]]  # as received, in order, duplicates kept
    body: BinaryIO
    body_length: int
    started: dt.datetime  # UTC, when the request was sent
    elapsed_ms: int = 0
    truncated: str | None = None
    ip: str | None = None
    port: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """The first response header of that name (case-insensitive), if any."""
        lowered = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == lowered), None)

    def close(self) -> None:
        """Release the spooled body."""
        self.body.close()
