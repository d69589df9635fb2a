"""A PDF -> PageMetadata: title, author and dates from the document info and XMP, and the
text of the first pages, each value with its source ("pdf:info:/Title", "pdf:xmp:dc:title").

A broken PDF never raises: whatever could be read before the damage is returned.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from citecheck.extract.dates import date_fields
from citecheck.extract.textdates import find_dates, make_date
from citecheck.extract.titles import host_name
from citecheck.models import Candidate, DateCandidate, PageMetadata

LOGGER = logging.getLogger(__name__)

MAX_PAGES = 5
MAX_TEXT = 100_000
MAX_TITLE_LINES = 3
# what a damaged or hostile PDF makes pypdf raise, besides its own errors
PDF_ERRORS = (PyPdfError, DependencyError, ValueError, TypeError, KeyError, IndexError,
              AttributeError, AssertionError, RecursionError, OverflowError, ZeroDivisionError,
              UnicodeError, LookupError, struct.error, zlib.error, OSError, NotImplementedError)
_PDF_DATE = re.compile(r"^\s*(?:D\s*:)?\s*(\d{4})(\d{2})(\d{2})")
_JUNK_TITLE = re.compile(r"^(?:microsoft\s+(?:word|powerpoint|excel)\s+-|untitled\b|title\b|"
                         r"document\d*$|slide\s*\d+$)|\.(?:docx?|pdf|indd|qxd|rtf|odt|pptx?)$",
                         re.I)
T = TypeVar("T")


def _safe(what: str, read: Callable[[], T], default: T) -> T:
    """Call one pypdf reader; on a damaged file log it and give the default."""
    try:
        return read()
    except PDF_ERRORS as exc:
        LOGGER.debug("pdf: cannot read %s: %s: %s", what, type(exc).__name__, exc)
        return default


def extract_pdf(body: bytes, *, url: str) -> PageMetadata:
    """Metadata of a PDF document given its bytes."""
    host = host_name(url)
    site_names = (Candidate(host, "domain"),) if host else ()
    known: dict[str, Any] = {"content_type": "application/pdf", "size": len(body),
                             "site_name": host, "site_names": site_names}
    reader = _safe("the file", lambda: PdfReader(io.BytesIO(body), strict=False), None)
    if reader is None:
        return PageMetadata(**known)
    _safe("encryption", lambda: _decrypt(reader), None)
    info = _safe("the document info", lambda: dict(reader.metadata or {}), {})
    xmp = _safe("the XMP metadata", lambda: reader.xmp_metadata, None)
    text = _safe("the text", lambda: first_pages_text(reader), "")
    titles = _unique([*_info_titles(info), *_xmp_titles(xmp), *_text_titles(text)])
    best = next((c for c in titles if not _JUNK_TITLE.search(c.value)), None)
    found = tuple(dict.fromkeys([*_info_dates(info), *_xmp_dates(xmp), *_text_dates(text)]))
    return PageMetadata(
        **known, title=best.value if best else None, title_source=best.source if best else None,
        titles=tuple(titles), **date_fields(found), author=_author(info, xmp),
        lang=_safe("the language", lambda: _lang(reader, xmp), None), text=text,
    )


def _decrypt(reader: PdfReader) -> None:
    if reader.is_encrypted:
        reader.decrypt("")  # many published PDFs only restrict printing, with no open password


def first_pages_text(reader: PdfReader) -> str:
    """The text of the first pages, at most MAX_TEXT characters; damaged pages are skipped."""
    parts: list[str] = []
    for index in range(min(MAX_PAGES, len(reader.pages))):
        page_text = _safe(f"page {index + 1}", lambda i=index: reader.pages[i].extract_text(), "")
        parts.append(page_text or "")
        if sum(len(p) for p in parts) >= MAX_TEXT:
            break
    return "\n".join(p.strip() for p in parts if p.strip())[:MAX_TEXT]


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _info_titles(info: dict[str, Any]) -> Iterator[Candidate]:
    yield Candidate(_text(info.get("/Title")), "pdf:info:/Title")


def _xmp_titles(xmp: Any) -> Iterator[Candidate]:
    titles = _safe("dc:title", lambda: xmp.dc_title or {}, {}) if xmp is not None else {}
    for value in list(titles.values())[:3]:
        yield Candidate(_text(value), "pdf:xmp:dc:title")


def _text_titles(text: str) -> Iterator[Candidate]:
    lines = [line.strip() for line in text.splitlines()[:15] if len(line.strip()) >= 4]
    for line in lines[:MAX_TITLE_LINES]:
        yield Candidate(line[:300], "pdf:text")


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        if candidate.value and candidate.value not in seen:
            seen.add(candidate.value)
            kept.append(candidate)
    return kept


def pdf_date(raw: Any) -> str | None:
    """A PDF date string ("D:20230314120000+01'00'") as ISO YYYY-MM-DD, or None."""
    match = _PDF_DATE.match(str(raw)) if raw is not None else None
    return make_date(*(int(g) for g in match.groups())) if match else None


def _info_dates(info: dict[str, Any]) -> Iterator[DateCandidate]:
    for key, role in (("/CreationDate", "published"), ("/ModDate", "modified")):
        value = pdf_date(info.get(key))
        if value:
            yield DateCandidate(value, role, f"pdf:info:{key}")


def _xmp_dates(xmp: Any) -> Iterator[DateCandidate]:
    if xmp is None:
        return
    fields = (("xmp_create_date", "published", "pdf:xmp:xmp:CreateDate"),
              ("xmp_modify_date", "modified", "pdf:xmp:xmp:ModifyDate"))
    for attr, role, source in fields:
        value = _safe(source, lambda a=attr: getattr(xmp, a), None)
        if isinstance(value, dt.datetime):
            yield DateCandidate(value.date().isoformat(), role, source)
    for value in (_safe("dc:date", lambda: xmp.dc_date, None) or [])[:3]:
        if isinstance(value, dt.datetime):
            yield DateCandidate(value.date().isoformat(), "published", "pdf:xmp:dc:date")


def _text_dates(text: str) -> Iterator[DateCandidate]:
    for found in find_dates(text[:3000], limit=5):
        yield DateCandidate(found.value, found.role, "pdf:text")


def _author(info: dict[str, Any], xmp: Any) -> str | None:
    author = _text(info.get("/Author"))
    if author:
        return author
    creators = _safe("dc:creator", lambda: xmp.dc_creator, None) if xmp is not None else None
    return ", ".join(_text(c) for c in creators[:10]) if creators else None


def _lang(reader: PdfReader, xmp: Any) -> str | None:
    root = reader.trailer["/Root"]
    lang = _text(root.get("/Lang")) if hasattr(root, "get") else ""
    if not lang and xmp is not None:
        lang = _text((xmp.dc_language or [""])[0])
    return lang or None
