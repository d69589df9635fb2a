"""Archive throughput: write, verify, read back and rebuild a run of generated pages.

    python benchmarks/archive_bench.py [--pages 400] [--size 200000] [--threads 8] [--real DIR]

Bodies are generated text-like HTML, each page different (a small vocabulary: harder on zlib
than real pages), or with --real the saved pages of a folder (../shared/corpus/pages when
given without a value and present).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from citecheck.archive import (
    ArchiveIndex,
    WarcWriter,
    read_response,
    rebuild_index,
    verify_warc,
)
from citecheck.fetch.exchange import Exchange
from citecheck.models import DocumentInfo

WORDS = ("water", "report", "ministry", "human", "rights", "article", "court", "decision",
         "published", "annual", "population", "survey", "village", "wells", "drought",
         "government", "commission", "evidence")


def page(number: int, size: int) -> bytes:
    rnd = random.Random(number)
    words = " ".join(rnd.choice(WORDS) for _ in range(size // 6))
    return f"<html><title>Page {number}</title><p>{words}</p></html>".encode()[:size]


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pages"


def real_pages(folder: Path, count: int) -> list[bytes]:
    """The saved real pages, cycled to `count`; exits with the reason when they are absent."""
    if not folder.is_dir():
        sys.exit(f"--real: no saved pages at {folder} (only present in the dev workspace)")
    pages = [path.read_bytes() for path in sorted(folder.iterdir())]
    return [pages[n % len(pages)] + b"<!-- %d -->" % n for n in range(count)]


def exchange(number: int, body: bytes) -> Exchange:
    return Exchange(url=f"http://127.0.0.1:8000/{number}", method="GET",
                    request_headers=[("Host", "127.0.0.1:8000")], http_version="HTTP/1.1",
                    status=200, reason="OK",
                    response_headers=[("Content-Type", "text/html"),
                                      ("Content-Length", str(len(body)))],
                    body=io.BytesIO(body), body_length=len(body),
                    started=dt.datetime.now(dt.UTC))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--real", type=Path, nargs="?", const=CORPUS,
                        help="bodies from saved pages (default ../shared/corpus/pages)")
    args = parser.parse_args()
    archive = Path(tempfile.mkdtemp(prefix="citecheck-bench-"))
    bodies = (real_pages(args.real, args.pages) if args.real
              else [page(n, args.size) for n in range(args.pages)])
    exchanges = [exchange(n, body) for n, body in enumerate(bodies)]
    megabytes = sum(ex.body_length for ex in exchanges) / 1e6

    index = ArchiveIndex.open(archive)
    run_id = index.start_run("run", DocumentInfo("bench.md", "markdown"), {})
    started = time.perf_counter()
    with WarcWriter(archive, warcinfo=index.run_info(run_id).warcinfo(),
                    dedup=index.payload_original) as writer:
        refs = []

        def work(part: list[Exchange]) -> None:
            for ex in part:
                ref = writer.write_exchange(ex)
                index.add_capture(ex.url, ref, status=200, mime="text/html", run_id=run_id)
                refs.append(ref)

        threads = [threading.Thread(target=work, args=(exchanges[i::args.threads],))
                   for i in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    write_s = time.perf_counter() - started
    index.close()
    stored = sum(path.stat().st_size for path in writer.files) / 1e6
    report("write + index", megabytes, write_s, f"{len(refs)} exchanges, {stored:.1f} MB on disk")

    started = time.perf_counter()
    problems = [p for path in writer.files for p in verify_warc(path)]
    report("verify_warc", megabytes, time.perf_counter() - started, f"{len(problems)} problems")

    started = time.perf_counter()
    for ref in refs:
        read_response(archive, ref, max_bytes=50_000_000)
    report("read_response", megabytes, time.perf_counter() - started, "every capture")

    started = time.perf_counter()
    stats = rebuild_index(archive)
    report("rebuild_index", megabytes, time.perf_counter() - started,
           f"{stats.captures} captures")


def report(what: str, megabytes: float, seconds: float, note: str) -> None:
    print(f"{what:15} {megabytes:8.1f} MB in {seconds:6.2f} s = {megabytes / seconds:6.1f} MB/s"
          f"   ({note})")


if __name__ == "__main__":
    main()
