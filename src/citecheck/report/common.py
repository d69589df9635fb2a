"""What every format shows alike: verdicts, status and severity labels, counts, short URLs."""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote, urlsplit

from citecheck.models import (
    CitationResult,
    Code,
    Finding,
    Kind,
    LinkStatus,
    RunResult,
    Severity,
)
from citecheck.report.safety import one_line, sanitize

MATCH, MISMATCH, UNVERIFIED, NOT_APPLICABLE = "✓", "✗", "?", ""
VERDICT_WORDS = {MATCH: "match", MISMATCH: "mismatch", UNVERIFIED: "unverified",
                 NOT_APPLICABLE: None}

# Per field: the codes that mean "the page says otherwise" and "the page did not say".
_FIELD_CODES: dict[str, tuple[frozenset[Code], frozenset[Code]]] = {
    "title": (frozenset({Code.TITLE_MISMATCH}), frozenset({Code.TITLE_MISSING})),
    "date": (frozenset({Code.DATE_MISMATCH}), frozenset({Code.DATE_MISSING})),
    "publisher": (frozenset({Code.PUBLISHER_MISMATCH}), frozenset()),
}
_REPEATS_OR_UNLINKED = {Kind.IBID, Kind.PREVIOUS, Kind.NO_LINK}

# A symbol beside every word, so a status reads the same without colour.
STATUS_SYMBOLS: dict[LinkStatus, str] = {
    LinkStatus.OK: "✓",
    LinkStatus.DEAD: "✗",
    LinkStatus.BLOCKED: "⊘",
    LinkStatus.UNREACHABLE: "✗",
    LinkStatus.REFUSED: "⊘",
    LinkStatus.INVALID_URL: "✗",
    LinkStatus.SKIPPED: "–",
    LinkStatus.NOT_CHECKED: "·",
}
SEVERITY_SYMBOLS: dict[Severity, str] = {
    Severity.ERROR: "✗",
    Severity.WARNING: "!",
    Severity.INFO: "i",
}
SEVERITIES_WORST_FIRST = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def verdicts(result: CitationResult) -> dict[str, str]:
    """Title, date and publisher verdicts: ✓ match, ✗ mismatch, ? could not verify, "" not cited."""
    return {name: _verdict(result, name) for name in _FIELD_CODES}


def comparison_rows(result: CitationResult, *, details: bool = False
                    ) -> list[tuple[str, str | None, str | None, str]]:
    """(field, cited, found, verdict mark) for every field cited or found, in display order.

    The found values say where they came from ("… (og:title)"); `details` adds the page's
    language and canonical URL, which no note cites.
    """
    citation, page = result.citation, result.page
    marks = verdicts(result)

    def found(value: str | None, source: str | None = None) -> str | None:
        return f"{value} ({source})" if value and source else value

    rows = [
        ("Title", citation.title, page and found(page.title, page.title_source), marks["title"]),
        ("Date", citation.date, page and found(page.published, page.published_source),
         marks["date"]),
        ("Publisher", citation.publisher, page and page.site_name, marks["publisher"]),
        ("Updated", None, page and found(page.modified, page.modified_source), ""),
        ("Author", None, page and page.author, ""),
        *([("Language", None, page and page.lang, ""),
           ("Canonical URL", None, page and page.canonical_url, "")] if details else []),
        ("Accessed", citation.accessed, None, ""),
        ("Locators", ", ".join(loc.text for loc in citation.locators) or None, None, ""),
    ]
    return [row for row in rows if row[1] or row[2]]


def _verdict(result: CitationResult, name: str) -> str:
    if getattr(result.citation, name) is None or result.citation.kind in _REPEATS_OR_UNLINKED:
        return NOT_APPLICABLE
    mismatch, missing = _FIELD_CODES[name]
    codes = {finding.code for finding in result.findings}
    if codes & mismatch:
        return MISMATCH
    if codes & missing or not _page_usable(result):
        return UNVERIFIED
    return MATCH


