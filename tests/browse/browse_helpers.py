"""An archive for the browse and export tests, written the way a run writes one.

Two documents: "freedonia-report.docx" (two runs a week apart) and "harbour-brief.md" (one
earlier run). Exchanges are built here and go through the real WarcWriter and ArchiveIndex, so
the WARC files and index.db are what `citecheck run` leaves behind. Hostile strings (HTML in
titles, notes, evidence and headers; archived Set-Cookie, CSP, Refresh…) are planted on purpose.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.archive import ArchiveIndex, RunEnd, WarcWriter
from citecheck.fetch.exchange import Exchange
from citecheck.models import (
    CaptureRef,
    Citation,
    CitationResult,
    Code,
    DocumentInfo,
    Finding,
    Hop,
    HopKind,
    Kind,
    LinkResult,
    LinkStatus,
    PageMetadata,
    Severity,
)

SITE = "https://monitor.example"
REPORT = DocumentInfo("freedonia-report.docx", "docx", "ab12" * 16)
BRIEF = DocumentInfo("harbour-brief.md", "markdown", None)
HOSTILE_TITLE = "Detainees <script>document.title='pwned-title'</script> speak"
HOSTILE_NOTE = "Ministry reply <img src=x onerror=alert(1)> 2022"
MARKER_TITLE = "pwned-by-archived-script"
HOSTILE_HEADERS = [
    ("Set-Cookie", "session=stolen; Path=/"),
    ("Content-Security-Policy", "default-src *"),
    ("Refresh", "0;url=https://evil.example/"),
    ("Link", "<https://evil.example/x.css>; rel=stylesheet"),
    ("Strict-Transport-Security", "max-age=31536000"),
    ("Clear-Site-Data", '"*"'),
    ("X-Evil", "<script>alert('header')</script>"),
    ("Content-Language", "en"),
    ("Last-Modified", "Tue, 14 Mar 2023 09:00:00 GMT"),
]
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f80f000001010100a4e2d5e60000000049454e44ae426082")
BOMB_SIZE = 8_000_000
MAX_DECODED = 1_000_000  # the replay's bound on decompressed bodies in the tests


def article(title: str, text: str, canary: str) -> bytes:
    """An archived article: stylesheet, image, a link, a meta refresh and a hostile script."""
    script = (f"document.title='{MARKER_TITLE}';"
              f"try{{parent.document.title='{MARKER_TITLE}'}}catch(e){{}}"
              f"try{{localStorage.setItem('pwned','1')}}catch(e){{}}"
              f"fetch('{canary}/fetched').catch(function(){{}});")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Freedonia Monitor</title>
<meta http-equiv="refresh" content="30;url={SITE}/live">
<link rel="stylesheet" href="/static/site.css">
<style>h1 {{ background: url('img/photo.png') }}</style>
</head><body><h1>{title}</h1>
<img src="img/photo.png" alt="photo"><img src="{canary}/img" alt="canary">
<p>{text}</p><p><a href="/articles/prisons">More on prisons</a></p>
<script>{script}</script></body></html>""".encode()


def make_exchange(url: str, body: bytes, *, status: int = 200, reason: str = "OK",
                  headers: list[tuple[str, str]] | None = None,
                  started: dt.datetime) -> Exchange:
    """An Exchange as the fetcher builds one."""
    if headers is None:
        headers = [("Content-Type", "text/html; charset=utf-8")]
    headers = [*headers, ("Content-Length", str(len(body)))]
    host = url.split("/")[2]
    return Exchange(url=url, method="GET",
                    request_headers=[("Host", host), ("User-Agent", "citecheck-test")],
                    http_version="HTTP/1.1", status=status, reason=reason,
                    response_headers=headers, body=io.BytesIO(body), body_length=len(body),
                    started=started, elapsed_ms=15, ip="192.0.2.7", port=443)


@dataclass
class Built:
    """What the tests need to know about the archive they got."""

    path: Path
    runs: dict[str, str] = field(default_factory=dict)  # "report-1", "report-2", "brief" -> id
    refs: dict[str, CaptureRef] = field(default_factory=dict)  # "run:url" -> capture

    def ref(self, run: str, url: str) -> CaptureRef:
        """The capture of a URL in one of the runs."""
        return self.refs[f"{run}:{url}"]


