"""One footnote against the page it links to: title, date, publisher and claims -> findings.

Every message quotes both sides: the cited value, the page's value and where the page gives it
("og:title", "json-ld:datePublished"); `Finding.evidence` holds the same as data. A page that
is a bot wall or an error page is not the cited page, so it is not compared (the link checks
report it). Codes the user silenced in `Citation.ignore` are left out.
"""

from __future__ import annotations

import logging

from citecheck.models import (
    Candidate,
    Citation,
    Code,
    DateCandidate,
    Finding,
    PageMetadata,
    Severity,
)
from citecheck.verify.claims import unsupported_claims
from citecheck.verify.dates import DateMatch, match_date
from citecheck.verify.normalize import parts
from citecheck.verify.publishers import domain_candidates, match_publisher
from citecheck.verify.titles import match_title
from citecheck.verify.verdict import Verdict

log = logging.getLogger(__name__)

_SEVERITY = {Verdict.NEAR: Severity.WARNING, Verdict.MISMATCH: Severity.ERROR}


def verify_page(citation: Citation, page: PageMetadata, *, final_url: str) -> list[Finding]:
    """Compare a citation's title, date, publisher and claims with a captured page."""
    if page.blocked or page.soft404:
        log.debug("footnote %s: page not compared (%s)", citation.id, page.blocked or page.soft404)
        return []
    findings = [
        *title_findings(citation, page, final_url),
        *date_findings(citation, page),
        *publisher_findings(citation, page, final_url),
        *claim_findings(citation, page),
    ]
    return [finding for finding in findings if finding.code.value not in citation.ignore]


def title_findings(citation: Citation, page: PageMetadata, final_url: str) -> list[Finding]:
    """title-mismatch (error, or warning when borderline) or title-missing (info)."""
    if not citation.title:
        return []
    site_names = [name.value for name in (*_site_names(page), *domain_candidates(final_url))]
    match = match_title(citation.title, _titles(page), page.text, site_names=site_names)
    cited = citation.title
    if match.verdict is Verdict.MISSING:
        return [_finding(citation, Code.TITLE_MISSING, Severity.INFO,
                         f'title "{cited}" not checked: the page gives no title', cited)]
    if match.verdict is Verdict.MATCH:
        return []
    score = f"{match.score:.0f}"
    hint = f"; {match.hint}" if match.hint else ""
    message = (f'title "{cited}" does not match the page: its closest title is '
               f'"{match.found}" ({match.source}, similarity {score}/100){hint}')
    return [_finding(citation, Code.TITLE_MISMATCH, _SEVERITY[match.verdict], message, cited,
                     match.found, match.source, score, hint=match.hint or "")]


def date_findings(citation: Citation, page: PageMetadata) -> list[Finding]:
    """date-mismatch, date-matches-updated (info) or date-missing (info)."""
    match = _date_match(citation, page)
    if match is None or match.verdict is Verdict.MATCH:
        return []
    if match.verdict is Verdict.MISSING:
        cited = citation.date or ""
        return [_finding(citation, Code.DATE_MISSING, Severity.INFO,
                         f"date {cited} not checked: the page gives no date", cited)]
    if match.verdict is Verdict.UPDATED:
        return [_updated_finding(citation, match)]
    return [_date_mismatch_finding(citation, match)]


def _date_match(citation: Citation, page: PageMetadata) -> DateMatch | None:
    if not citation.date:
        return None
    try:
        return match_date(citation.date, citation.date_precision, _dates(page))
    except ValueError as exc:
        log.warning("footnote %s: %s; the date is not checked", citation.id, exc)
        return None


def _date_mismatch_finding(citation: Citation, match: DateMatch) -> Finding:
    assert match.found is not None and citation.date is not None
    hint = f"; {match.hint}" if match.hint else ""
    weak = match.weak_support
    also = (f" (the cited date is on the page only as a less reliable {weak.source} date)"
            if weak else "")
    message = (f"date {citation.date} does not match the page: it gives {match.found.value} "
               f"({match.found.source}){hint}{also}")
    return _finding(citation, Code.DATE_MISMATCH, _SEVERITY[match.verdict], message,
                    citation.date, match.found.value, match.found.source, hint=match.hint or "",
                    **({"weak_support": weak.source} if weak else {}))


def _updated_finding(citation: Citation, match: DateMatch) -> Finding:
    assert match.found is not None and citation.date is not None
    published = match.published
    first = (f"its publication date is {published.value} ({published.source})" if published
             else "it gives no publication date")
    message = (f"date {citation.date} is the page's modification date {match.found.value} "
               f"({match.found.source}), not its publication date: {first}")
    return _finding(citation, Code.DATE_MATCHES_UPDATED, Severity.INFO, message, citation.date,
                    match.found.value, match.found.source,
                    published=published.value if published else "")


def publisher_findings(citation: Citation, page: PageMetadata, final_url: str) -> list[Finding]:
    """publisher-mismatch (warning) when no site name or domain of the page fits the cited one."""
    if not citation.publisher:
        return []
    names = (*_site_names(page), *_title_affixes(page))
    match = match_publisher(citation.publisher, names, final_url)
    if match.verdict is not Verdict.MISMATCH:
        return []
    score = f"{match.score:.0f}"
    message = (f'publisher "{citation.publisher}" does not match the page: it names '
               f'"{match.found}" ({match.source})')
    return [_finding(citation, Code.PUBLISHER_MISMATCH, Severity.WARNING, message,
                     citation.publisher, match.found, match.source, score)]


def claim_findings(citation: Citation, page: PageMetadata) -> list[Finding]:
    """claim-unsupported (info): numbers and quoted phrases of the citing clause not on the page."""
    if citation.context is None:
        return []
    return [
        _finding(citation, Code.CLAIM_UNSUPPORTED, Severity.INFO,
                 f'the citing clause says "{claim}" but the page text '
                 f"({len(page.text):,} characters) does not contain it; review", claim,
                 "", "text")
        for claim in unsupported_claims(citation.context.text, page.text)
    ]


def _titles(page: PageMetadata) -> tuple[Candidate, ...]:
    if page.titles or not page.title:
        return page.titles
    return (Candidate(page.title, page.title_source or "title"),)


def _dates(page: PageMetadata) -> tuple[DateCandidate, ...]:
    if page.dates:
        return page.dates
    given = ((page.published, "published", page.published_source),
             (page.modified, "modified", page.modified_source))
    return tuple(DateCandidate(value, role, source or role) for value, role, source in given
                 if value)


def _site_names(page: PageMetadata) -> tuple[Candidate, ...]:
    if page.site_names or not page.site_name:
        return page.site_names
    return (Candidate(page.site_name, "site_name"),)


def _title_affixes(page: PageMetadata) -> list[Candidate]:
    """The site's name as page titles carry it: the first or last part that is not the longest."""
    found = []
    for title in _titles(page):
        pieces = parts(title.value)
        if len(pieces) < 2:
            continue
        longest = max(pieces, key=len)
        found += [Candidate(piece, f"{title.source} affix")
                  for piece in dict.fromkeys((pieces[-1], pieces[0])) if piece != longest]
    return found


def _finding(citation: Citation, code: Code, severity: Severity, message: str, cited: str,
             found: str | None = "", source: str | None = "", score: str = "",
             **extra: str) -> Finding:
    evidence = {"cited": cited, "found": found or "", "source": source or "", "score": score}
    return Finding(code, severity, message, citation.id, {**evidence, **extra})
