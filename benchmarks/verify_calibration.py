"""Calibrate verify/ on real pages: false findings on correct footnotes, planted errors caught.

Reads ../shared/corpus (manifest.jsonl and pages/; see its README.md). For every page it builds
the candidate sets the extractor will hand to verify/ (citecheck.extract when it is there, else a
quick lxml parse here), then makes footnotes from the gold values: correct ones with benign
variations (title truncated, cut at 40 characters, re-cased, typographic quotes, site name
appended or in front; date exact, a day either side, month or year only; publisher as site
name, title affix, domain or domain label) and wrong ones (another page's title, another
article of the same site, a date a month earlier or later or a year later, a year typo, day and
month swapped, another site as publisher). Dates are taken from pages whose gold date has trust
high or medium. It prints, per kind, the share of correct footnotes that got a warning or an
error (target <= 1 %), the share of planted errors caught (target >= 98 %), how many were
errors, got only info findings, or carry a hint, and the time verify_page takes.

    /work/venv/bin/python benchmarks/verify_calibration.py [--corpus DIR] [--own] [--show KIND]

--show KIND prints the footnotes of that kind that went the wrong way (flagged correct ones,
missed planted ones). Without the corpus it says so and exits 0.
"""

from __future__ import annotations

import argparse
import calendar
import copy
import importlib
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from htmldate import find_date
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from citecheck.models import (  # noqa: E402
    Candidate,
    Citation,
    DateCandidate,
    DatePrecision,
    Kind,
    PageMetadata,
    Severity,
)
from citecheck.verify.normalize import parts  # noqa: E402
from citecheck.verify.page import verify_page  # noqa: E402
from citecheck.verify.publishers import domain_candidates  # noqa: E402

# ../shared/corpus beside the checkout (CI), or higher up (a git worktree in the dev workspace)
DEFAULT_CORPUS = next((p / "shared" / "corpus" for p in ROOT.parents
                       if (p / "shared" / "corpus" / "manifest.jsonl").is_file()),
                      ROOT.parent / "shared" / "corpus")
SEED = 20260601

PUBLISHED_META = {
    "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
    "dcterms.issued", "sailthru.date", "parsely-pub-date", "citation_publication_date",
    "citation_date", "article.published", "published_time", "datecreated", "created",
    "original-publish-date", "cxenseparse:recs:publishtime", "bt:pubdate", "article_date_original",
}
MODIFIED_META = {
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "modified_time", "article.updated", "lastmod",
}
_ISO_DAY = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\.|$)")


# --------------------------------------------------------------------------- page candidates


