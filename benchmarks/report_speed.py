"""How long each report format takes for a large run (5,000 footnotes by default).

    python benchmarks/report_speed.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from citecheck.models import (
    Citation,
    CitationResult,
    Code,
    Context,
    DocumentInfo,
    Finding,
    Hop,
    HopKind,
    Kind,
    LinkResult,
    LinkStatus,
    PageMetadata,
    RunResult,
    Severity,
)
from citecheck.report import FORMATS, render

STATUSES = [LinkStatus.OK] * 6 + [LinkStatus.DEAD, LinkStatus.BLOCKED, LinkStatus.UNREACHABLE]


def footnote(n: int) -> CitationResult:
    url = f"https://www.news{n % 97}.example/section/2023/03/a-fairly-long-article-slug-{n}"
    status = STATUSES[n % len(STATUSES)]
    citation = Citation(str(n), f"Article {n}, Example News, 12 March 2023, {url}", Kind.WEB,
                        Context(f"the clause that cites footnote {n}", line=n), f"Article {n}",
                        "Example News", "2023-03-12", url=url, note_line=n)
    hops = (Hop(url, 301, HopKind.HTTP, url + "/"), Hop(url + "/", 200, HopKind.FINAL))
    link = LinkResult(url, status, url + "/", 200 if status is LinkStatus.OK else 404, hops)
    page = PageMetadata("text/html", 30_000, title=f"Article {n} | Example News",
                        title_source="og:title", published="2023-03-12", site_name="Example News",
                        text="word " * 2000) if status is LinkStatus.OK else None
    findings = (Finding(Code.TITLE_MISMATCH, Severity.ERROR, f"title differs on {n}", str(n),
                        {"cited": f"Article {n}", "found": "Other"}),) if n % 5 == 0 else ()
    return CitationResult(citation, link, page, findings)


def main(count: int) -> None:
    run = RunResult("run", DocumentInfo("big-report.txt", "poi-text"),
                    tuple(footnote(n) for n in range(1, count + 1)))
    print(f"{count} footnotes, {len(run.all_findings())} findings")
    for fmt in FORMATS:
        start = time.perf_counter()
        out = render(run, fmt)
        elapsed = time.perf_counter() - start
        print(f"{fmt:9} {elapsed:6.2f} s  {len(out.encode()) / 1e6:6.1f} MB")
    print(f"(python {sys.version.split()[0]})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
