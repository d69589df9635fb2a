"""Accuracy and speed of citecheck.extract on the real-page corpus (../shared/corpus).

Over pages whose gold date is trusted (high/medium) it prints the share where the gold date
is the `published` value, where it is among the date candidates, where the gold title
equals / fuzzy-matches the best `title` and is among the title candidates, and the time per
page. `--misses` lists the pages that miss, for looking into them.

    python benchmarks/extract_accuracy.py [--corpus DIR] [--misses dates|titles|published]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from citecheck.extract import extract_page  # noqa: E402

# beside the repository (a clone next to shared/), or beside its worktree folder
CORPUS_PLACES = (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
DEFAULT_CORPUS = next((p for p in CORPUS_PLACES if p.is_dir()), CORPUS_PLACES[0])
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                         "\u00a0": " "})


def normalise(text: str) -> str:
    """Case, width, quotes, dashes and spaces folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def title_matches(gold: str, found: str | None) -> tuple[bool, bool]:
    """(equal after normalising, fuzzy match): ratio >= 90, or one inside the other."""
    if not found:
        return False, False
    a, b = normalise(gold), normalise(found)
    if a == b:
        return True, True
    short, long = sorted((a, b), key=len)
    inside = len(short) >= 0.5 * len(long) and fuzz.partial_ratio(short, long) >= 95
    return False, fuzz.ratio(a, b) >= 90 or inside


def load_rows(corpus: Path) -> list[dict]:
    """Manifest rows whose gold date is trusted (high or medium)."""
    rows = [json.loads(line) for line in (corpus / "manifest.jsonl").open(encoding="utf-8")]
    return [row for row in rows if row["trust"] in ("high", "medium")]


def measure(corpus: Path, rows: list[dict]) -> list[dict]:
    """Run extract_page on every page; one result dict per page."""
    results = []
    for row in rows:
        body = (corpus / row["file"]).read_bytes()
        start, cpu_start = time.perf_counter(), time.process_time()
        page = extract_page(body, url=row["url"], headers=[("Content-Type", "text/html")])
        elapsed = (time.perf_counter() - start) * 1000
        cpu = (time.process_time() - cpu_start) * 1000
        gold_title = row.get("gold_title")
        equal, fuzzy = title_matches(gold_title, page.title) if gold_title else (False, False)
        in_titles = bool(gold_title) and any(
            title_matches(gold_title, c.value)[1] for c in page.titles)
        results.append({
            "file": row["file"], "ms": elapsed, "cpu_ms": cpu, "kb": len(body) / 1000,
            "gold_date": row["gold_date"],
            "published": page.published, "published_source": page.published_source,
            "date_ok": page.published == row["gold_date"],
            "date_in": any(d.value == row["gold_date"] for d in page.dates),
            "gold_title": gold_title, "title": page.title, "title_source": page.title_source,
            "title_equal": equal, "title_fuzzy": fuzzy, "title_in": in_titles,
            "blocked": page.blocked, "soft404": page.soft404,
        })
    return results


def share(results: list[dict], key: str) -> str:
    """"n/N (p %)" for a boolean key."""
    hits = sum(1 for r in results if r[key])
    return f"{hits}/{len(results)} ({100 * hits / len(results):.1f} %)"


def report(results: list[dict]) -> None:
    """Print the figures."""
    titled = [r for r in results if r["gold_title"]]
    times = sorted(r["ms"] for r in results)
    print(f"pages (trust high/medium):         {len(results)}")
    print(f"gold date is `published`:          {share(results, 'date_ok')}")
    print(f"gold date among the candidates:    {share(results, 'date_in')}")
    print(f"gold title equals best `title`:    {share(titled, 'title_equal')}")
    print(f"gold title fuzzy-matches `title`:  {share(titled, 'title_fuzzy')}")
    print(f"gold title among the candidates:   {share(titled, 'title_in')}")
    print(f"flagged soft 404 / blocked:        {sum(bool(r['soft404']) for r in results)} / "
          f"{sum(bool(r['blocked']) for r in results)}")
    cpu = sorted(r["cpu_ms"] for r in results)
    per_100kb = 100 * sum(cpu) / sum(r["kb"] for r in results)
    print(f"wall ms per page:                  mean {statistics.mean(times):.1f}, "
          f"p95 {percentile(times, 0.95):.1f}, max {times[-1]:.1f}")
    print(f"cpu ms per page:                   mean {statistics.mean(cpu):.1f}, "
          f"p95 {percentile(cpu, 0.95):.1f}, max {cpu[-1]:.1f} "
          f"({per_100kb:.1f} ms per 100 KB)")


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie."""
    return values[int(share * (len(values) - 1))]


def print_misses(results: list[dict], what: str) -> None:
    """List the pages that miss one figure."""
    key = {"dates": "date_in", "published": "date_ok", "titles": "title_in",
           "best-title": "title_fuzzy"}[what]
    for r in results:
        if not r[key] and (what not in ("titles", "best-title") or r["gold_title"]):
            print(json.dumps({k: r[k] for k in ("file", "gold_date", "published",
                                                "published_source", "gold_title", "title",
                                                "title_source")}, ensure_ascii=False))


def main() -> int:
    """Measure and print; exit 2 when the corpus is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--misses", choices=("dates", "published", "titles", "best-title"))
    args = parser.parse_args()
    if not (args.corpus / "manifest.jsonl").is_file():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    rows = load_rows(args.corpus)
    start = time.perf_counter()
    measure(args.corpus, rows[:40])  # imports, and dateparser's locales for htmldate (once)
    print(f"warm-up, 40 pages (one-time loading): {time.perf_counter() - start:.1f} s")
    results = measure(args.corpus, rows)
    if args.misses:
        print_misses(results, args.misses)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
