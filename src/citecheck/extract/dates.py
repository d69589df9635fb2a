"""Date candidates of an HTML page, each with its role and source, and the best of each role.

Structured signals first (JSON-LD, meta tags, itemprop, <time>), then the URL, htmldate's
original and latest dates, dates written near the headline, and dates in inline JSON.
Old dates are kept: a law from 1949 is as citable as yesterday's news.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement

from citecheck.extract import jsonld
from citecheck.extract.document import HtmlPage, element_text
from citecheck.extract.textdates import find_dates, make_date, parse_date
from citecheck.models import DateCandidate

LOGGER = logging.getLogger(__name__)

PUBLISHED, MODIFIED, OTHER = "published", "modified", "other"
HTMLDATE_MIN_DATE = "1800-01-01"
PUBLISHED_METAS = (
    "article:published_time", "og:article:published_time", "article:published",
    "og:published_time", "published_time", "datepublished", "citation_publication_date",
    "citation_date", "citation_online_date", "dc.date.issued", "dcterms.issued",
    "dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "dc.created", "date",
    "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
    "publication-date", "date_published", "sailthru.date", "parsely-pub-date",
    "article.published", "article_date_original", "original-publish-date",
    "originalpublicationdate", "og:pubdate", "bt:pubdate", "prism.publicationdate",
    "rnews:datepublished", "datecreated", "created", "release_date", "displaydate",
)
MODIFIED_METAS = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "article:modified",
    "modified_time", "datemodified", "dc.date.modified", "dcterms.modified", "dc.modified",
    "last-modified", "lastmod", "revised", "updated_time", "date.modified", "sailthru.lastmodified",
    "parsely-updated",
)
_JSONLD_ROLES = (("datePublished", PUBLISHED), ("dateCreated", PUBLISHED),
                 ("uploadDate", PUBLISHED), ("dateModified", MODIFIED))
_TIME_HINTS = re.compile(r"(?P<modified>updat|modif|revis)|(?P<published>publi|posted|creat|"
                         r"entry-date|pubdate|dateline|byline)", re.I)
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_-])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)")
_URL_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_ISO_START = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT_START = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|[T\s])")
_SCRIPT_KEYS = re.compile(
    r"""["'](?P<key>datePublished|published_?[Aa]t|publishedDate|publish_?[Dd]ate|pub_?[Dd]ate|"""
    r"""first_?[Pp]ublished(?:_?[Aa]t|_?[Dd]ate)?|createdAt|created_at|dateCreated|"""
    r"""dateModified|updated_?[Aa]t|modifiedDate|lastModified)["']\s*:\s*["']"""
    r"""(?P<value>\d{4}-\d\d-\d\d[^"']{0,30})["']""")
MAX_TIME_ELEMENTS = 20
MAX_SCRIPT_HITS = 6


def to_iso(value: str | None, lang: str | None = None) -> str | None:
    """A machine or human date string as ISO YYYY-MM-DD, or None if it holds no full date."""
    if not value:
        return None
    value = value.strip()
    match = _ISO_START.match(value) or _COMPACT_START.match(value)
    if match:
        return make_date(*(int(part) for part in match.groups()))
    if value.isdigit() and len(value) in (10, 13):
        return _from_epoch(int(value[:10]))
    return parse_date(value, lang)


def _from_epoch(seconds: int) -> str | None:
    day = dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
    return day.isoformat() if 1990 <= day.year <= 2100 else None


def _candidate(raw: str | None, role: str, source: str, lang: str | None) -> DateCandidate | None:
    value = to_iso(raw, lang)
    return DateCandidate(value, role, source) if value else None


def jsonld_dates(page: HtmlPage, lang: str | None) -> Iterator[DateCandidate]:
    """datePublished, dateCreated, dateModified of the page's own objects (articles first)."""
    objects = [o for o in page.jsonld if jsonld.is_article(o)]
    objects += [o for o in page.jsonld if jsonld.is_page(o) and not jsonld.is_article(o)]
    firsts: dict[str, str] = {}
    for obj in objects:
        for key, role in _JSONLD_ROLES:
            found = _candidate(jsonld.text_of(obj.get(key)), role, f"json-ld:{key}", lang)
            if found:
                # a listing holds many articles: only the first value of a key dates this page
                first = firsts.setdefault(key, found.value)
                yield found if first == found.value else DateCandidate(found.value, OTHER,
                                                                       found.source)


def meta_dates(page: HtmlPage, lang: str | None) -> Iterator[DateCandidate]:
    """Publication and modification dates from <meta> tags, in order of trust."""
    for keys, role in ((PUBLISHED_METAS, PUBLISHED), (MODIFIED_METAS, MODIFIED)):
        for key in keys:
            for raw in page.metas.get(key, [])[:3]:
                found = _candidate(raw, role, f"meta:{key}", lang)
                if found:
                    yield found