class _Run:
    """One run being written: WARC first, then the index, as pipeline.py does."""

    def __init__(self, built: Built, index: ArchiveIndex, writer: WarcWriter, name: str,
                 run_id: str, document: DocumentInfo, day: dt.datetime) -> None:
        self.built, self.index, self.writer, self.name = built, index, writer, name
        self.run_id, self.document, self.day = run_id, document, day
        self.minute = 0

    def capture(self, url: str, body: bytes, **kwargs: object) -> CaptureRef:
        self.minute += 1
        ex = make_exchange(url, body, started=self.day + dt.timedelta(minutes=self.minute),
                           **kwargs)  # type: ignore[arg-type]
        ref = self.writer.write_exchange(ex)
        self.index.add_capture(url, ref, status=ex.status, mime=ex.header("Content-Type"),
                               run_id=self.run_id)
        self.built.refs[f"{self.name}:{url}"] = ref
        return ref

    def result(self, result: CitationResult) -> None:
        self.writer.write_result(self.run_id, self.document, result)
        self.index.add_result(self.run_id, self.document, result)


def _run(built: Built, name: str, document: DocumentInfo, day: dt.datetime, fill,
         findings: tuple[Finding, ...] = ()) -> None:
    with ArchiveIndex.open(built.path) as index:
        run_id = index.start_run("run", document, {"workers": 2}, now=day)
        built.runs[name] = run_id
        info = index.run_info(run_id)
        with WarcWriter(built.path, warcinfo=info.warcinfo(),
                        dedup=index.payload_original) as writer:
            fill(_Run(built, index, writer, name, run_id, document, day))
            end = RunEnd(run_id, (day + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         {"ok": 1}, findings)
            writer.write_run_end(end)
        index.record_run_end(end)


def _web(note_id: str, text: str, url: str, status: LinkStatus, *, title: str | None = None,
         ref: CaptureRef | None = None, hops: tuple[Hop, ...] = (), http: int | None = 200,
         page: PageMetadata | None = None, findings: tuple[Finding, ...] = (),
         reason: str | None = None, publisher: str | None = "Freedonia Monitor",
         date: str | None = "2023-03-14") -> CitationResult:
    citation = Citation(id=note_id, text=text, kind=Kind.WEB, title=title, publisher=publisher,
                        date=date, url=url, confidence=0.9)
    final = hops[-1].url if hops else url
    link = LinkResult(url=url, status=status, final_url=final if ref else None,
                      http_status=http, hops=hops, reason=reason, capture=ref,
                      content_type="text/html" if ref else None,
                      checked_at=ref.timestamp if ref else None)
    return CitationResult(citation, link, page, findings)


def _page(title: str, text: str, published: str = "2023-03-14") -> PageMetadata:
    return PageMetadata(content_type="text/html", size=len(text), title=title,
                        title_source="og:title", published=published,
                        published_source="meta:article:published_time",
                        site_name="Freedonia Monitor", lang="en", text=text)


def build_archive(path: Path, *, canary: str = "http://127.0.0.1:9") -> Built:
    """Write the three runs into `path` (an archive folder) and return what was written."""
    built = Built(path)
    start = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC)
    _run(built, "brief", BRIEF, start, lambda run: _brief(run))
    week = dt.timedelta(days=7)
    _run(built, "report-1", REPORT, start + week, lambda run: _report(run, canary, 1),
         findings=(Finding(Code.NOTE_UNREFERENCED, Severity.WARNING,
                           "note 9 <i>is never referenced</i>", None),))
    _run(built, "report-2", REPORT, start + 2 * week, lambda run: _report(run, canary, 2))
    return built


PRISONS = f"{SITE}/articles/prisons"
PRISONS_BODY = (b"<html><head><title>Prison conditions worsen</title></head>"
                b"<body>140 per cent</body></html>")


def _brief(run: _Run) -> None:
    ref = run.capture(PRISONS, PRISONS_BODY)
    page = _page("Prison conditions worsen", "Overcrowding reached 140 per cent.")
    run.result(_web("1", "Prison conditions worsen, Freedonia Monitor", PRISONS, LinkStatus.OK,
                    title="Prison conditions worsen", ref=ref,
                    hops=(Hop(PRISONS, 200, HopKind.FINAL),), page=page))


