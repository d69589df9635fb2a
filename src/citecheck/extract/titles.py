"""Title, site-name and author candidates of an HTML page, and the best single value of each.

The best title is a fallback chain that returns early (og:title, JSON-LD headline, <title>
minus the site name, <h1>), as trafilatura's metadata extraction does; the candidate sets
keep every variant so a cited title can be matched against any of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from citecheck.extract import jsonld
from citecheck.extract.document import HtmlPage, clean, element_text
from citecheck.models import Candidate

_GENERIC_LABELS = frozenset(("www", "m", "co", "com", "org", "net", "gov", "ac", "edu", "news"))
SEPARATORS = re.compile(r"(\s+(?:\||-|–|—|::|·|»|«)\s+)")
MAX_TITLE = 500
MAX_SUBHEADINGS = 3
TITLE_METAS = ("dc.title", "dcterms.title", "citation_title", "parsely-title", "sailthru.title")
AUTHOR_METAS = ("author", "article:author", "dc.creator", "dcterms.creator", "citation_author",
                "parsely-author", "sailthru.author", "byl")
PUBLISHER_METAS = ("publisher", "dc.publisher", "dcterms.publisher", "citation_publisher",
                   "citation_journal_title")


def host_name(url: str) -> str | None:
    """The host of a URL without a leading "www." ("https://www.state.gov/x" -> "state.gov")."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def looks_like_site(part: str, names: Iterable[str], host: str | None) -> bool:
    """Whether a piece of a title names the site: a known site name or the domain."""
    key = _key(part)
    if not key:
        return False
    if any(key == _key(name) for name in names if name):
        return True
    if not host or len(key) < 3:
        return False
    if key == _key(host) or key in _key(host.rsplit(".", 1)[0]):
        return True
    # "BBC News" on bbc.co.uk; a short margin so "Water crisis deepens" is not water.org's name
    labels = [_key(label) for label in host.split(".")[:-1] if label not in _GENERIC_LABELS]
    return any(len(label) >= 3 and label in key and len(key) <= len(label) + 12
               for label in labels)


def split_title(title: str, names: Iterable[str], host: str | None, *,
                guess: bool = True) -> tuple[str, str | None]:
    """A title as (title without the site name, the site-name part), split at separators.

    "Headline | Site | Section" and "Headline - Section - Site" end before the first part
    naming the site (a known site name or the domain); "Site: Headline" parts start after it.
    When no part names the site, `guess` takes the last part for it ("Headline | Site").
    """
    pieces = SEPARATORS.split(title)
    parts = pieces[0::2]
    if len(parts) < 2:
        return title, None
    names = list(names)
    sites = [i for i, part in enumerate(parts) if looks_like_site(part, names, host)]
    later = [i for i in sites if i > 0]
    if later:
        return "".join(pieces[:2 * later[0] - 1]), parts[later[0]]
    if sites:  # only the first part names the site
        return "".join(pieces[2:]), parts[0]
    if guess:
        return "".join(pieces[:-2]), parts[-1]
    return title, None


def site_names(page: HtmlPage) -> list[Candidate]:
    """Site-name candidates from the page's own markup (the <title> suffix and domain apart)."""
    found = [Candidate(v, "og:site_name") for v in page.metas.get("og:site_name", [])[:1]]
    for obj in page.jsonld:
        if jsonld.is_article(obj) or jsonld.is_page(obj):
            found += [Candidate(n, "json-ld:publisher") for n in jsonld.names_of(
                obj.get("publisher"))[:2]]
    found += [Candidate(jsonld.text_of(o.get("name")) or "", "json-ld:WebSite")
              for o in page.jsonld if "website" in jsonld.types_of(o)][:1]
    found += [Candidate(v, "meta:application-name")
              for v in page.metas.get("application-name", [])[:1]]
    for key in PUBLISHER_METAS:
        found += [Candidate(v, f"meta:{key}") for v in page.metas.get(key, [])[:1]]
    return [c for c in found if c.value and not c.value.startswith(("http://", "https://"))]


