"""RunResults for the report tests: every link status, each kind, findings of each severity."""

from __future__ import annotations

import dataclasses

import pytest

from citecheck.models import (
    Candidate,
    CaptureRef,
    Citation,
    CitationResult,
    Code,
    Context,
    DatePrecision,
    DocumentInfo,
    Finding,
    Hop,
    HopKind,
    Kind,
    LinkResult,
    LinkStatus,
    Locator,
    PageMetadata,
    RunResult,
    Severity,
)

DOC = "annual-review.txt"


def web(note_id: str, url: str, *, title: str | None = "Water rights in the valley",
        publisher: str | None = "River Watch", date: str | None = "2023-03",
        line: int | None = None) -> Citation:
    precision = {4: DatePrecision.YEAR, 7: DatePrecision.MONTH, 10: DatePrecision.DAY}
    return Citation(
        id=note_id, text=f"{title}, {publisher}, {date}, {url}", kind=Kind.WEB,
        context=Context(f"as the clause citing note {note_id} says", line=line),
        title=title, publisher=publisher, date=date,
        date_precision=precision[len(date)] if date else None, url=url,
        note_line=100 + int(note_id),
    )


def link(url: str, status: LinkStatus, http: int | None = 200, *, final: str | None = None,
         reason: str | None = None, capture: bool = False) -> LinkResult:
    hops = (Hop(url, http, HopKind.FINAL),) if http else ()
    ref = CaptureRef("citecheck-20260101.warc.gz", 1024, 4096, "2026-01-01T10:00:00Z",
                     "<urn:uuid:0b2f>") if capture else None
    return LinkResult(url, status, final_url=final or (url if http else None), http_status=http,
                      hops=hops, reason=reason, capture=ref, checked_at="2026-01-01T10:00:00Z")


def page(title: str | None = "Water rights in the valley", site: str | None = "River Watch",
         published: str | None = "2023-03-14") -> PageMetadata:
    return PageMetadata(
        content_type="text/html", size=20_000, charset="utf-8", title=title,
        title_source="og:title" if title else None,
        titles=(Candidate(title, "og:title"),) if title else (),
        published=published, published_source="json-ld:datePublished" if published else None,
        site_name=site, author="A. Writer", lang="en", canonical_url=None, text="Body text.",
    )


def finding(code: Code, severity: Severity, note_id: str | None, **evidence: str) -> Finding:
    return Finding(code, severity, f"{code.value} on note {note_id}", note_id, dict(evidence))


