"""Footnotes for accuracy runs: correct ones with benign variations, and ones with a planted error.

From a `Source` (a page's URL and its known title, date and site name) `correct_notes` makes
footnotes an author could fairly write (a title cut short, re-cased, with the site's name, with
typographic quotes; a date to the month or year; the publisher as site name, domain or short
name), and `planted_notes` makes footnotes with exactly one error each (another article's title,
a shifted or garbled date, another site as publisher, a dead link, a link that now redirects to
the site's home page). `score` reads a `citecheck run` JSON report against them. Used by
benchmarks/accuracy_eval.py and tests/accuracy/.
"""

from __future__ import annotations

import calendar
import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote, urlsplit

import tldextract
from accuracy_web import PretendWeb, Reply, home_url, url_key

from citecheck.models import Citation, DatePrecision, Kind

FLAGGING = ("warning", "error")  # info findings are not counted: they ask for nothing
FIELD_CODES = {"title": ("title-mismatch", "title-missing"),
               "date": ("date-mismatch", "date-missing", "date-matches-updated"),
               "publisher": ("publisher-mismatch",)}
PLANTED = {  # kind -> finding codes that catch it
    "title: another article's title": ("title-mismatch",),
    "title: same site, other article": ("title-mismatch",),
    "date: a month later": ("date-mismatch",),
    "date: a month earlier": ("date-mismatch",),
    "date: year typo": ("date-mismatch",),
    "date: day and month swapped": ("date-mismatch",),
    "publisher: another site": ("publisher-mismatch",),
    "link: dead": ("link-dead",),
    "link: redirect to the home page": ("link-soft-404",),
}
TITLE_VARIANTS = ("exact", "truncated", "re-cased", "site name appended", "typographic quotes")
DATE_VARIANTS = ("exact day", "month only", "year only")
PUBLISHER_VARIANTS = ("site name", "domain", "short name")
SHORTENER = "https://tinyl.io/"
HOME_PAGE = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>{name}</title></head>"
             "<body><header><h1>{name}</h1></header><main><h2>Latest</h2><ul>"
             "<li><a href=\"/a\">Today's top stories</a></li><li><a href=\"/b\">Opinion</a></li>"
             "</ul></main></body></html>")
_TITLE_SEPARATORS = (" | ", " - ")
_DOMAINS = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # the bundled list only


@dataclass(frozen=True)
class Source:
    """A page the footnotes cite, with what is known for sure about it."""

    key: str  # a name for reports: the corpus file name
    url: str
    title: str
    date: str | None = None  # ISO YYYY-MM-DD
    site_name: str | None = None  # the name the site gives itself (og:site_name, title affix)
    acronym: str | None = None  # the site's initials, when the page or its domain uses them

    @property
    def host(self) -> str:
        """The URL's host without "www."."""
        return (urlsplit(self.url).hostname or "").removeprefix("www.")


@dataclass(frozen=True)
class Note:
    """One generated footnote: the citation, its source, and what the evaluation expects."""

    citation: Citation
    source: str  # Source.key
    kinds: tuple[str, ...]  # "title: truncated"… (one per varied field) or the planted kind
    correct: bool

    @property
    def expect(self) -> tuple[str, ...]:
        """The codes that catch a planted error (empty for a correct note)."""
        return () if self.correct else PLANTED[self.kinds[0]]


@dataclass
class NoteMaker:
    """Makes notes with sequential ids, registering the URLs they need on the pretend web."""

    web: PretendWeb
    rng: random.Random
    shorten_every: int = 2  # every n-th source is cited through the pretend shortener
    notes: list[Note] = field(default_factory=list)
    _short: dict[str, str] = field(default_factory=dict)

    def add(self, source: Source, index: int, kinds: tuple[str, ...], correct: bool,
            url: str | None = None, **fields: Any) -> None:
        """One note on `source` (its URL, unless another is given)."""
        url = url or source.url
        if self.shorten_every and index % self.shorten_every == 1:
            url = self.short_link(url)
        note_id = str(len(self.notes) + 1)
        text = ", ".join(str(v) for v in (fields.get("title"), fields.get("publisher"),
                                          fields.get("date")) if v) + f", link: {url}"
        citation = Citation(id=note_id, text=text, kind=Kind.WEB, url=url, **fields)
        self.notes.append(Note(citation, source.key, kinds, correct))

    def short_link(self, url: str) -> str:
        """A pretend shortener's link to `url` (301), one per target."""
        if url not in self._short:
            short = f"{SHORTENER}{_base36(len(self._short) + 1000)}"
            self.web.add_redirect(short, url)
            self._short[url] = short
        return self._short[url]


