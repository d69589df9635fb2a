"""A link's outcome as findings, and the page's say on it (soft 404s, walls)."""

from __future__ import annotations

import dataclasses

from citecheck.models import Code, Finding, LinkResult, LinkStatus, PageMetadata, Severity

NO_NETWORK = "no network"

_STATUS_FINDING: dict[LinkStatus, tuple[Code, Severity, str]] = {
    LinkStatus.DEAD: (Code.LINK_DEAD, Severity.ERROR, "the link is dead"),
    LinkStatus.BLOCKED: (Code.LINK_BLOCKED, Severity.WARNING,
                         "the site blocked the check, so the source could not be verified"),
    LinkStatus.UNREACHABLE: (Code.LINK_UNREACHABLE, Severity.ERROR, "the link is unreachable"),
    LinkStatus.REFUSED: (Code.LINK_REFUSED, Severity.ERROR, "citecheck refused to fetch the link"),
    LinkStatus.INVALID_URL: (Code.LINK_INVALID, Severity.ERROR, "the link is not a valid URL"),
}


def is_redirect_loop(link: LinkResult) -> bool:
    """Whether the link failed because its redirects went round in a circle."""
    return link.status is LinkStatus.UNREACHABLE and link.cause == "loop"


def is_no_network(link: LinkResult) -> bool:
    """Whether the link could not be checked because there was no network at all."""
    return link.cause == "no-network"


def link_findings(link: LinkResult, note_id: str | None) -> list[Finding]:
    """The findings a link's outcome calls for (none for a whole, ok capture)."""
    findings = _status_findings(link, note_id)
    if link.capture and link.capture.truncated:
        findings.append(Finding(Code.LINK_TRUNCATED, Severity.INFO,
                                f"{link.url}: the capture was cut short "
                                f"({link.capture.truncated}); it holds only the start of the page",
                                note_id, {"url": link.url, "truncated": link.capture.truncated}))
    return findings


def _status_findings(link: LinkResult, note_id: str | None) -> list[Finding]:
    if is_redirect_loop(link):
        return [Finding(Code.LINK_REDIRECT_LOOP, Severity.ERROR,
                        f"{link.url}: {link.reason}", note_id, {"url": link.url})]
    if link.status is LinkStatus.DEAD and (link.reason or "").startswith("soft 404"):
        return [Finding(Code.LINK_SOFT_404, Severity.ERROR,
                        f"{link.url}: an error page served as a success ({link.reason})",
                        note_id, {"url": link.url, "final_url": link.final_url or ""})]
    entry = _STATUS_FINDING.get(link.status)
    if entry is None:
        return []
    code, severity, what = entry
    if is_no_network(link):
        severity = Severity.WARNING  # not the link's fault: nothing could be checked
    detail = link.reason or (f"HTTP {link.http_status}" if link.http_status else "")
    message = f"{link.url}: {what}" + (f" ({detail})" if detail else "")
    evidence = {"url": link.url, "final_url": link.final_url or "",
                "http_status": str(link.http_status or ""), "reason": link.reason or ""}
    return [Finding(code, severity, message, note_id, evidence)]


def apply_page_verdict(link: LinkResult, page: PageMetadata | None,
                       home_redirect: str | None = None) -> LinkResult:
    """A link whose page is a soft 404 or a bot/consent wall is not ok, whatever its HTTP status."""
    if link.status is not LinkStatus.OK:
        return link
    if page is not None and page.blocked:
        return dataclasses.replace(link, status=LinkStatus.BLOCKED, reason=page.blocked)
    soft = (page.soft404 if page is not None else None) or home_redirect
    if soft:
        return dataclasses.replace(link, status=LinkStatus.DEAD, reason=f"soft 404: {soft}")
    return link
