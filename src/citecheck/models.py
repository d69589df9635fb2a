"""Frozen dataclasses and enums shared by the pipeline stages.

The data flows document -> citations -> resolve -> archive -> extract -> verify -> report.
Every stage takes and returns these values; none of them does I/O. The string values of the
enums are public contracts (citations.yml, the JSON report, CI scripts): change them only on
purpose and say so in CHANGELOG.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; `--fail-on` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Order for comparisons: info < warning < error."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Kind(StrEnum):
    """What a note is: a web source, a repeat of an earlier note, or a source with no link."""

    WEB = "web"
    IBID = "ibid"
    PREVIOUS = "previous-reference"
    NO_LINK = "no-link"


class DatePrecision(StrEnum):
    """How much of a date the note gives: "March 2023" is month precision."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class LinkStatus(StrEnum):
    """The end state of resolving one URL (a closed set; see docs/findings.md)."""

    OK = "ok"
    DEAD = "dead"  # final 4xx/5xx, or a soft 404
    BLOCKED = "blocked"  # 401/403/429/451 after retries, or a bot/consent wall: could not verify
    UNREACHABLE = "unreachable"  # DNS, connection, TLS, timeout, redirect loop or too many hops
    REFUSED = "refused"  # private-address guard or unsupported scheme
    INVALID_URL = "invalid-url"
    SKIPPED = "skipped"  # excluded by configuration
    NOT_CHECKED = "not-checked"  # no link, ibid, or not fetched (offline)


class HopKind(StrEnum):
    """How one hop of a redirect chain led to the next."""

    HTTP = "http"  # a 3xx with Location
    META_REFRESH = "meta-refresh"
    JAVASCRIPT = "javascript"  # location.href = "...", location.replace("...")
    INTERSTITIAL = "interstitial"  # a shortener preview page whose only job is a link onward
    FINAL = "final"  # the page the chain ends on


class Code(StrEnum):
    """Stable finding codes (documented in docs/findings.md)."""

    # offline checks of the document and its notes
    LOCATOR_MISMATCH = "locator-mismatch"
    NOTE_MISSING = "note-missing"
    NOTE_UNREFERENCED = "note-unreferenced"
    NOTE_MALFORMED = "note-malformed"
    IBID_UNRESOLVED = "ibid-unresolved"
    LINK_MISSING = "link-missing"
    DUPLICATE_URL_DIFFERENT_TITLE = "duplicate-url-different-title"
    SAME_TITLE_DIFFERENT_URL = "same-title-different-url"
    # resolving the link
    LINK_DEAD = "link-dead"
    LINK_BLOCKED = "link-blocked"
    LINK_UNREACHABLE = "link-unreachable"
    LINK_REDIRECT_LOOP = "link-redirect-loop"
    LINK_REFUSED = "link-refused"
    LINK_INVALID = "link-invalid"
    LINK_SOFT_404 = "link-soft-404"
    LINK_TRUNCATED = "link-truncated"
    # comparing the note with the page
    TITLE_MISMATCH = "title-mismatch"
    TITLE_MISSING = "title-missing"
    DATE_MISMATCH = "date-mismatch"
    DATE_MATCHES_UPDATED = "date-matches-updated"
    DATE_MISSING = "date-missing"
    PUBLISHER_MISMATCH = "publisher-mismatch"
    CLAIM_UNSUPPORTED = "claim-unsupported"
    # `citecheck check` against the archive
    LINK_REDIRECT_CHANGED = "link-redirect-changed"
    LINK_FAILING = "link-failing"
    CONTENT_DRIFT = "content-drift"
    NOT_ARCHIVED = "not-archived"


@dataclass(frozen=True)
class Finding:
    """One problem found with one footnote (or with the document when note_id is None)."""

    code: Code
    severity: Severity
    message: str
    note_id: str | None = None
    # cited value, found value, where it was found ("og:title", "json-ld:datePublished"…)
    evidence: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Note:
    """A footnote or endnote as the document holds it."""

    id: str
    text: str
    line: int | None = None  # 1-based line of the note in a text document; paragraph in DOCX
    link_targets: tuple[str, ...] = ()  # hyperlink targets that are not in the visible text
    kind: str = "footnote"  # footnote | endnote


@dataclass(frozen=True)
class Marker:
    """A place in the body that points at a note."""

    note_id: str
    context: str  # the clause carrying the marker, at most ~200 characters
    sentence: str  # the whole sentence holding the marker, at most ~1,000 characters
    span: str  # body text from the previous marker (or paragraph start) to this one, bounded
    line: int | None = None  # 1-based line in a text document
    paragraph: int | None = None  # 1-based body paragraph


@dataclass(frozen=True)
class Document:
    """A report read by one of the readers in `citecheck.documents`."""

    name: str
    format: str  # poi-text | docx | markdown
    notes: tuple[Note, ...]
    markers: tuple[Marker, ...]
    findings: tuple[Finding, ...] = ()  # problems the reader met (unbalanced brackets…)


