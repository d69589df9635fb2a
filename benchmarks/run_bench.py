"""`citecheck run` against a slow pretend web, beside `wget --warc-file` on the same links.

    /work/venv/bin/python benchmarks/run_bench.py [--links 300 1000] [--hosts 60]
        [--latency 0.1] [--repeat 1] [--corpus DIR] [--no-wget] [--keep DIR] [--profile FILE]
        [-- FLAGS]

N short links go through ONE shortener (127.0.0.1) to N real pages (../shared/corpus/pages,
each made unique by a comment) spread over 60 sites (127.0.0.2 … 127.0.0.61); every response
waits `latency` (100 ms) first. citecheck runs as a subprocess on a generated citations.yml
(`run --allow-private`, the default 16 workers and 4 requests at once per host); wget fetches
the same list in one sequential invocation (`-i`, `--max-redirect`, no recursion), as an
archivist would script it. For each it prints wall time, links per second, CPU time and the peak
RSS of the process (VmHWM). The politeness floor is links × latency ÷ 4: the shortener answers
at most 4 requests at once, so no polite client can be faster.
Without the corpus it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from pretend_web import PretendWeb  # noqa: E402
from shared_paths import SHARED  # noqa: E402

from citecheck.citations.store import dumps_citations  # noqa: E402
from citecheck.models import Citation, DocumentInfo, Kind  # noqa: E402
from citecheck.settings import Settings  # noqa: E402

WGET = "/usr/bin/wget"


@dataclass(frozen=True)
class Page:
    """A corpus page: its bytes and the title and date a footnote would cite."""

    body: bytes
    title: str | None
    date: str | None


@dataclass(frozen=True)
class Measured:
    """One process's figures."""

    wall: float
    cpu: float  # user + system seconds, child processes included
    peak_rss_mb: float
    helper_rss_mb: float  # the largest peak of a child process (citecheck's extraction helper)
    together_mb: float  # the most the process and its children held at once (sampled)
    returncode: int


def load_pages(corpus: Path) -> list[Page]:
    """Every page of the corpus with its gold title and date."""
    pages = []
    for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        pages.append(Page((corpus / row["file"]).read_bytes(), row.get("gold_title"),
                          row.get("gold_date")))
    return pages


def workload(pages: list[Page], links: int) -> list[Page]:
    """`links` pages, cycling through the corpus, each body made unique (no deduplication)."""
    return [Page(page.body + f"\n<!-- pretend web page {n} -->\n".encode(), page.title,
                 page.date) for n, page in ((n, pages[n % len(pages)]) for n in range(links))]


def citations_yml(pages: list[Page], urls: list[str]) -> str:
    """A citations.yml citing each page by its short link, gold title and date."""
    citations = [Citation(id=str(n + 1), text=f"{page.title}, link: {url}", kind=Kind.WEB,
                          title=page.title, date=page.date, url=url)
                 for n, (page, url) in enumerate(zip(pages, urls, strict=True))]
    return dumps_citations(citations, DocumentInfo("pretend-report.txt", "poi-text", None))


