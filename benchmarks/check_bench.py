"""How much `check` costs beyond fetching: N links on local servers that answer after a delay.

    python benchmarks/check_bench.py [--links 200] [--latency 0.1] [--hosts 20] [--rounds 3]

The pages are served by HOSTS loopback servers (127.0.0.1, 127.0.0.2…; one host each, so the
per-host limit spreads as on the web), each answer held back LATENCY seconds. After a `run`
archives them, it times, best of ROUNDS:

* fetch only: `resolve_all` over the same URLs with the same settings, bodies dropped;
* check, unchanged: `check()` when every page is byte-identical to its capture;
* check, every body different: each page carries a changing counter (a typical dynamic page),
  so every page is extracted and compared with its capture.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from citecheck import check, pipeline
from citecheck.citations.store import dumps_citations
from citecheck.fetch.scheduler import resolve_all
from citecheck.fetch.session import FetchSession
from citecheck.models import Citation, DatePrecision, DocumentInfo, Kind
from citecheck.settings import Settings

PARAGRAPH = ("Monitors visited the detention centre on three occasions and spoke with lawyers, "
             "relatives and former detainees, who described crowded cells, little food and no "
             "access to a doctor for weeks. ")
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Example Monitor</title><meta property="og:title" content="{title}">
<meta property="og:site_name" content="Example Monitor">
<meta property="article:published_time" content="2023-03-14T09:00:00Z"></head>
<body><nav>Home News Reports</nav><h1>{title}</h1><p>Published 14 March 2023</p>
{paragraphs}<footer>Visits: {counter}</footer></body></html>"""


class Pages:
    """What the servers answer: an article per path, with an optional changing counter."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.dynamic = False
        self.counter = itertools.count()

    def body(self, path: str) -> bytes:
        title = f"Report number {path.strip('/').split('/')[-1]} on detention"
        paragraphs = "".join(f"<p>{PARAGRAPH * 3} ({path}, {n})</p>" for n in range(40))
        counter = next(self.counter) if self.dynamic else 0
        return PAGE.format(title=title, paragraphs=paragraphs, counter=counter).encode()


def serve(pages: Pages, hosts: int) -> list[tuple[ThreadingHTTPServer, str]]:
    """One server per loopback address; their base URLs."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(pages.latency)
            body = pages.body(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    servers = []
    for n in range(1, hosts + 1):
        server = ThreadingHTTPServer((f"127.0.0.{n}", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, f"http://127.0.0.{n}:{server.server_address[1]}"))
    return servers


def citations(bases: list[str], links: int) -> list[Citation]:
    """One web citation per link, spread over the hosts."""
    out = []
    for n in range(links):
        url = f"{bases[n % len(bases)]}/reports/{n}"
        title = f"Report number {n} on detention"
        out.append(Citation(str(n + 1), f"{title}, Example Monitor, 14 March 2023, {url}",
                            Kind.WEB, title=title, publisher="Example Monitor",
                            date="2023-03-14", date_precision=DatePrecision.DAY, url=url))
    return out


def best(rounds: int, action) -> tuple[float, float]:
    """The best wall time of `rounds` runs of `action`, and the CPU time of that run."""
    results = []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        results.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(results)


def fetch_only(urls: list[str], settings: Settings) -> None:
    """Resolve every URL as check does, and drop what came back."""
    with FetchSession(settings) as session:
        resolve_all(urls, settings, lambda url, resolution: resolution.close(), session)


def main() -> None:
    """Parse the arguments, set up the servers and the archive, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    pages = Pages(args.latency)
    servers = serve(pages, args.hosts)
    settings = Settings(allow_private=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "citations.yml"
        cites = citations([base for _, base in servers], args.links)
        path.write_text(dumps_citations(cites, DocumentInfo("bench.txt", "poi-text")))
        inputs = pipeline.load_inputs(path)
        archive = Path(folder) / "archive"
        started = time.perf_counter()
        pipeline.run(inputs, settings, archive)
        ran = time.perf_counter() - started
        urls = [c.url for c in cites]
        fetched = best(args.rounds, lambda: fetch_only(urls, settings))
        unchanged = best(args.rounds, lambda: check.check(inputs, settings, archive))
        pages.dynamic = True
        changed = best(args.rounds, lambda: check.check(inputs, settings, archive))
    for server, _ in servers:
        server.shutdown()
    print(f"{args.links} links on {args.hosts} hosts, {args.latency * 1000:.0f} ms latency, "
          f"{settings.workers} workers, {settings.per_host} per host; best of {args.rounds}")
    print(f"  run (archive the pages)         {ran:6.2f} s wall")
    rows = [("fetch only", fetched), ("check, unchanged", unchanged),
            ("check, every body different", changed)]
    for name, (wall, cpu) in rows:
        extra = (wall / fetched[0] - 1) * 100
        print(f"  {name:<31} {wall:6.2f} s wall  {cpu:6.2f} s CPU  "
              f"{extra:+5.0f}% vs fetch only")


if __name__ == "__main__":
    main()