def sample_results() -> tuple[CitationResult, ...]:
    redirected = LinkResult(
        "https://sho.rt/x1", LinkStatus.OK, final_url="https://news.example.org/story/42",
        http_status=200, capture=CaptureRef("c.warc.gz", 0, 900, "2026-01-01T10:00:01Z", "<r2>"),
        hops=(Hop("https://sho.rt/x1", 301, HopKind.HTTP, "https://news.example.org/s/42"),
              Hop("https://news.example.org/s/42", 200, HopKind.META_REFRESH,
                  "https://news.example.org/story/42"),
              Hop("https://news.example.org/story/42", 200, HopKind.FINAL)))
    return (
        CitationResult(web("1", "https://riverwatch.example/report", line=12),
                       link("https://riverwatch.example/report", LinkStatus.OK, capture=True),
                       page()),
        CitationResult(web("2", "https://sho.rt/x1", line=15), redirected,
                       page(title="A different story", site="Daily Example"),
                       (finding(Code.TITLE_MISMATCH, Severity.ERROR, "2", cited="Water rights",
                                found="A different story", source="og:title"),
                        finding(Code.PUBLISHER_MISMATCH, Severity.WARNING, "2"),
                        finding(Code.DATE_MATCHES_UPDATED, Severity.INFO, "2"))),
        CitationResult(web("3", "https://gone.example/page", line=20),
                       link("https://gone.example/page", LinkStatus.DEAD, 404, reason="HTTP 404"),
                       None, (finding(Code.LINK_DEAD, Severity.ERROR, "3"),)),
        CitationResult(web("4", "https://walled.example/a"),
                       link("https://walled.example/a", LinkStatus.BLOCKED, 403, reason="HTTP 403"),
                       None, (finding(Code.LINK_BLOCKED, Severity.WARNING, "4"),)),
        CitationResult(Citation("5", "Ibid.", Kind.IBID, same_as="2", note_line=105)),
        CitationResult(Citation("6", "A printed book, Press, 2019.", Kind.NO_LINK, title="A book",
                                date="2019", date_precision=DatePrecision.YEAR),
                       None, None, (finding(Code.LINK_MISSING, Severity.INFO, "6"),)),
        CitationResult(web("7", "https://slow.example/"),
                       link("https://slow.example/", LinkStatus.UNREACHABLE, None,
                            reason="timeout"),
                       None, (finding(Code.LINK_UNREACHABLE, Severity.ERROR, "7"),)),
        CitationResult(web("8", "http://10.0.0.8/"),
                       link("http://10.0.0.8/", LinkStatus.REFUSED, None, reason="private address"),
                       None, (finding(Code.LINK_REFUSED, Severity.WARNING, "8"),)),
        CitationResult(web("9", "htp:/broken"),
                       link("htp:/broken", LinkStatus.INVALID_URL, None, reason="no host"),
                       None, (finding(Code.LINK_INVALID, Severity.ERROR, "9"),)),
        CitationResult(web("10", "https://excluded.example/"),
                       link("https://excluded.example/", LinkStatus.SKIPPED, None)),
        CitationResult(web("11", "https://bare.example/doc.pdf", publisher=None),
                       link("https://bare.example/doc.pdf", LinkStatus.OK),
                       PageMetadata(content_type="application/pdf", size=512),
                       (finding(Code.TITLE_MISSING, Severity.INFO, "11"),
                        finding(Code.DATE_MISSING, Severity.INFO, "11"))),
        CitationResult(web("12", "https://offline.example/", title=None, date=None)),
    )


def sample_run(**changes) -> RunResult:
    run = RunResult(
        command="run", document=DocumentInfo(DOC, "poi-text", "ab" * 32),
        results=sample_results(),
        findings=(Finding(Code.NOTE_MISSING, Severity.ERROR, "marker 13 has no note", None,
                          {"marker": "13"}),),
        run_id="20260101T100000Z", started="2026-01-01T10:00:00Z",
        finished="2026-01-01T10:00:09Z", notices=("2 links were slow to answer",),
    )
    return dataclasses.replace(run, **changes)


def hostile_run(payload: str) -> RunResult:
    """A run where every string a note or a page supplies carries `payload`."""
    def evil(text: str) -> str:
        return f"{text} {payload} end"

    url = f"https://evil.example/a?q={payload}"
    citation = dataclasses.replace(
        web("1", url, title=evil("Title"), publisher=evil("Publisher"), line=3),
        text=evil("Note"), context=Context(evil("Clause"), line=3,
                                           locators=(Locator("article", "5", evil("Art")),)),
        accessed="2026-01-01",
    )
    hostile_page = dataclasses.replace(page(title=evil("Page")), site_name=evil("Site"),
                                       author=evil("Author"), published=evil("2023"),
                                       title_source=evil("og"), canonical_url=url)
    found = Finding(Code.TITLE_MISMATCH, Severity.ERROR, evil("Message"), "1",
                    {"cited": evil("cited"), "found": evil("found")})
    low = Finding(Code.PUBLISHER_MISMATCH, Severity.WARNING, evil("Low"), "1", {})
    hops = (Hop(url, 302, HopKind.HTTP, url), Hop(url, 200, HopKind.FINAL))
    result = CitationResult(citation, LinkResult(url, LinkStatus.OK, url, 200, hops,
                                                 reason=evil("reason")),
                            hostile_page, (found, low))
    return RunResult("run", DocumentInfo(evil("doc"), "poi-text"), (result,),
                     (Finding(Code.NOTE_MALFORMED, Severity.WARNING, evil("Doc"), None,
                              {"text": evil("t")}),),
                     notices=(evil("Notice"),))


@pytest.fixture
def run() -> RunResult:
    return sample_run()


@pytest.fixture
def make_run():
    """sample_run with some fields replaced: make_run(results=(), findings=())."""
    return sample_run


@pytest.fixture
def make_hostile():
    """hostile_run(payload): every note and page string carries the payload."""
    return hostile_run