def correct_notes(maker: NoteMaker, sources: Sequence[Source]) -> None:
    """Five correct notes per source: every title variant, dates and publishers in rotation."""
    for index, source in enumerate(sources):
        for n, title_kind in enumerate(TITLE_VARIANTS):
            date_kind = DATE_VARIANTS[(index + n) % len(DATE_VARIANTS)]
            publisher_kind = PUBLISHER_VARIANTS[(2 * index + n) % len(PUBLISHER_VARIANTS)]
            title_kind, title = _title_variant(source, title_kind, maker.rng)
            cited_date, precision = _date_variant(source.date, date_kind)
            publisher_kind, publisher = publisher_variant(source, publisher_kind)
            kinds = [f"title: {title_kind}", f"publisher: {publisher_kind}"]
            kinds += [f"date: {date_kind}"] if cited_date else []
            maker.add(source, index, tuple(kinds), True, title=title, date=cited_date,
                      date_precision=precision, publisher=publisher)


def planted_notes(maker: NoteMaker, sources: Sequence[Source]) -> None:
    """One note per planted error kind and source (where the kind applies to it)."""
    for index, source in enumerate(sources):
        for kind, changes in _errors(source, sources, maker):
            fields: dict[str, Any] = {
                "title": source.title, "publisher": source.site_name or source.host,
                "date": source.date,
                "date_precision": DatePrecision.DAY if source.date else None, **changes}
            maker.add(source, index, (kind,), False, **fields)


def _errors(source: Source, sources: Sequence[Source],
            maker: NoteMaker) -> Iterator[tuple[str, dict[str, Any]]]:
    other = _other_source(source, sources, maker.rng)
    yield "title: another article's title", {"title": other.title}
    if source.site_name:
        yield "title: same site, other article", {
            "title": f"{other.title}{maker.rng.choice(_TITLE_SEPARATORS)}{source.site_name}"}
    if source.date:
        yield from ((kind, {"date": value}) for kind, value in _date_errors(source.date,
                                                                             maker.rng))
    named = [s for s in sources if s.site_name and _site(s) != _site(source)
             and s.site_name.casefold() != (source.site_name or "").casefold()]
    if named:
        yield "publisher: another site", {"publisher": maker.rng.choice(named).site_name}
    yield "link: dead", {"url": dead_link(source.url)}
    if url_key(home_url(source.url)) != url_key(source.url):
        yield "link: redirect to the home page", {"url": home_redirect(maker.web, source)}


