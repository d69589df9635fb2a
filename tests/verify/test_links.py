import pytest

from citecheck.models import (
    CaptureRef,
    Code,
    LinkResult,
    LinkStatus,
    PageMetadata,
    Severity,
)
from citecheck.verify.links import NO_NETWORK, apply_page_verdict, link_findings

URL = "https://short.test/abc"


def link(status, **kw):
    return LinkResult(URL, status, **kw)


@pytest.mark.parametrize(
    ("status", "reason", "cause", "code", "severity"),
    [
        (LinkStatus.DEAD, None, "http", Code.LINK_DEAD, Severity.ERROR),
        (LinkStatus.DEAD, "soft 404: title 'Page not found'", None, Code.LINK_SOFT_404,
         Severity.ERROR),
        (LinkStatus.BLOCKED, "HTTP 403", "http", Code.LINK_BLOCKED, Severity.WARNING),
        (LinkStatus.UNREACHABLE, "DNS: no such host", "dns", Code.LINK_UNREACHABLE,
         Severity.ERROR),
        (LinkStatus.UNREACHABLE, NO_NETWORK, "no-network", Code.LINK_UNREACHABLE,
         Severity.WARNING),
        (LinkStatus.UNREACHABLE, "redirect loop: a -> b -> a", "loop", Code.LINK_REDIRECT_LOOP,
         Severity.ERROR),
        (LinkStatus.REFUSED, "private address 10.0.0.1", "refused", Code.LINK_REFUSED,
         Severity.ERROR),
        (LinkStatus.INVALID_URL, "no host", "invalid", Code.LINK_INVALID, Severity.ERROR),
    ],
)
def test_status_to_finding(status, reason, cause, code, severity):
    findings = link_findings(link(status, reason=reason, cause=cause, http_status=404), "7")
    assert [(f.code, f.severity, f.note_id) for f in findings] == [(code, severity, "7")]
    assert URL in findings[0].message


@pytest.mark.parametrize("status", [LinkStatus.OK, LinkStatus.SKIPPED, LinkStatus.NOT_CHECKED])
def test_no_finding_for_fine_links(status):
    assert link_findings(link(status), "1") == []


def test_truncated_capture_is_reported_even_when_ok():
    ref = CaptureRef("a.warc.gz", 0, 10, "2026-01-01T00:00:00Z", "<urn:uuid:x>", truncated="length")
    findings = link_findings(link(LinkStatus.OK, capture=ref), "2")
    assert [f.code for f in findings] == [Code.LINK_TRUNCATED]


def page(**kw):
    return PageMetadata(content_type="text/html", size=100, **kw)


def test_wall_makes_ok_link_blocked():
    out = apply_page_verdict(link(LinkStatus.OK), page(blocked="cloudflare: Just a moment..."))
    assert out.status is LinkStatus.BLOCKED
    assert "cloudflare" in out.reason


def test_soft_404_and_home_redirect_make_link_dead():
    out = apply_page_verdict(link(LinkStatus.OK), page(soft404="title 'Page not found'"))
    assert out.status is LinkStatus.DEAD
    assert [f.code for f in link_findings(out, "1")] == [Code.LINK_SOFT_404]
    out = apply_page_verdict(link(LinkStatus.OK), page(), "deep link ended on the home page")
    assert out.status is LinkStatus.DEAD


def test_page_verdict_leaves_failed_links_alone():
    dead = link(LinkStatus.DEAD, http_status=404)
    assert apply_page_verdict(dead, page(blocked="x")) is dead
    assert apply_page_verdict(link(LinkStatus.OK), page()).status is LinkStatus.OK
