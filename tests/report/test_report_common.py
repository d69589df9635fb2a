import dataclasses

import pytest

from citecheck.models import (
    Citation,
    CitationResult,
    Code,
    Finding,
    Kind,
    LinkResult,
    LinkStatus,
    PageMetadata,
    Severity,
)
from citecheck.report import verdicts
from citecheck.report.common import (
    severity_counts,
    short_url,
    status_counts,
    status_label,
    summary_line,
)

CITED = Citation("1", "note", Kind.WEB, title="T", publisher="P", date="2023-03",
                 url="https://a.example/")
PAGE = PageMetadata("text/html", 100, title="T", site_name="P", published="2023-03-02")
OK = LinkResult("https://a.example/", LinkStatus.OK, "https://a.example/", 200)


def result(findings=(), page=PAGE, link=OK, **cited) -> CitationResult:
    finding_objects = tuple(Finding(code, Severity.WARNING, "m", "1") for code in findings)
    return CitationResult(dataclasses.replace(CITED, **cited), link, page, finding_objects)


@pytest.mark.parametrize(("item", "expected"), [
    (result(), {"title": "✓", "date": "✓", "publisher": "✓"}),
    (result([Code.TITLE_MISMATCH]), {"title": "✗", "date": "✓", "publisher": "✓"}),
    (result([Code.DATE_MISMATCH, Code.PUBLISHER_MISMATCH]),
     {"title": "✓", "date": "✗", "publisher": "✗"}),
    (result([Code.TITLE_MISSING, Code.DATE_MISSING]),
     {"title": "?", "date": "?", "publisher": "✓"}),
    (result([Code.DATE_MATCHES_UPDATED]), {"title": "✓", "date": "✓", "publisher": "✓"}),
    (result(page=None), {"title": "?", "date": "?", "publisher": "?"}),
    (result(page=None, link=None), {"title": "?", "date": "?", "publisher": "?"}),
    (result(page=dataclasses.replace(PAGE, blocked="consent wall")),
     {"title": "?", "date": "?", "publisher": "?"}),
    (result(page=dataclasses.replace(PAGE, soft404="says 'page not found'")),
     {"title": "?", "date": "?", "publisher": "?"}),
    (result(link=dataclasses.replace(OK, status=LinkStatus.DEAD, http_status=404)),
     {"title": "?", "date": "?", "publisher": "?"}),
    # a mismatch found earlier (check against the archive) stands even without a page
    (result([Code.TITLE_MISMATCH], page=None), {"title": "✗", "date": "?", "publisher": "?"}),
    (result(title=None, publisher=None), {"title": "", "date": "✓", "publisher": ""}),
    (result(page=None, link=None, kind=Kind.IBID, same_as="0"),
     {"title": "", "date": "", "publisher": ""}),
    (result(page=None, link=None, kind=Kind.NO_LINK), {"title": "", "date": "", "publisher": ""}),
])
def test_verdicts(item, expected):
    assert verdicts(item) == expected


@pytest.mark.parametrize(("url", "limit", "expected"), [
    ("https://www.example.org/", 40, "example.org"),
    ("https://example.org/a/b/?q=1", 40, "example.org/a/b?q=1"),
    ("https://example.org/a?" + "q" * 60, 40, "example.org/a"),
    ("https://example.org/" + "x" * 80, 30, "example.org/…" + "x" * 17),
    ("https://" + "h" * 50 + ".example/path", 30, "h" * 20 + "…" + "mple/path"),
    ("mailto:someone@example.org", 40, "mailto:someone@example.org"),
    ("http://[::1", 40, "http://[::1"),
])
def test_short_url(url, limit, expected):
    assert short_url(url, limit) == expected
    assert len(short_url(url, limit)) <= max(limit, len(expected))


def test_counts_cover_every_status_and_severity(run):
    statuses = status_counts(run)
    assert set(statuses) == {status.value for status in LinkStatus}
    assert sum(statuses.values()) == len(run.results)
    assert statuses["ok"] == sum(1 for r in run.results
                                 if r.link and r.link.status is LinkStatus.OK)
    severities = severity_counts(run)
    assert set(severities) == {"info", "warning", "error"}
    assert sum(severities.values()) == len(run.all_findings())


def test_summary_line_names_every_nonzero_status(run):
    line = summary_line(run)
    assert "\n" not in line
    for status, n in status_counts(run).items():
        assert (f"{n} {status}" in line) == bool(n)


@pytest.mark.parametrize("status", list(LinkStatus))
def test_status_label_has_a_symbol_and_the_word(status):
    symbol, word = status_label(status).split(" ")
    assert word == status.value and symbol


@pytest.mark.parametrize(("url", "expected"), [
    ("https://ar.example/%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1", "ar.example/الأخبار"),
    ("https://x.example/a%0A::error::b", "x.example/a \uff1a:error::b"),
    ("https://x.example/%1B%5B31mred", "x.example/red"),
    ("https://x.example/%E2%80%AEfdp.exe", "x.example/fdp.exe"),
    ("https://x.example/%FF%FE", "x.example/\ufffd\ufffd"),
])
def test_short_url_decodes_escapes_and_cleans_them_again(url, expected):
    assert short_url(url, 60) == expected