def _report(run: _Run, canary: str, number: int) -> None:
    short, final = f"{SITE}/s/1", f"{SITE}/articles/detention"
    text = ("Lawyers told us that 37 detainees were beaten in custody." if number == 1 else
            "Lawyers told us that 41 detainees were beaten in custody (updated).")
    run.capture(short, b"moved", status=301, reason="Moved Permanently",
                headers=[("Location", final), ("Set-Cookie", "tracker=1")])
    body = article(HOSTILE_TITLE, text, canary)
    ref = run.capture(final, body, headers=[("Content-Type", "text/html; charset=utf-8"),
                                            *HOSTILE_HEADERS])
    run.capture(f"{SITE}/static/site.css",
                b"body { color: #123456; background: url(../img/bg.png) }\n"
                b"@import url('print.css');", headers=[("Content-Type", "text/css")])
    run.capture(f"{SITE}/articles/img/photo.png", PNG_1PX, headers=[("Content-Type", "image/png")])
    hops = (Hop(short, 301, HopKind.HTTP, location=final, elapsed_ms=40, ip="192.0.2.7"),
            Hop(final, 200, HopKind.FINAL, elapsed_ms=85, ip="192.0.2.7"))
    mismatch = Finding(Code.DATE_MISMATCH, Severity.ERROR, "the page is dated 2023-03-14",
                       "1", {"cited": "<b>2023-03-15</b>", "found": "2023-03-14",
                             "source": "meta:article:published_time"})
    run.result(_web("1", "Detainees speak, Freedonia Monitor, 15 March 2023", short,
                    LinkStatus.OK, title=HOSTILE_TITLE, ref=ref, hops=hops,
                    page=_page(HOSTILE_TITLE, text), findings=(mismatch,), date="2023-03-15"))
    _report_rest(run, canary, number)


def _report_rest(run: _Run, canary: str, number: int) -> None:
    removed = f"{SITE}/articles/removed"
    gone = gzip.compress(b"<html><body><h1>Not found</h1></body></html>", mtime=0)
    ref = run.capture(removed, gone, status=404, reason="Not Found",
                      headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    dead = Finding(Code.LINK_DEAD, Severity.ERROR, "the link answers 404", "2")
    run.result(_web("2", "Court ruling on detention, Freedonia Courts, 2 May 2021", removed,
                    LinkStatus.DEAD, title="Court ruling on detention", ref=ref, http=404,
                    hops=(Hop(removed, 404, HopKind.FINAL),), findings=(dead,),
                    reason="HTTP 404", publisher="Freedonia Courts", date="2021-05-02"))
    ibid = Citation(id="3", text="Ibid.", kind=Kind.IBID, same_as="1", confidence=1.0)
    run.result(CitationResult(ibid))
    unreachable = Finding(Code.LINK_UNREACHABLE, Severity.ERROR, "connection refused", "4")
    run.result(_web("4", "Harbour authority notice, 2020", f"{SITE}:8443/notice",
                    LinkStatus.UNREACHABLE, title="Harbour authority notice", http=None,
                    findings=(unreachable,), reason="connection refused", date="2020"))
    reply = f"{SITE}/ministry/reply"
    ref = run.capture(reply, b"<html><head><title>Reply</title></head><body>Our reply</body>"
                             b"</html>")
    run.result(_web("5", HOSTILE_NOTE, reply, LinkStatus.OK, title="<b>Reply</b> of the ministry",
                    ref=ref, hops=(Hop(reply, 200, HopKind.FINAL),), publisher="Ministry",
                    page=_page("Reply", "Our reply to the findings."), date="2022"))
    if number == 2:
        ref = run.capture(PRISONS, PRISONS_BODY)  # a revisit of the brief's capture
        run.result(_web("6", "Prison conditions worsen", PRISONS, LinkStatus.OK,
                        title="Prison conditions worsen", ref=ref,
                        hops=(Hop(PRISONS, 200, HopKind.FINAL),),
                        page=_page("Prison conditions worsen", "140 per cent")))
    else:
        bomb = _gzip_zeros(BOMB_SIZE)
        run.capture(f"{SITE}/bomb", bomb, headers=[("Content-Type", "text/plain"),
                                                   ("Content-Encoding", "gzip")])


def _gzip_zeros(size: int) -> bytes:
    engine = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    chunk = bytes(1 << 20)
    parts = [engine.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + engine.flush()