# --------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class Locator:
    """A structured reference inside a source: Article 93 of the Criminal Code."""

    kind: str  # article | chapter | section | paragraph | page | part | clause | law | …
    value: str  # normalised: Arabic digits ("III" and "Three" -> "3"), letters kept ("12bis")
    text: str  # as written in the note or sentence
    instrument: str | None = None  # normalised name: "criminal code", "constitution", "convention"


@dataclass(frozen=True)
class Context:
    """Where the citing clause sits in the document."""

    text: str  # the citing clause, at most ~200 characters
    line: int | None = None
    paragraph: int | None = None
    locators: tuple[Locator, ...] = ()  # locators the citing passage (Marker.span) names


@dataclass(frozen=True)
class Citation:
    """A note with the fields parsed from it (one entry of citations.yml)."""

    id: str
    text: str
    kind: Kind
    context: Context | None = None
    title: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    date_precision: DatePrecision | None = None
    url: str | None = None
    urls: tuple[str, ...] = ()  # other URLs in the note
    accessed: str | None = None  # ISO date
    locators: tuple[Locator, ...] = ()
    same_as: str | None = None  # for ibid / previous-reference: the id it finally repeats
    confidence: float = 0.0
    note_line: int | None = None
    ignore: tuple[str, ...] = ()  # finding codes the user silenced for this note


# --------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class Hop:
    """One step of a redirect chain."""

    url: str
    status: int | None
    kind: HopKind
    location: str | None = None
    elapsed_ms: int = 0
    ip: str | None = None


@dataclass(frozen=True)
class CaptureRef:
    """Where a response is preserved: enough to read the record back without scanning."""

    warc: str  # file name relative to the archive folder
    offset: int
    length: int
    timestamp: str  # ISO 8601 UTC, the WARC-Date
    record_id: str
    payload_digest: str | None = None
    revisit_of: str | None = None  # record id of the original when this is a revisit
    truncated: str | None = None  # WARC-Truncated reason: length | time | disconnect


@dataclass(frozen=True)
class LinkResult:
    """What resolving one URL found."""

    url: str
    status: LinkStatus
    final_url: str | None = None
    http_status: int | None = None
    hops: tuple[Hop, ...] = ()
    reason: str | None = None  # human-readable cause for every status but ok
    # one stable word for why it is not ok: excluded, invalid, refused, loop, too-many-hops, http,
    # dns, connect, timeout, deadline, tls, proxy, no-network (docs/fetching.md)
    cause: str | None = None
    content_type: str | None = None
    capture: CaptureRef | None = None
    checked_at: str | None = None  # ISO 8601 UTC


# --------------------------------------------------------------------------- page metadata


@dataclass(frozen=True)
class Candidate:
    """A value found on a page and where it came from ("og:title", "json-ld:headline"…)."""

    value: str
    source: str


@dataclass(frozen=True)
class DateCandidate:
    """A date found on a page: its role, and where it came from."""

    value: str  # ISO YYYY-MM-DD
    role: str  # published | modified | other
    source: str  # json-ld:datePublished, meta:article:published_time, time, url, text, htmldate…


@dataclass(frozen=True)
class PageMetadata:
    """What a captured page says about itself; the verdicts use the candidate sets."""

    content_type: str
    size: int
    charset: str | None = None
    title: str | None = None  # the best single title, for people
    title_source: str | None = None
    titles: tuple[Candidate, ...] = ()
    published: str | None = None  # the best single publication date, for people
    published_source: str | None = None
    modified: str | None = None
    modified_source: str | None = None
    dates: tuple[DateCandidate, ...] = ()
    author: str | None = None
    site_name: str | None = None
    site_names: tuple[Candidate, ...] = ()  # og:site_name, json-ld:publisher, domain…
    lang: str | None = None
    canonical_url: str | None = None
    text: str = ""  # main text, bounded
    soft404: str | None = None  # evidence when the page is an error page served with 200
    blocked: str | None = None  # reason and evidence when the page is a bot/consent wall


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CitationResult:
    """One footnote after the pipeline: the note, its link, the page, and every finding."""

    citation: Citation
    link: LinkResult | None = None
    page: PageMetadata | None = None
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class DocumentInfo:
    """The document a run was about."""

    name: str
    format: str
    sha256: str | None = None


@dataclass(frozen=True)
class RunResult:
    """Everything one `run` or `check` produced; every report renders this."""

    command: str  # extract | run | check
    document: DocumentInfo
    results: tuple[CitationResult, ...]
    findings: tuple[Finding, ...] = ()  # about the document, not one note
    run_id: str | None = None
    started: str | None = None
    finished: str | None = None
    offline: bool = False
    notices: tuple[str, ...] = ()  # one-line messages for the user ("no network: …")

    def all_findings(self) -> list[Finding]:
        """Every finding of the run, document-level first."""
        out = list(self.findings)
        for result in self.results:
            out.extend(result.findings)
        return out
