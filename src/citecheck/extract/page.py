"""The entry point: bytes of a captured response -> PageMetadata, whatever the bytes are."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from citecheck.extract.decode import decompress, header_value, parse_content_type, sniff_media_type
from citecheck.extract.html import extract_html
from citecheck.extract.pdf import extract_pdf
from citecheck.models import PageMetadata

LOGGER = logging.getLogger(__name__)

HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
UNTYPED = frozenset(("application/octet-stream", "binary/octet-stream", "text/plain",
                     "application/unknown", "application/x-unknown"))


def extract_page(body: bytes, *, url: str, headers: Sequence[tuple[str, str]] = (),
                 status: int = 200, max_decoded: int = 50_000_000) -> PageMetadata:
    """Metadata of a captured page: HTML and PDF are read, anything else is stated as such.

    `body` is the payload as archived (Content-Encoding still applied); decompression
    stops at `max_decoded` bytes. Never raises: a page that cannot be read gives what is known.
    """
    data, media, charset = body, "application/octet-stream", None
    try:
        data = decompress(body, header_value(headers, "content-encoding"), max_decoded)
        declared, charset = parse_content_type(header_value(headers, "content-type"))
        media = media_type(declared, data)
        if media == "application/pdf":
            return extract_pdf(data, url=url)
        if media in HTML_TYPES:
            return extract_html(data, url=url, content_type=media, header_charset=charset,
                                status=status)
    except Exception:  # one unreadable page must never stop a run; the bug is logged
        LOGGER.exception("extracting %s (%s, %d bytes) failed", url, media, len(data))
    return PageMetadata(content_type=media, size=len(data), charset=charset)


def media_type(declared: str | None, data: bytes) -> str:
    """The media type to read the body as: PDF bytes win, an untyped body is sniffed."""
    sniffed = sniff_media_type(data)
    if sniffed == "application/pdf":
        return "application/pdf"
    if declared is None or declared in UNTYPED:
        return sniffed or declared or "application/octet-stream"
    return declared
