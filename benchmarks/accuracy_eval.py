"""How well `citecheck run` verifies footnotes against real pages, end to end (issue 4).

Serves every page of ../shared/corpus whose gold date has trust high or medium under its original
URL, through a local intercepting proxy (benchmarks/accuracy_web.py; every other source is cited
through a pretend tinyl.io shortener), writes two citations.yml files (accuracy_notes.py):
correct footnotes with benign variations, and footnotes with one planted error each, runs
`citecheck run --proxy … --format json` on each (a subprocess, as a user would) and scores
the reports:

* extraction: the found title and publication date against the gold ones, and whether the gold
  date and title are among the page's candidates (extract_page, in-process);
* false findings: warnings and errors on correct footnotes (info findings ask for nothing and
  are not counted), per variant and per note, each one listed;
* planted errors caught: the matching finding code at warning or error, per kind;
* time: extraction and verify CPU per page (in-process), and each run's wall time.

The pages are split by a hash of their file name: a third is held out (never looked at while
tuning); every figure is given for the tuning part, the held-out part and all pages.

    /work/venv/bin/python benchmarks/accuracy_eval.py [--corpus DIR] [--work DIR] [--write-docs]
        [--show tune|holdout|all|none]

--write-docs rewrites the figures of the `## Accuracy` section of docs/benchmarks.md.
--in-process verifies the notes in-process (no server, no CLI; link errors left out): quicker.
CITECHECK_SRC=DIR measures the source tree DIR instead (e.g. an older checkout, for a before /
after comparison; it needs the `ca_bundle` setting). Without the corpus it says so and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# CITECHECK_SRC measures another source tree (a "before" checkout) with the same notes
SRC = Path(os.environ.get("CITECHECK_SRC") or ROOT / "src")
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(BENCH))

from accuracy_notes import (  # noqa: E402
    Note,
    NoteMaker,
    Source,
    acronym,
    correct_notes,
    domain_label,
    planted_notes,
    score,
)
from accuracy_report import SPLITS, Evaluation, figures_markdown, print_all, write_docs  # noqa: E402
from accuracy_run import in_process_report, run_citecheck  # noqa: E402
from accuracy_web import InterceptingProxy, PretendWeb  # noqa: E402
from extract_accuracy import title_matches  # noqa: E402

from citecheck.extract import extract_page  # noqa: E402
from citecheck.models import PageMetadata  # noqa: E402
from citecheck.verify.page import verify_page  # noqa: E402

CORPUS_PLACES = (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
DEFAULT_CORPUS = next((p for p in CORPUS_PLACES if p.is_dir()), CORPUS_PLACES[0])
SEED = 20260601
MAX_SITE_NAME = 60
MACHINE = "the dev container (2 cores, shared with other jobs)"


def holdout(file: str) -> bool:
    """Whether a page is in the held-out third (by a hash of its file name: stable, unbiased)."""
    return hashlib.sha1(file.encode("utf-8")).digest()[0] % 3 == 0


# --------------------------------------------------------------------------- corpus -> sources


def load_rows(corpus: Path) -> list[dict]:
    """Manifest rows of pages whose gold date is trusted (high or medium)."""
    rows = [json.loads(line) for line in (corpus / "manifest.jsonl").open(encoding="utf-8")]
    return [row for row in rows if row["trust"] in ("high", "medium") and row.get("gold_title")]


def parse(body: bytes, charset: str | None) -> etree._Element | None:
    """The page as an lxml tree, decoded in the charset it is saved in."""
    name = (charset or "utf-8").split(" ")[0]
    try:
        return lxml.html.fromstring(body.decode(name, errors="replace"))
    except (etree.ParserError, ValueError, LookupError):
        return None


def site_name(tree: etree._Element | None, row: dict) -> str | None:
    """The name the site gives itself: og:site_name, else the part of <title> naming the site."""
    for meta in tree.iter("meta") if tree is not None else ():
        if (meta.get("property") or meta.get("name") or "").lower() == "og:site_name":
            name = " ".join((meta.get("content") or "").split())
            if 2 <= len(name) <= MAX_SITE_NAME and row["gold_title"].casefold() not in \
                    name.casefold():  # some sites put the headline in og:site_name
                return name
    return _title_affix(row.get("page_title") or "", row["gold_title"], row["url"])


def _title_affix(title: str, gold: str, url: str) -> str | None:
    """The part of "Headline | Site | Tagline" that names the site: like the domain, else short."""
    pieces = [" ".join(p.split()) for p in re.split(r"\s+[|\-–—·:»]{1,2}\s+", title)]
    if len(pieces) < 2:
        return None
    pieces = [p for p in pieces if p and p.casefold() not in gold.casefold()]
    label = re.sub(r"\W", "", domain_label(url).casefold())
    for piece in pieces:
        letters = re.sub(r"\W", "", piece.casefold())
        if len(letters) >= 3 and (letters in label or label in letters):
            return piece
    if len(pieces) == 1 and len(pieces[0]) <= 40 and len(pieces[0].split()) <= 5:
        return pieces[0]
    return None


def page_text(tree: etree._Element | None) -> str:
    """The page's title and visible text, scripts and styles left out."""
    if tree is None:
        return ""
    for node in tree.xpath("//script | //style"):
        node.drop_tree()
    return " ".join(tree.text_content().split())


