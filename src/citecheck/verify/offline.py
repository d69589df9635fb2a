"""Checks that need no network: the notes against each other and against the citing text.

Each finding has a stable code, a severity, the note id and a message quoting both sides.
A citation whose `ignore` lists a code gets no finding of that code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from rapidfuzz import fuzz, utils

from citecheck.citations.locators import find_locators, locator_conflicts
from citecheck.models import Citation, Code, DatePrecision, Document, Finding, Kind, Severity

DIFFERENT_TITLES = 50.0  # token-set similarity (0-100) under which two titles are different
_MIN_SAME_TITLE_WORDS = 3  # "Annual report" alone is too generic to call the same title
_QUOTE_LIMIT = 120
# legal sources need no link: "Decision of the Court…", "Mammadov v. Azerbaijan", "CCPR/C/AZE/CO/5"
_LEGAL_TITLE = re.compile(
    r"(?:the\s+)?(?:law|code|constitution|convention|covenant|charter|treaty|protocol|decree"
    r"|resolution|decision|judg(?:e)?ment|ruling|verdict|order|act|regulation|statute"
    r"|general\s+comment|concluding\s+observations)\b", re.IGNORECASE)
_LEGAL_TEXT = re.compile(r"\s(?:v|vs)\.?\s+[A-Z]|\b[A-Z]{1,8}(?:/[A-Z0-9.()]+)+/\d|"
                         r"\bapplication\s+no\b", re.IGNORECASE)


def offline_findings(citations: Sequence[Citation],
                     document: Document | None = None) -> list[Finding]:
    """Every offline finding for a document's citations, in note order, ignores honoured."""
    findings = [*_locator_mismatches(citations), *_unresolved(citations),
                *_links_missing(citations), *_shared_urls(citations), *_shared_titles(citations)]
    if document is not None:
        findings = [*_missing_notes(document), *_unreferenced(document), *findings]
    ignored = {c.id: set(c.ignore) for c in citations}
    order = {c.id: index for index, c in enumerate(citations)}
    kept = [f for f in findings if f.code.value not in ignored.get(f.note_id or "", set())]
    return sorted(kept, key=lambda f: order.get(f.note_id or "", -1))


def _quote(text: str | None) -> str:
    text = " ".join((text or "").split())
    return f"“{text if len(text) <= _QUOTE_LIMIT else text[:_QUOTE_LIMIT - 1] + '…'}”"


def _locator_mismatches(citations: Sequence[Citation]) -> Iterator[Finding]:
    for citation in citations:
        if citation.context is None or not citation.locators:
            continue
        clause = find_locators(citation.context.text)
        for cited, found in locator_conflicts(citation.locators, citation.context.locators,
                                              clause=clause):
            yield Finding(
                Code.LOCATOR_MISMATCH, Severity.ERROR,
                f"note {citation.id} cites {_quote(cited.text)} but the text citing it says "
                f"{_quote(found.text)}", citation.id,
                {"cited": cited.text, "found": found.text, "kind": cited.kind})


def _unresolved(citations: Sequence[Citation]) -> Iterator[Finding]:
    for citation in citations:
        if citation.kind in (Kind.IBID, Kind.PREVIOUS) and citation.same_as is None:
            yield Finding(
                Code.IBID_UNRESOLVED, Severity.WARNING,
                f"note {citation.id} {_quote(citation.text)} repeats an earlier source, but "
                "no earlier note matches it", citation.id, {"cited": citation.text})


def looks_like_web_source(citation: Citation) -> bool:
    """A note with a title, a publisher and a day or month date, and nothing legal or paged."""
    if not (citation.title and citation.publisher) or citation.locators:
        return False
    return (citation.date_precision in (DatePrecision.DAY, DatePrecision.MONTH)
            and not _LEGAL_TITLE.match(citation.title) and not _LEGAL_TEXT.search(citation.text))


def _links_missing(citations: Sequence[Citation]) -> Iterator[Finding]:
    for citation in citations:
        if citation.kind == Kind.NO_LINK and looks_like_web_source(citation):
            yield Finding(
                Code.LINK_MISSING, Severity.WARNING,
                f"note {citation.id} cites {_quote(citation.title)} by {citation.publisher} "
                f"({citation.date}) like a web source, but gives no link", citation.id,
                {"cited": citation.text})


def url_key(url: str) -> str:
    """A URL reduced for comparison: scheme, "www.", trailing slash and fragment ignored."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def _web(citations: Sequence[Citation]) -> list[Citation]:
    return [c for c in citations if c.url and c.title]


def _shared_urls(citations: Sequence[Citation]) -> Iterator[Finding]:
    first_by_url: dict[str, list[Citation]] = {}
    for citation in _web(citations):
        seen = first_by_url.setdefault(url_key(citation.url or ""), [])
        other = next((c for c in seen if _different_titles(c.title, citation.title)), None)
        seen.append(citation)
        if other is None:
            continue
        yield Finding(
            Code.DUPLICATE_URL_DIFFERENT_TITLE, Severity.WARNING,
            f"notes {other.id} and {citation.id} give the same link {citation.url} for different "
            f"titles: {_quote(other.title)} and {_quote(citation.title)}", citation.id,
            {"cited": citation.title or "", "other": other.title or "", "other_note": other.id,
             "url": citation.url or ""})


def _different_titles(one: str | None, other: str | None) -> bool:
    score = fuzz.token_set_ratio(one or "", other or "", processor=utils.default_process)
    return score < DIFFERENT_TITLES


def title_key(title: str) -> str:
    """A title reduced for comparison: case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())


def _shared_titles(citations: Sequence[Citation]) -> Iterator[Finding]:
    first_by_title: dict[str, Citation] = {}
    for citation in _web(citations):
        key = title_key(citation.title or "")
        if len(key.split()) < _MIN_SAME_TITLE_WORDS:
            continue
        other = first_by_title.setdefault(key, citation)
        if other is citation or url_key(other.url or "") == url_key(citation.url or ""):
            continue
        yield Finding(
            Code.SAME_TITLE_DIFFERENT_URL, Severity.INFO,
            f"notes {other.id} and {citation.id} cite the same title {_quote(citation.title)} "
            f"with different links: {other.url} and {citation.url}", citation.id,
            {"cited": citation.url or "", "other": other.url or "", "other_note": other.id})


def _missing_notes(document: Document) -> Iterator[Finding]:
    notes = {note.id for note in document.notes}
    reported: set[str] = set()
    for marker in document.markers:
        if marker.note_id in notes or marker.note_id in reported:
            continue
        reported.add(marker.note_id)
        where = f" (line {marker.line})" if marker.line else ""
        yield Finding(
            Code.NOTE_MISSING, Severity.ERROR,
            f"the text points at note {marker.note_id}{where} but the document has no such note: "
            f"{_quote(marker.context)}", marker.note_id, {"found": marker.context})


def _unreferenced(document: Document) -> Iterator[Finding]:
    referenced = {marker.note_id for marker in document.markers}
    for note in document.notes:
        if note.id not in referenced:
            yield Finding(
                Code.NOTE_UNREFERENCED, Severity.WARNING,
                f"note {note.id} {_quote(note.text)} is not referenced anywhere in the text",
                note.id, {"cited": note.text})