def own_page(body: bytes, charset: str | None, url: str) -> PageMetadata:
    """Candidate sets from a quick lxml parse: a stand-in until citecheck.extract lands."""
    charset = (charset or "utf-8").split()[0]  # "utf-8 (declared iso-8859-1)"
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    try:
        tree = lxml.html.fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(
            encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return PageMetadata(content_type="text/html", size=len(body))
    ld = list(_json_ld(tree))
    return PageMetadata(
        content_type="text/html", size=len(body),
        titles=tuple(_dedupe(_titles(tree, ld))),
        dates=tuple(_dedupe(_dates(tree, ld, url, text))),
        site_names=tuple(_dedupe(_site_names(tree, ld))),
        text=_text(tree),
    )


def _meta(tree: etree._Element) -> Iterator[tuple[str, str]]:
    for node in tree.iter("meta"):
        name = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip()
        content = (node.get("content") or "").strip()
        if name and content:
            yield name.lower(), content


def _json_ld(tree: etree._Element) -> Iterator[dict]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        yield from _ld_nodes(data)


def _ld_nodes(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, list | dict):
                yield from _ld_nodes(value)


def _titles(tree: etree._Element, ld: list[dict]) -> Iterator[Candidate]:
    for name, content in _meta(tree):
        if name in ("og:title", "twitter:title", "dc.title", "headline"):
            yield Candidate(content, name)
    for node in ld:
        kind = str(node.get("@type", ""))
        if isinstance(node.get("headline"), str):
            yield Candidate(node["headline"], "json-ld:headline")
        if isinstance(node.get("name"), str) and re.search("Article|Posting|WebPage|Report", kind):
            yield Candidate(node["name"], "json-ld:name")
    title = tree.findtext(".//title")
    if title and title.strip():
        yield Candidate(title.strip(), "title")
        pieces = parts(title)
        if len(pieces) > 1:
            yield Candidate(max(pieces, key=len), "title:split")
    for tag, limit in (("h1", 3), ("h2", 3), ("h3", 2)):
        for node in tree.xpath(f"//{tag}")[:limit]:
            value = " ".join(node.text_content().split())
            if value:
                yield Candidate(value, tag)


def _dates(tree: etree._Element, ld: list[dict], url: str, html: str) -> Iterator[DateCandidate]:
    for name, content in _meta(tree):
        role = ("published" if name in PUBLISHED_META else
                "modified" if name in MODIFIED_META else None)
        day = _iso_day(content)
        if role and day:
            yield DateCandidate(day, role, f"meta:{name}")
    for node in ld:
        for field, role in (("datePublished", "published"), ("dateCreated", "published"),
                            ("dateModified", "modified")):
            day = _iso_day(str(node.get(field, "")))
            if day:
                yield DateCandidate(day, role, f"json-ld:{field}")
    for node in tree.xpath("//time[@datetime] | //*[@itemprop][@datetime or @content]"):
        prop = (node.get("itemprop") or "").lower()
        role = ("published" if prop in ("datepublished", "datecreated") else
                "modified" if prop == "datemodified" else "other")
        day = _iso_day(node.get("datetime") or node.get("content") or "")
        if day and (node.tag == "time" or prop.startswith("date")):
            yield DateCandidate(day, role, f"itemprop:{prop}" if prop else "time")
    match = _URL_DAY.search(url)
    if match and (day := _valid(*match.groups())):
        yield DateCandidate(day, "other", "url")
    yield from _text_dates(_text(copy.deepcopy(tree)))
    for original, role in ((True, "other"), (False, "modified")):
        found = find_date(html, original_date=original, extensive_search=True,
                          min_date="1800-01-01", url=url)
        if found:
            yield DateCandidate(found, role, f"htmldate:{'original' if original else 'latest'}")


MONTH_NAMES = ("january february march april may june july august september october november "
               "december januar februar märz april mai juni juli august september oktober "
               "november dezember")
MONTHS = {name: i % 12 + 1 for i, name in enumerate(MONTH_NAMES.split())}
_TEXT_DAY = re.compile(
    r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)\b"
    r"|\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"
    r"|\b(\d{1,2})\.?\s+([a-zä]+)\s+((?:19|20)\d\d)\b"
    r"|\b([a-z]+)\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def _text_dates(text: str, limit: int = 20) -> Iterator[DateCandidate]:
    """Dates written in the text (d.m.y, ISO, English and German month names), the first few."""
    found = 0
    for match in _TEXT_DAY.finditer(text):
        g = match.groups()
        if g[0]:
            day = _valid(g[2], g[1], g[0])
        elif g[3]:
            day = _valid(g[3], g[4], g[5])
        elif g[7] and g[7].lower() in MONTHS:
            day = _valid(g[8], str(MONTHS[g[7].lower()]), g[6])
        elif g[9] and g[9].lower() in MONTHS:
            day = _valid(g[11], str(MONTHS[g[9].lower()]), g[10])
        else:
            day = None
        if day:
            yield DateCandidate(day, "other", "text")
            found += 1
            if found >= limit:
                return


def _site_names(tree: etree._Element, ld: list[dict]) -> Iterator[Candidate]:
    for name, content in _meta(tree):
        if name in ("og:site_name", "application-name", "twitter:site"):
            yield Candidate(content.lstrip("@"), name)
    for node in ld:
        publisher = node.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            yield Candidate(publisher["name"], "json-ld:publisher")
    title = tree.findtext(".//title") or ""
    pieces = parts(title)
    if len(pieces) > 1:
        longest = max(pieces, key=len)
        for piece in (pieces[-1], pieces[0]):
            if piece != longest:
                yield Candidate(piece, "title:affix")


def _text(tree: etree._Element) -> str:
    for node in tree.xpath("//script | //style | //noscript"):
        node.drop_tree()
    body = tree.find(".//body")
    return " ".join((body if body is not None else tree).text_content().split())[:200_000]


def _iso_day(value: str) -> str | None:
    match = _ISO_DAY.search(value)
    return _valid(*match.groups()) if match else None


def _valid(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _dedupe(items: Iterator) -> list:
    return list(dict.fromkeys(items))


def extract_with_citecheck(body: bytes, charset: str | None, url: str) -> PageMetadata | None:
    """The real extractor's PageMetadata, once citecheck.extract provides extract_page."""
    extract_page = None
    for module in ("citecheck.extract", "citecheck.extract.page"):
        try:
            extract_page = getattr(importlib.import_module(module), "extract_page", None)
        except ImportError:
            continue
        if extract_page is not None:
            break
    if extract_page is None:
        return None
    headers = [("Content-Type", f"text/html; charset={charset}")] if charset else []
    return extract_page(body, url=url, headers=headers)


# --------------------------------------------------------------------------- footnotes


@dataclass(frozen=True)
class Case:
    """One made-up footnote: which kind, whether it is correct, the citation."""

    kind: str
    correct: bool
    citation: Citation
    page: int


def site_name(page: PageMetadata, url: str) -> str | None:
    """The name an author would append: og:site_name unless it is a tagline, else the affix."""
    for source in ("og:site_name", "json-ld:publisher", "title:affix"):
        found = next((c.value for c in page.site_names if c.source == source), None)
        if found and len(found) <= 40:
            return found
    return None


def title_cases(i: int, row: dict, page: PageMetadata, rows: list[dict],
                pages: list[PageMetadata], rng: random.Random) -> Iterator[Case]:
    gold = row["gold_title"]
    yield _case("title: exact", True, i, title=gold)
    words = gold.split()
    if len(words) >= 6:
        yield _case("title: truncated", True, i, title=" ".join(words[: -(-len(words) * 6 // 10)])
                    + "…")
    elif len(gold) >= 16 and " " not in gold:
        yield _case("title: truncated", True, i, title=gold[: len(gold) * 6 // 10] + "…")
    if gold.upper() != gold.lower():
        yield _case("title: re-cased", True, i,
                    title=gold.upper() if rng.random() < 0.5 else gold.lower())
    if len(gold) > 50:
        yield _case("title: cut at 40 characters", True, i, title=gold[:40] + "...")
    typographic = gold.replace("'", "’").replace(" - ", " – ").replace('"', "“", 1)
    yield _case("title: typographic quotes and dashes", True, i, title=typographic)
    site = site_name(page, row["url"])
    if site and site.lower() not in gold.lower():
        yield _case("title: site name appended", True, i, title=f"{gold} | {site}")
        yield _case("title: site name first", True, i, title=f"{site} - {gold}")
    other = _other(i, rows, rng, need="gold_title")
    yield _case("title: another page's title", False, i, title=rows[other]["gold_title"])
    if site:
        yield _case("title: same site, another article", False, i,
                    title=f"{rows[other]['gold_title']} | {site}")


def date_cases(i: int, row: dict, rng: random.Random) -> Iterator[Case]:
    gold = date.fromisoformat(row["gold_date"])
    yield _case("date: exact day", True, i, date=gold.isoformat())
    yield _case("date: a day later (time zone)", True, i, date=(gold + timedelta(1)).isoformat())
    yield _case("date: a day earlier (time zone)", True, i,
                date=(gold - timedelta(1)).isoformat())
    yield _case("date: month only", True, i, date=gold.isoformat()[:7],
                precision=DatePrecision.MONTH)
    yield _case("date: year only", True, i, date=gold.isoformat()[:4], precision=DatePrecision.YEAR)
    yield _case("date: a month later", False, i, date=_add_months(gold, 1).isoformat())
    yield _case("date: a month earlier", False, i, date=_add_months(gold, -1).isoformat())
    yield _case("date: a year later", False, i, date=_add_months(gold, 12).isoformat())
    digit = rng.choice([d for d in "0123456789" if d != str(gold.year)[-1]
                        and abs(int(d) - gold.year % 10) > 1])
    typo = _add_months(gold, 12 * (int(digit) - gold.year % 10))
    yield _case("date: year typo", False, i, date=typo.isoformat())
    if gold.day <= 12 and gold.day != gold.month:
        yield _case("date: day and month swapped", False, i,
                    date=date(gold.year, gold.day, gold.month).isoformat())


def publisher_cases(i: int, row: dict, page: PageMetadata, rows: list[dict],
                    pages: list[PageMetadata], rng: random.Random) -> Iterator[Case]:
    url = final_url(row)
    for candidate in page.site_names:
        if candidate.source in ("og:site_name", "json-ld:publisher"):
            yield _case(f"publisher: {candidate.source}", True, i, publisher=candidate.value)
            break
    domain = domain_candidates(url)[0].value
    yield _case("publisher: domain", True, i, publisher=domain)
    yield _case("publisher: domain label, capitalised", True, i,
                publisher=domain.split(".")[0].capitalize())
    for candidate in page.site_names:
        if candidate.source == "title:affix" and not candidate.value.isdigit():
            yield _case("publisher: title affix", True, i, publisher=candidate.value)
            break
    for _ in range(20):
        other = _other(i, rows, rng)
        name = site_name(pages[other], rows[other]["url"])
        if name and _registrable(final_url(rows[other])) != _registrable(url):
            yield _case("publisher: another site", False, i, publisher=name)
            return


def _case(kind: str, correct: bool, page: int, *, title: str | None = None,
          date: str | None = None, precision: DatePrecision | None = None,
          publisher: str | None = None) -> Case:
    if date and precision is None:
        precision = DatePrecision.DAY
    citation = Citation(id=str(page), text="", kind=Kind.WEB, title=title, date=date,
                        date_precision=precision, publisher=publisher)
    return Case(kind, correct, citation, page)


def _other(i: int, rows: list[dict], rng: random.Random, need: str = "url") -> int:
    """Another page, of another site, that has the field `need`."""
    while True:
        other = rng.randrange(len(rows))
        if other != i and rows[other].get(need) and \
                _registrable(final_url(rows[other])) != _registrable(final_url(rows[i])):
            return other


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def final_url(row: dict) -> str:
    return row.get("page_canonical_url") or row["url"]


def _registrable(url: str) -> str:
    return domain_candidates(url)[0].value if domain_candidates(url) else urlsplit(url).netloc


# --------------------------------------------------------------------------- measuring


def flagged(findings: list) -> list:
    """Findings that an author would have to act on: warnings and errors."""
    return [f for f in findings if f.severity.rank >= Severity.WARNING.rank]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--own", action="store_true", help="use the lxml stand-in, not extract/")
    parser.add_argument("--show", default="", help="print the findings of kinds containing this")
    args = parser.parse_args()
    manifest = args.corpus / "manifest.jsonl"
    if not manifest.is_file():
        print(f"skipped: the real-page corpus is not at {args.corpus} "
              "(it is only present in the dev workspace; pass --corpus DIR)")
        return 0
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    started = time.perf_counter()
    pages, extractor = load_pages(rows, args.corpus, own=args.own)
    print(f"{len(rows)} pages, candidates from {extractor} "
          f"in {time.perf_counter() - started:.1f} s")
    cases = make_cases(rows, pages)
    report(cases, rows, pages, args.show)
    report_alt_titles(rows, pages)
    return 0


def load_pages(rows: list[dict], corpus: Path, *, own: bool) -> tuple[list[PageMetadata], str]:
    pages, extractor = [], "lxml stand-in (benchmarks/verify_calibration.py)"
    for row in rows:
        body = (corpus / row["file"]).read_bytes()
        page = None if own else extract_with_citecheck(body, row.get("charset"), row["url"])
        if page is not None:
            extractor = "citecheck.extract"
        pages.append(page or own_page(body, row.get("charset"), row["url"]))
    return pages, extractor


def _usable_date(row: dict) -> bool:
    """A gold date worth testing against: ISO, and trusted (README: trust high or medium)."""
    value = row.get("gold_date")
    if row.get("trust", "high") not in ("high", "medium") or not isinstance(value, str):
        return False
    match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value)
    return match is not None and _valid(*match.groups()) is not None


def make_cases(rows: list[dict], pages: list[PageMetadata]) -> list[Case]:
    rng = random.Random(SEED)
    cases: list[Case] = []
    for i, (row, page) in enumerate(zip(rows, pages, strict=True)):
        if row.get("gold_title"):
            cases.extend(title_cases(i, row, page, rows, pages, rng))
        if _usable_date(row):
            cases.extend(date_cases(i, row, rng))
        cases.extend(publisher_cases(i, row, page, rows, pages, rng))
    return cases


def report(cases: list[Case], rows: list[dict], pages: list[PageMetadata], show: str) -> None:
    """Per kind: footnotes, how many got a warning or an error, an error, only info, a hint."""
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    timings = []
    kinds = {case.kind: case.correct for case in cases}
    for case in cases:
        started = time.perf_counter()
        page, url = pages[case.page], final_url(rows[case.page])
        findings = verify_page(case.citation, page, final_url=url)
        timings.append(time.perf_counter() - started)
        hits = flagged(findings)
        counts = by_kind[case.kind]
        counts[0] += 1
        counts[1] += bool(hits)
        counts[2] += any(f.severity is Severity.ERROR for f in hits)
        counts[3] += bool(findings) and not hits
        counts[4] += any(f.evidence.get("hint") for f in findings)
        if show and show in case.kind and bool(hits) == case.correct:
            print(f"  [{case.kind}] {rows[case.page]['file']}: "
                  f"{[f.message for f in findings] or 'no finding'}")
    print(f"\n{'kind':40} {'n':>5} {'flagged':>8} {'share':>7} {'errors':>7} {'info only':>9}"
          f" {'hint':>5}")
    for correct, label in ((True, "correct footnotes (target <= 1 % flagged)"),
                           (False, "planted errors (target >= 98 % caught)")):
        print(f"-- {label}")
        rows_of = sorted((kind, counts) for kind, counts in by_kind.items()
                         if kinds[kind] == correct)
        for kind, (n, hit, errors, info, hint) in rows_of:
            print(f"{kind:40} {n:5} {hit:8} {100 * hit / n:6.1f}% {errors:7} {info:9} {hint:5}")
        n, hit, errors, info, hint = (sum(c[i] for _, c in rows_of) for i in range(5))
        print(f"{'all':40} {n:5} {hit:8} {100 * hit / n:6.1f}% {errors:7} {info:9} {hint:5}")
    ms = sorted(t * 1000 for t in timings)
    print(f"\nverify_page: mean {statistics.mean(ms):.3f} ms, "
          f"p95 {ms[int(len(ms) * 0.95)]:.3f} ms over {len(ms)} footnotes")


def report_alt_titles(rows: list[dict], pages: list[PageMetadata]) -> None:
    """Titles an older copy of the page had (gold_title_alt): real changed titles, for interest."""
    print("\nolder titles of 8 changed pages (not in the figures):")
    for i, row in enumerate(rows):
        alt = (row.get("gold_title_alt") or {}).get("value")
        if alt:
            citation = _case("alt", False, i, title=alt).citation
            codes = [f"{f.code}/{f.severity}" for f in verify_page(citation, pages[i],
                                                                  final_url=final_url(row))]
            print(f"  {alt[:70]!r}: {codes or 'match'}")


if __name__ == "__main__":
    sys.exit(main())