def _date_errors(gold: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    day = date.fromisoformat(gold)
    yield "date: a month later", add_months(day, 1).isoformat()
    yield "date: a month earlier", add_months(day, -1).isoformat()
    digit = rng.choice([d for d in range(10) if d != day.year % 10])
    yield "date: year typo", add_months(day, 12 * (digit - day.year % 10)).isoformat()
    if day.day <= 12 and day.day != day.month:
        yield "date: day and month swapped", date(day.year, day.day, day.month).isoformat()


def dead_link(url: str) -> str:
    """The URL of a page that is gone: the same site, the path changed (the site answers 404)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/index"
    return f"{parts.scheme}://{parts.netloc}{path}-removed"


def home_redirect(web: PretendWeb, source: Source) -> str:
    """A deep link of the source's site that now redirects to the home page (which answers)."""
    parts = urlsplit(source.url)
    slug = (unquote(parts.path).rstrip("/").rsplit("/", 1)[-1] or "article")[:60]
    deep = f"{parts.scheme}://{parts.netloc}/archive/{slug}-moved"
    web.add_redirect(deep, home_url(source.url))
    home = home_url(source.url)
    if url_key(home) not in web.replies:
        name = source.site_name or source.host
        web.add(home, Reply(200, HOME_PAGE.format(name=_escape(name)).encode()))
    return deep


def _title_variant(source: Source, kind: str, rng: random.Random) -> tuple[str, str]:
    """The variant of the title, or ("exact", title) when the variant does not apply."""
    title, site = source.title, source.site_name
    if kind == "truncated":
        words = title.split()
        if len(words) >= 6:
            return kind, " ".join(words[: -(-len(words) * 6 // 10)]) + "…"
        if " " not in title and len(title) >= 16:
            return kind, title[: len(title) * 6 // 10] + "…"
    elif kind == "re-cased" and title.upper() != title.lower():
        return kind, rng.choice((title.upper(), title.lower(), _title_case(title)))
    elif kind == "site name appended" and site and site.casefold() not in title.casefold():
        return kind, f"{title}{rng.choice(_TITLE_SEPARATORS)}{site}"
    elif kind == "typographic quotes":
        return kind, typographic(title)
    return "exact", title  # the variant does not apply to this title


def typographic(title: str) -> str:
    """Curly quotes and en dashes for straight ones; a title with none is put in curly quotes."""
    changed = re.sub(r'"([^"]*)"', "“\\1”", title).replace("'", "’").replace(" - ", " – ")
    return changed if changed != title else f"“{title}”"


def _title_case(title: str) -> str:
    return " ".join(word[:1].upper() + word[1:].lower() for word in title.split())


def _date_variant(gold: str | None, kind: str) -> tuple[str | None, DatePrecision | None]:
    if not gold:
        return None, None
    if kind == "month only":
        return gold[:7], DatePrecision.MONTH
    if kind == "year only":
        return gold[:4], DatePrecision.YEAR
    return gold, DatePrecision.DAY


def publisher_variant(source: Source, kind: str) -> tuple[str, str]:
    """(kind, publisher) as an author may write it: site name, domain, acronym or domain label."""
    if kind == "site name" and source.site_name:
        return kind, source.site_name
    if kind == "short name":
        if source.acronym:
            return "acronym", source.acronym
        return "domain label", domain_label(source.url).capitalize()
    return "domain", source.host


def domain_label(url: str) -> str:
    """The registrable label of a URL's host ("spiegel" for www.spiegel.de, bbc.co.uk: "bbc")."""
    host = urlsplit(url).hostname or ""
    return _DOMAINS(host).domain or host


def acronym(site_name: str | None, url: str, page_text: str) -> str | None:
    """The initials of a site name of several words, if the page or its domain uses them.

    "American Civil Liberties Union" on aclu.org is "ACLU"; "Bundesanstalt Technisches
    Hilfswerk (THW)" is "THW". Made-up initials nobody uses ("TH" for Tom's Hardware) are not.
    """
    words = re.findall(r"\w+", site_name or "")
    content = [w for w in words if w[0].isupper() and len(w) > 1]
    for chosen in (content, words):
        initials = "".join(w[0] for w in chosen).upper()
        if len(initials) < 2 or len(chosen) < 2:
            continue
        if initials.casefold() == domain_label(url).casefold() or \
                re.search(rf"(?<!\w){initials}(?!\w)", page_text):
            return initials
    return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier if negative), clipped to the month's length."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _other_source(source: Source, sources: Sequence[Source], rng: random.Random) -> Source:
    others = [s for s in sources if _site(s) != _site(source) and s.title != source.title]
    return rng.choice(others)


def _site(source: Source) -> str:
    labels = source.host.split(".")
    return ".".join(labels[-2:])


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- scoring


@dataclass
class KindScore:
    """Counts for one kind of note: how many, how many flagged (or caught), and the misses."""

    n: int = 0
    hits: int = 0
    wrong: list[dict[str, str]] = field(default_factory=list)  # false findings or misses

    @property
    def share(self) -> float:
        """hits / n in per cent."""
        return 100.0 * self.hits / self.n if self.n else 0.0


@dataclass
class Scores:
    """What a report says about the notes: false findings and planted errors caught, per kind."""

    correct: dict[str, KindScore] = field(default_factory=lambda: defaultdict(KindScore))
    planted: dict[str, KindScore] = field(default_factory=lambda: defaultdict(KindScore))
    notes_correct: KindScore = field(default_factory=KindScore)  # any flagged finding per note


def score(notes: Sequence[Note], report: dict[str, Any],
          only: set[str] | None = None) -> Scores:
    """Score a report against its notes (only the notes of the sources in `only`, if given)."""
    results = {item["id"]: item for item in report["citations"]}
    scores = Scores()
    for note in notes:
        if only is not None and note.source not in only:
            continue
        item = results[note.citation.id]
        flagged = [f for f in item["findings"] if f["severity"] in FLAGGING]
        if note.correct:
            _score_correct(scores, note, item, flagged)
        else:
            _score_planted(scores, note, item, flagged)
    return scores


def _score_correct(scores: Scores, note: Note, item: dict[str, Any],
                   flagged: list[dict[str, Any]]) -> None:
    scores.notes_correct.n += 1
    scores.notes_correct.hits += bool(flagged)
    scores.notes_correct.wrong += [_row(note, item, f) for f in flagged]
    for kind in note.kinds:
        codes = FIELD_CODES[kind.split(":")[0]]
        own = [f for f in flagged if f["code"] in codes]
        counts = scores.correct[kind]
        counts.n += 1
        counts.hits += bool(own)


def _score_planted(scores: Scores, note: Note, item: dict[str, Any],
                   flagged: list[dict[str, Any]]) -> None:
    counts = scores.planted[note.kinds[0]]
    counts.n += 1
    caught = any(f["code"] in note.expect for f in flagged)
    counts.hits += caught
    if not caught:  # show the finding on the planted field, if any (info included)
        codes = FIELD_CODES.get(note.kinds[0].split(":")[0], note.expect)
        own = [f for f in item["findings"] if f["code"] in codes]
        counts.wrong.append(_row(note, item, own[0] if own else None))


def _row(note: Note, item: dict[str, Any], finding: dict[str, Any] | None) -> dict[str, str]:
    """A false finding or a missed error: the page, the note, the cited and found values."""
    evidence = (finding or {}).get("evidence", {})
    field_name = note.kinds[0].split(":")[0]
    found = item.get("found") or {}
    cited = {"title": note.citation.title, "date": note.citation.date, "link": note.citation.url,
             "publisher": note.citation.publisher}.get(field_name)
    found_value = {"title": found.get("title"), "date": found.get("published"),
                   "publisher": found.get("site_name"), "link": item.get("final_url")}
    return {"source": note.source, "kind": ", ".join(note.kinds), "note": note.citation.id,
            "code": (finding or {}).get("code", "-"),
            "severity": (finding or {}).get("severity", "-"),
            "cited": evidence.get("cited") or cited or "",
            "found": evidence.get("found") or found_value.get(field_name) or "",
            "where": evidence.get("source", ""), "status": item.get("status", "")}