def itemprop_dates(page: HtmlPage, lang: str | None) -> Iterator[DateCandidate]:
    """itemprop=datePublished / dateModified on elements of the body (microdata)."""
    for name, role in (("datePublished", PUBLISHED), ("dateModified", MODIFIED)):
        for index, element in enumerate(page.itemprops.get(name.lower(), [])[:3]):
            raw = element.get("content") or element.get("datetime") or element_text(element)
            found = _candidate(raw, role if index == 0 else OTHER, f"itemprop:{name}", lang)
            if found:
                yield found


def time_dates(page: HtmlPage, lang: str | None) -> Iterator[DateCandidate]:
    """<time datetime> values and texts, with a role when the markup names one."""
    seen_roles: set[str] = set()
    for element in list(page.tree.iter("time"))[:MAX_TIME_ELEMENTS]:
        role = _time_role(element)
        # the first published / modified <time> is the page's; later ones date teasers, comments
        role = OTHER if role in seen_roles else role
        seen_roles.add(role)
        texts = ((element.get("datetime"), "time"), (element_text(element), "time:text"))
        for raw, source in texts:
            found = _candidate(raw, role, source, lang)
            if found:
                yield found


def _time_role(element: HtmlElement) -> str:
    if element.get("pubdate") is not None:
        return PUBLISHED
    hints = " ".join(
        f"{e.get('class', '')} {e.get('id', '')} {e.get('itemprop', '')}"
        for e in (element, *list(element.iterancestors())[:2])
    )
    match = _TIME_HINTS.search(hints)
    if not match:
        return OTHER
    return MODIFIED if match.group("modified") else PUBLISHED


def url_dates(url: str) -> list[DateCandidate]:
    """Dates in a URL's path and query: /2023/03/14/, -2023-03-14-, 20230314."""
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/?#]*", "", url, flags=re.I)
    found = []
    for pattern, role in ((_URL_DATE, PUBLISHED), (_URL_COMPACT, OTHER)):
        for match in pattern.finditer(path):
            value = make_date(int(match["y"]), int(match["m"]), int(match["d"]))
            if value:
                found.append(DateCandidate(value, role, "url"))
    return found


def htmldate_dates(page: HtmlPage, *, extensive: bool = True) -> list[DateCandidate]:
    """htmldate's original (publication) and latest dates, read from the shared tree.

    `extensive` turns on htmldate's free-text search, whose regexes scan the whole page:
    worth it on ordinary pages, seconds on multi-megabyte ones.
    """
    found = []
    for original, role, source in ((True, PUBLISHED, "htmldate:original"),
                                   (False, OTHER, "htmldate:latest")):
        try:
            value = find_date(page.tree, url=page.url or None, original_date=original,
                              extensive_search=extensive, min_date=HTMLDATE_MIN_DATE)
        except (ValueError, TypeError, OverflowError, IndexError, KeyError, AttributeError) as exc:
            LOGGER.debug("htmldate failed on %s: %s", page.url, exc)
            continue
        if value and to_iso(value):
            found.append(DateCandidate(value, role, source))
    return found


def script_dates(page: HtmlPage) -> list[DateCandidate]:
    """Dates under well-known keys in inline JSON (Next.js, Shopify, app state), role other.

    Such keys also date comments, products and related items, so they never count as
    the page's own publication date; they only widen the candidate set.
    """
    found: list[DateCandidate] = []
    for script in page.tree.iter("script"):
        if script.get("src") or (script.get("type") or "").lower() == "application/ld+json":
            continue
        for match in _SCRIPT_KEYS.finditer(script.text or ""):
            candidate = _candidate(match["value"], OTHER, f"script:{match['key']}", None)
            found += [candidate] if candidate else []
            if len(found) >= MAX_SCRIPT_HITS:
                return found
    return found


def headline_dates(text: str, headline: str | None, lang: str | None,
                   order: str | None = None) -> list[DateCandidate]:
    """Dates written just above or below the headline in the page text (bylines, datelines).

    `order` (DMY, MDY or None) is how the page writes "04/05/2022" (textdates.numeric_order).
    """
    if not text:
        return []
    # the same length with lines joined: a heading with a <br> is one line in `headline`
    start = text.replace("\n", " ").find(headline) if headline else -1
    if start < 0:
        return []
    window = text[max(0, start - 300):start + len(headline or "") + 1200]
    found = find_dates(window, lang, limit=8, order=order)
    return [DateCandidate(d.value, d.role, "text") for d in found]


def unique(candidates: Iterable[DateCandidate]) -> tuple[DateCandidate, ...]:
    """Candidates without repeats of the same (value, role, source), first kept."""
    return tuple(dict.fromkeys(candidates))


def best(candidates: Iterable[DateCandidate], role: str) -> DateCandidate | None:
    """The first candidate of a role: the lists are built in order of trust."""
    return next((c for c in candidates if c.role == role), None)


def date_fields(found: tuple[DateCandidate, ...]) -> dict[str, Any]:
    """The PageMetadata date fields: every candidate, and the best published and modified."""
    published, modified = best(found, PUBLISHED), best(found, MODIFIED)
    return {
        "dates": found,
        "published": published.value if published else None,
        "published_source": published.source if published else None,
        "modified": modified.value if modified else None,
        "modified_source": modified.source if modified else None,
    }