def _page_usable(result: CitationResult) -> bool:
    page, link = result.page, result.link
    if link is not None and link.status is not LinkStatus.OK:  # an error page says nothing
        return False
    return page is not None and not page.blocked and not page.soft404


def link_status(result: CitationResult) -> LinkStatus:
    """The link status of a footnote; a note without a link result was not checked."""
    return result.link.status if result.link else LinkStatus.NOT_CHECKED


def status_label(status: LinkStatus) -> str:
    """A status as symbol and word: "✗ dead"."""
    return f"{STATUS_SYMBOLS[status]} {status.value}"


def severity_label(severity: Severity) -> str:
    """A severity as symbol and word: "! warning"."""
    return f"{SEVERITY_SYMBOLS[severity]} {severity.value}"


def status_counts(result: RunResult) -> dict[str, int]:
    """How many footnotes ended in each link status (every status present, zero or not)."""
    counts = Counter(link_status(item) for item in result.results)
    return {status.value: counts[status] for status in LinkStatus}


def severity_counts(result: RunResult) -> dict[str, int]:
    """How many findings of each severity, document-level ones included (every severity present)."""
    counts = Counter(finding.severity for finding in result.all_findings())
    return {severity.value: counts[severity] for severity in Severity}


def summary_line(result: RunResult) -> str:
    """One line: footnotes by status (by kind for extract), then findings by severity."""
    if result.command == "extract":
        kinds = Counter(item.citation.kind.value for item in result.results)
        statuses = [f"{n} {name}" for name, n in kinds.items()]
    else:
        statuses = [f"{n} {name}" for name, n in status_counts(result).items() if n]
    severities = severity_counts(result)
    findings = ", ".join(f"{severities[s.value]} {s.value}" for s in SEVERITIES_WORST_FIRST)
    noun = "footnote" if len(result.results) == 1 else "footnotes"
    return (f"{len(result.results)} {noun}: {', '.join(statuses) or 'none'}; "
            f"findings: {findings}")


def shown_url(result: CitationResult) -> str | None:
    """The URL worth showing for a footnote: where the link ended, else the URL cited."""
    if result.link is not None:
        return result.link.final_url or result.link.url
    return result.citation.url


def short_url(url: str, limit: int = 48) -> str:
    """A URL for people: no scheme, no "www.", escapes decoded, cut in the middle to fit `limit`.

    >>> short_url("https://www.example.org/news/2023/03/a-long-article-title", 32)
    'example.org/…-long-article-title'
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and other unparsable URLs are shown as they are
        return url if len(url) <= limit else url[: limit - 1] + "…"
    host = parts.netloc.removeprefix("www.")
    # decoding may bring back what cleaning removed (%0A, %1B…): clean the decoded path again
    path = one_line(sanitize(unquote(parts.path, errors="replace")))
    text = (host + path).rstrip("/") if host else url
    if parts.query and len(text) + len(parts.query) < limit:
        text += "?" + parts.query
    if len(text) <= limit:
        return text
    head = text[: text.find("/") + 1] if "/" in text else ""
    if len(head) > limit * 2 // 3:
        head = head[: limit * 2 // 3]
    tail = text[len(head):][-(limit - len(head) - 1):]
    return f"{head}…{tail}"


def findings_by_severity(findings: list[Finding]) -> list[Finding]:
    """Findings worst first, keeping the order within each severity."""
    return sorted(findings, key=lambda finding: -finding.severity.rank)


def at_or_above(findings: tuple[Finding, ...], threshold: Severity) -> list[Finding]:
    """The findings whose severity is at or above `threshold`."""
    return [f for f in findings if f.severity.rank >= threshold.rank]


def is_http_url(url: str | None) -> bool:
    """Whether a URL is safe to turn into a link (http or https, nothing else)."""
    try:
        return bool(url) and urlsplit(url).scheme.lower() in {"http", "https"}
    except ValueError:
        return False