def measure(command: list[str], cwd: Path) -> Measured:
    """Run a command: wall time, CPU time (wait4) and peak RSS (VmHWM) of that process alone.

    The peak is read from /proc/PID/status while the process runs: wait4's ru_maxrss would
    count the pages of this (large) process that the child shared between fork and exec.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peaks: dict[str, int] = {}
    watcher = threading.Thread(target=_watch_peak, args=(proc.pid, peaks), daemon=True)
    watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1, 8):  # citecheck: 1 = findings; wget: 8 = server errors
        print(f"  {command[0]} exited {proc.returncode}: {err.strip()[:500]}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, peaks.get("main", 0) / 1024,
                    peaks.get("helpers", 0) / 1024, peaks.get("together", 0) / 1024,
                    proc.returncode)


def _watch_peak(pid: int, peaks: dict[str, int]) -> None:
    """Until the process is gone: its VmHWM (kB), its helpers' (child processes) largest
    VmHWM, and the largest sum of their VmRSS seen at once."""
    while True:
        main = _status(pid)
        if main is None or main.get("State", "").startswith("Z"):
            return
        helpers = [s for s in map(_status, _children(pid)) if s is not None]
        peaks["main"] = max(peaks.get("main", 0), _kb(main, "VmHWM"))
        peaks["helpers"] = max([peaks.get("helpers", 0), *(_kb(h, "VmHWM") for h in helpers)])
        together = _kb(main, "VmRSS") + sum(_kb(h, "VmRSS") for h in helpers)
        peaks["together"] = max(peaks.get("together", 0), together)
        time.sleep(0.02)


def _status(pid: int) -> dict[str, str] | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _kb(status: dict[str, str], key: str) -> int:
    return int(status.get(key, "0 kB").split()[0])


def run_citecheck(folder: Path, extra: list[str], profile: Path | None) -> Measured:
    spy = ["py-spy", "record", "--format", "raw", "--rate", "100", "--gil", "-o",
           str(profile.resolve()), "--"] if profile else []
    return measure([*spy, sys.executable, "-m", "citecheck", "run", "citations.yml", "--archive",
                    "archive", "--allow-private", "--format", "json", "-o", "report.json",
                    "-q", *extra], folder)


def run_wget(folder: Path, urls: list[str]) -> Measured:
    (folder / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    return measure([WGET, "--no-config", "-q", "-i", "urls.txt", "--max-redirect=10",
                    "--tries=3", "--timeout=20", "--warc-file=wget", "-P", "wget-files"],
                   folder)


def statuses(folder: Path) -> Counter[str]:
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return Counter(c["status"] for c in report["citations"])


def line(name: str, links: int, figures: Measured) -> str:
    return (f"  {name:<10} {figures.wall:7.2f} s  {links / figures.wall:6.1f} links/s  "
            f"CPU {figures.cpu:6.2f} s  peak RSS {figures.peak_rss_mb:6.1f} MB"
            + (f" + helper {figures.helper_rss_mb:.1f} MB (together at most "
               f"{figures.together_mb:.1f} MB)" if figures.helper_rss_mb else ""))


def bench(pages: list[Page], links: int, args: argparse.Namespace, folder: Path) -> None:
    chosen = workload(pages, links)
    per_host = Settings().per_host
    floor = links * args.latency / per_host
    load = os.getloadavg()[0]  # other work on the machine shows in the wall times
    with PretendWeb([p.body for p in chosen], hosts=args.hosts, latency=args.latency) as web:
        urls = web.short_urls
        runs = [run_once(folder / f"citecheck-{n}", chosen, urls, args)
                for n in range(args.repeat)]
        served = web.requests_by_kind()
        peak = web.stats["127.0.0.1"].peak
        theirs = run_wget(folder, urls) if args.wget else None
    best = min(runs, key=lambda measured: measured.wall)
    last = folder / f"citecheck-{args.repeat - 1}"
    size = sum(p.stat().st_size for p in (last / "archive" / "warc").glob("*.warc.gz"))
    print(f"{links} links, {args.hosts} sites, {args.latency * 1000:.0f} ms per response "
          f"(load average before: {load:.1f}):")
    print(line("citecheck", links, best) + f"  ({dict(statuses(last))}, WARC "
          f"{size / 1e6:.1f} MB, shortener: {served['shortener'] // args.repeat} requests a "
          f"run, at most {peak} at once)")
    if len(runs) > 1:
        print(f"  (best of {len(runs)} runs; all: "
              f"{', '.join(f'{m.wall:.2f} s' for m in runs)})")
    if theirs is not None:
        print(line("wget", links, theirs) + f"  ({theirs.wall / best.wall:.1f}x citecheck's "
              "time)")
    print(f"  politeness floor {floor:.2f} s ({links} x {args.latency:g} s / {per_host} at once "
          f"on the shortener); citecheck at {best.wall / floor:.2f}x the floor")


def run_once(folder: Path, chosen: list[Page], urls: list[str],
             args: argparse.Namespace) -> Measured:
    """One citecheck run on a fresh archive in its own folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "citations.yml").write_text(citations_yml(chosen, urls), encoding="utf-8")
    return run_citecheck(folder, args.citecheck_args, args.profile)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--hosts", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per response")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--no-wget", dest="wget", action="store_false")
    parser.add_argument("--repeat", type=int, default=1, help="run citecheck this many times "
                        "(each on a fresh archive) and print the fastest")
    parser.add_argument("--profile", type=Path, help="record citecheck with py-spy (collapsed "
                        "stacks, GIL holders only) into this file; the times are then off")
    parser.add_argument("--keep", type=Path, help="keep each run's folder under this one")
    parser.add_argument("citecheck_args", nargs="*", help="more flags for citecheck run "
                        "(after --)")
    args = parser.parse_args()
    if not (args.corpus / "manifest.jsonl").is_file():
        print(f"run_bench: the real-page corpus is not at {args.corpus} (it lives in the dev "
              "workspace, ../shared/corpus); nothing measured")
        return 0
    pages = load_pages(args.corpus)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
          f"{len(pages)} corpus pages")
    for links in args.links:
        if args.keep:
            folder = args.keep / f"links-{links}"
            folder.mkdir(parents=True, exist_ok=True)
            bench(pages, links, args, folder)
            continue
        with tempfile.TemporaryDirectory(prefix="citecheck-run-bench-") as tmp:
            bench(pages, links, args, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
