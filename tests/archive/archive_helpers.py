"""Helpers for the archive tests, importable by spawned worker processes too."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import BinaryIO

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


def make_exchange(url: str, body: bytes | BinaryIO = b"", *, status: int = 200,
                  reason: str = "OK", headers: list[tuple[str, str]] | None = None,
                  method: str = "GET", started: dt.datetime | None = None,
                  truncated: str | None = None, ip: str | None = "127.0.0.1") -> Exchange:
    """An Exchange as the fetcher builds one, body spooled at position 0."""
    stream = io.BytesIO(body) if isinstance(body, bytes) else body
    length = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if headers is None:
        headers = [("Content-Type", "text/html; charset=utf-8"),
                   ("Content-Length", str(length))]
    return Exchange(url=url, method=method,
                    request_headers=[("Host", url.split("/")[2]), ("User-Agent", "citecheck-test"),
                                     ("Accept", "*/*")],
                    http_version="HTTP/1.1", status=status, reason=reason,
                    response_headers=headers, body=stream, body_length=length,
                    started=started or dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
                    elapsed_ms=12, truncated=truncated, ip=ip, port=8000)


def sample_result(note_id: str, url: str, ref: CaptureRef | None, *, text: str = "",
                  status: LinkStatus = LinkStatus.OK) -> CitationResult:
    """A citation result with a hop chain, a page and a finding."""
    citation = Citation(id=note_id, text=f"Ministry of Water, report {note_id}, {url}",
                        kind=Kind.WEB, title=f"Report {note_id}", publisher="Ministry of Water",
                        date="2025-06-01", url=url)
    hops = (Hop(url.replace("/report", "/r"), 301, HopKind.HTTP, location=url),
            Hop(url, 200, HopKind.FINAL, ip="127.0.0.1"))
    link = LinkResult(url=url, status=status, final_url=url, http_status=200, hops=hops,
                      content_type="text/html", capture=ref, checked_at="2026-03-01T12:00:00Z")
    page = PageMetadata(content_type="text/html", size=len(text), title=f"Page {note_id}",
                        title_source="title", site_name="Ministry", lang="en", text=text)
    finding = Finding(Code.DATE_MISSING, Severity.INFO, "the page shows no date", note_id,
                      {"cited": "2025-06-01"})
    return CitationResult(citation, link, page, (finding,))


def write_run(archive: str, worker: int, count: int, body_size: int) -> list[str]:
    """One process's run: open the index, write `count` exchanges and results, finish."""
    from citecheck.archive import ArchiveIndex, RunEnd, WarcWriter

    archive_dir = Path(archive)
    document = DocumentInfo(f"report-{worker}.md", "markdown", None)
    with ArchiveIndex.open(archive_dir) as index:
        run_id = index.start_run("run", document, {"worker": worker})
        info = index.run_info(run_id)
        with WarcWriter(archive_dir, warcinfo=info.warcinfo(), dedup=index.payload_original,
                        max_size=body_size * 4) as writer:
            for number in range(count):
                url = f"http://127.0.0.1:8000/w{worker}/{number}"
                body = (f"worker {worker} page {number} ".encode() * body_size)[:body_size]
                ex = make_exchange(url, body)
                ref = writer.write_exchange(ex)
                index.add_capture(url, ref, status=200, mime="text/html", run_id=run_id)
                result = sample_result(str(number), url, ref, text=body[:50].decode())
                writer.write_result(run_id, document, result)
                index.add_result(run_id, document, result)
            end = RunEnd(run_id, "2026-03-01T13:00:00Z", {"ok": count})
            writer.write_run_end(end)
        index.record_run_end(end)
    return [str(path) for path in writer.files]


def keep_writing(archive: str, body_size: int) -> None:
    """Write exchanges forever, printing each capture's record id once it is indexed."""

    from citecheck.archive import ArchiveIndex, WarcWriter

    archive_dir = Path(archive)
    with ArchiveIndex.open(archive_dir) as index:
        run_id = index.start_run("run", DocumentInfo("doc.md", "markdown"), {})
        writer = WarcWriter(archive_dir, warcinfo=index.run_info(run_id).warcinfo())
        number = 0
        while True:
            url = f"http://127.0.0.1:8000/page/{number}"
            body = bytes((number + i) % 251 for i in range(body_size))  # no two alike
            ref = writer.write_exchange(make_exchange(url, body))
            index.add_capture(url, ref, status=200, mime="text/html", run_id=run_id)
            print(ref.record_id, flush=True)
            number += 1
