"""The entry point: bytes of a captured response -> PageMetadata, whatever the bytes are."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any

from citecheck.extract.decode import decompress, header_value, parse_content_type, sniff_media_type
from citecheck.extract.html import extract_html
from citecheck.extract.pdf import extract_pdf
from citecheck.models import PageMetadata

LOGGER = logging.getLogger(__name__)

HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
UNTYPED = frozenset(("application/octet-stream", "binary/octet-stream", "text/plain",
                     "application/unknown", "application/x-unknown"))
# A page may say anything at any length; what it says goes into every report and the index.
MAX_VALUE = 2_000  # characters of any one value (the page's text has its own bound)
MAX_CANDIDATES = 50  # candidates of one kind (titles, site names, dates)


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
            return bounded(extract_pdf(data, url=url))
        if media in HTML_TYPES:
            return bounded(extract_html(data, url=url, content_type=media,
                                        header_charset=charset, status=status))
    except Exception:  # one unreadable page must never stop a run; the bug is logged
        LOGGER.exception("extracting %s (%s, %d bytes) failed", url, media, len(data))
    return PageMetadata(content_type=media, size=len(data), charset=charset)


def bounded(page: PageMetadata) -> PageMetadata:
    """The page with every value cut to MAX_VALUE characters (a longer canonical URL dropped)."""
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(page):
        value = getattr(page, field.name)
        if field.name == "text":
            continue
        if isinstance(value, str) and len(value) > MAX_VALUE:
            changes[field.name] = None if field.name == "canonical_url" else value[:MAX_VALUE]
        elif isinstance(value, tuple) and value:
            changes[field.name] = tuple(_cut(item) for item in value[:MAX_CANDIDATES])
    return dataclasses.replace(page, **changes) if changes else page


def _cut(item: Any) -> Any:
    """A candidate with its strings cut to MAX_VALUE characters."""
    long = {f.name: getattr(item, f.name)[:MAX_VALUE] for f in dataclasses.fields(item)
            if isinstance(getattr(item, f.name), str) and len(getattr(item, f.name)) > MAX_VALUE}
    return dataclasses.replace(item, **long) if long else item


def media_type(declared: str | None, data: bytes) -> str:
    """The media type to read the body as: PDF bytes win, an untyped body is sniffed."""
    sniffed = sniff_media_type(data)
    if sniffed == "application/pdf":
        return "application/pdf"
    if declared is None or declared in UNTYPED:
        return sniffed or declared or "application/octet-stream"
    return declared