def title_candidates(page: HtmlPage, names: list[str]) -> tuple[list[Candidate], str | None]:
    """Every title the page offers, in order of trust (repeats kept), and the <title>'s site part.

    The sources: og:title, twitter:title, JSON-LD headline/name, <title> whole and without
    the site name, the h1s, itemprop=headline, dc.title and kin, the first h2s and h3s.
    """
    found = list(_structured_titles(page))
    suffix = None
    if page.title:
        main, suffix = split_title(page.title, names, host_name(page.url))
        found.append(Candidate(page.title, "title"))
        found += [Candidate(main, "title:main")] if main != page.title else []
    found += [Candidate(text, "h1") for text in page.h1s]
    found += [Candidate(v, "itemprop:headline") for v in _itemprop_headlines(page)]
    for key in TITLE_METAS:
        found += [Candidate(v, f"meta:{key}") for v in page.metas.get(key, [])[:1]]
    for tag in ("h2", "h3"):
        found += [Candidate(text, tag) for text in page.headings(tag)[:MAX_SUBHEADINGS]]
    return [c for c in found if c.value], suffix


def _structured_titles(page: HtmlPage) -> Iterator[Candidate]:
    for key in ("og:title", "twitter:title"):
        yield from (Candidate(v, key) for v in page.metas.get(key, [])[:1])
    for obj in page.jsonld:
        if jsonld.is_article(obj) or jsonld.is_page(obj):
            for key in ("headline", "name", "alternativeHeadline"):
                value = jsonld.text_of(obj.get(key))
                if value:
                    yield Candidate(value, f"json-ld:{key}")


def _itemprop_headlines(page: HtmlPage) -> list[str]:
    elements = page.itemprops.get("headline", [])[:2]
    return [clean(e.get("content")) or element_text(e) for e in elements]


def unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates with a value, bounded in length, each value once (the first source kept)."""
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        value = clean(candidate.value)[:MAX_TITLE]
        if value and value not in seen:
            seen.add(value)
            kept.append(Candidate(value, candidate.source))
    return kept


def best_title(candidates: list[Candidate], names: list[str], host: str | None) -> Candidate | None:
    """og:title or JSON-LD headline, else <title> minus the site name, else the main h1."""
    for source in ("og:title", "json-ld:headline", "title:main", "title", "h1"):
        for candidate in candidates:
            if candidate.source == source and not _is_only_site_name(candidate.value, names):
                return _without_site_part(candidate, names, host)
            if candidate.source == source and source != "h1":
                break  # only the first value of a source counts, but every h1 is tried
    return None


def _is_only_site_name(value: str, names: list[str]) -> bool:
    return any(_key(value) == _key(name) for name in names if name)


def _without_site_part(candidate: Candidate, names: list[str], host: str | None) -> Candidate:
    """og:title and the like sometimes carry " | Site": drop the parts that name the site."""
    if candidate.source in ("title:main", "title"):
        return candidate
    value, _ = split_title(candidate.value, names, host, guess=False)
    return Candidate(clean(value), candidate.source) if value != candidate.value else candidate


def best_site_name(candidates: list[Candidate]) -> str | None:
    """The first site-name candidate: they are listed in order of trust."""
    return candidates[0].value if candidates else None


def author(page: HtmlPage) -> str | None:
    """The author(s): JSON-LD author of the article, else author meta tags, else itemprop."""
    for obj in page.jsonld:
        if jsonld.is_article(obj):
            names = jsonld.names_of(obj.get("author"))
            if names:
                return ", ".join(dict.fromkeys(names[:10]))
    for key in AUTHOR_METAS:
        values = [v for v in page.metas.get(key, []) if not v.startswith(("http://", "https://"))]
        if values:
            return ", ".join(dict.fromkeys(values[:10]))
    elements = page.itemprops.get("author", [])[:1]
    return next((t for t in (clean(e.get("content")) or element_text(e)
                             for e in elements) if t and len(t) < 200), None)