def make_sources(corpus: Path, rows: Sequence[dict]) -> tuple[list[Source], dict[str, bytes]]:
    """A Source per page, and the page bytes by file."""
    sources, bodies = [], {}
    for row in rows:
        body = (corpus / row["file"]).read_bytes()
        bodies[row["file"]] = body
        tree = parse(body, row.get("charset"))
        name = site_name(tree, row)
        sources.append(Source(row["file"], row["url"], row["gold_title"], row["gold_date"],
                              name, acronym(name, row["url"], page_text(tree))))
    return sources, bodies


# --------------------------------------------------------------------------- running citecheck


# --------------------------------------------------------------------------- extraction


@dataclass
class PageFacts:
    """Extraction figures of one page, measured in-process."""

    file: str
    page: PageMetadata
    extract_cpu: float
    verify_cpu: float = 0.0


def extract_all(rows: Sequence[dict], bodies: dict[str, bytes]) -> dict[str, PageFacts]:
    """extract_page on every page, timed (CPU), after one warm-up page."""
    facts = {}
    for index, row in enumerate(rows):
        headers = [("Content-Type", _content_type(row.get("charset")))]
        if index == 0:  # the first call loads dateparser's locales and htmldate: not per page
            extract_page(bodies[row["file"]], url=row["url"], headers=headers)
        started = time.process_time()
        page = extract_page(bodies[row["file"]], url=row["url"], headers=headers)
        facts[row["file"]] = PageFacts(row["file"], page, time.process_time() - started)
    return facts


def _content_type(charset: str | None) -> str:
    name = (charset or "").split(" ")[0]
    return f"text/html; charset={name}" if name else "text/html"


def time_verify(facts: dict[str, PageFacts], notes: Sequence[Note],
                urls: dict[str, str]) -> None:
    """verify_page CPU time of every note, added to its page's facts."""
    for note in notes:
        page = facts[note.source]
        started = time.process_time()
        verify_page(note.citation, page.page, final_url=urls[note.source])
        page.verify_cpu += time.process_time() - started


def extraction_table(rows: Sequence[dict], facts: dict[str, PageFacts],
                     report: dict, notes: Sequence[Note]) -> dict[str, dict[str, float]]:
    """Per split: shares of pages whose found/candidate dates and titles fit the gold ones."""
    found = _found_by_source(report, notes)
    table: dict[str, dict[str, float]] = {}
    for split in SPLITS:
        chosen = [row for row in rows if _in_split(row["file"], split)]
        table[split] = _extraction_shares(chosen, facts, found)
    return table


def _found_by_source(report: dict, notes: Sequence[Note]) -> dict[str, dict]:
    by_id = {item["id"]: item for item in report["citations"]}
    return {note.source: by_id[note.citation.id].get("found") or {} for note in notes}


def _extraction_shares(rows: Sequence[dict], facts: dict[str, PageFacts],
                       found: dict[str, dict]) -> dict[str, float]:
    counts = dict.fromkeys(("pages", "date found", "date in candidates", "title found",
                            "title found (equal)", "title in candidates"), 0)
    for row in rows:
        page, seen = facts[row["file"]].page, found.get(row["file"], {})
        equal, fuzzy = title_matches(row["gold_title"], seen.get("title"))
        counts["pages"] += 1
        counts["date found"] += seen.get("published") == row["gold_date"]
        counts["date in candidates"] += any(d.value == row["gold_date"] for d in page.dates)
        counts["title found"] += fuzzy
        counts["title found (equal)"] += equal
        counts["title in candidates"] += any(title_matches(row["gold_title"], c.value)[1]
                                             for c in page.titles)
    n = counts.pop("pages") or 1
    return {"pages": n, **{key: 100.0 * value / n for key, value in counts.items()}}


def split_files(rows: Sequence[dict], split: str) -> set[str]:
    """The files of the pages in a split (tune, holdout, all)."""
    return {row["file"] for row in rows if _in_split(row["file"], split)}


def _in_split(file: str, split: str) -> bool:
    return split == "all" or holdout(file) == (split == "holdout")


# --------------------------------------------------------------------------- evaluating


def build(corpus: Path) -> tuple[list[dict], dict[str, bytes], PretendWeb, list[Note]]:
    """The rows, the page bytes, the pretend web, and every note (correct and planted)."""
    rows = load_rows(corpus)
    sources, bodies = make_sources(corpus, rows)
    web = PretendWeb()
    for row in rows:
        web.add_page(row["url"], bodies[row["file"]], row.get("charset"))
    maker = NoteMaker(web, random.Random(SEED))
    correct_notes(maker, sources)
    planted_notes(maker, sources)
    return rows, bodies, web, maker.notes


def evaluate(corpus: Path, *, work: Path | None = None, end_to_end: bool = True) -> Evaluation:
    """Build the notes, run citecheck on them (or verify in-process), and score everything."""
    rows, bodies, web, notes = build(corpus)
    facts = extract_all(rows, bodies)
    urls = {row["file"]: row["url"] for row in rows}
    correct = [note for note in notes if note.correct]
    time_verify(facts, correct, urls)
    runs = {}
    if end_to_end:
        runs = _run_both(web, notes, work)
        report = {"citations": [item for run in runs.values()
                                for item in run.report["citations"]]}
        found_report = runs["correct"].report
    else:
        notes, report = in_process_report(notes, {k: f.page for k, f in facts.items()}, urls)
        found_report = report
    return Evaluation(
        scores={split: score(notes, report, split_files(rows, split)) for split in SPLITS},
        extraction=extraction_table(rows, facts, found_report, correct),
        times=cpu_times(facts), runs=runs, pages=len(rows),
        notes=(len(correct), sum(not note.correct for note in notes)))


def _run_both(web: PretendWeb, notes: Sequence[Note], work: Path | None) -> dict:
    """citecheck run on the correct notes, then on the planted ones, behind the proxy."""
    with tempfile.TemporaryDirectory() as temp, InterceptingProxy(web) as proxy:
        folder = work or Path(temp)
        return {name: run_citecheck(folder / name, [n for n in notes if n.correct == wanted],
                                    proxy, src=SRC)
                for name, wanted in (("correct", True), ("planted", False))}


def cpu_times(facts: dict[str, PageFacts]) -> dict[str, float]:
    """Mean and 95th percentile CPU milliseconds per page, for extraction and verify."""
    times = {}
    for name in ("extract", "verify"):
        ms = sorted(1000 * getattr(page, f"{name}_cpu") for page in facts.values())
        times[f"{name} mean ms"] = sum(ms) / len(ms)
        times[f"{name} p95 ms"] = ms[int(0.95 * (len(ms) - 1))]
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--work", type=Path, help="keep the runs here (default: a temp folder)")
    parser.add_argument("--show", choices=(*SPLITS, "none"), default="tune",
                        help="list false findings and misses of this split (default: tune)")
    parser.add_argument("--in-process", action="store_true",
                        help="verify in-process instead of through citecheck run")
    parser.add_argument("--write-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (## Accuracy)")
    args = parser.parse_args()
    if not (args.corpus / "manifest.jsonl").is_file():
        print(f"skipped: the real-page corpus is not at {args.corpus} "
              "(it is only present in the dev workspace; pass --corpus DIR)")
        return 0
    evaluation = evaluate(args.corpus, work=args.work, end_to_end=not args.in_process)
    print(f"{evaluation.pages} pages, {evaluation.notes[0]} correct and {evaluation.notes[1]} "
          f"planted footnotes ({'in-process' if args.in_process else 'citecheck run'})")
    print_all(evaluation, args.show)
    if args.write_docs:
        write_docs(ROOT / "docs" / "benchmarks.md", figures_markdown(evaluation, MACHINE))
        print("\nwrote the figures into docs/benchmarks.md (## Accuracy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
