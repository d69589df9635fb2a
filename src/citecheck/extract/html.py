"""An HTML page -> PageMetadata: decode once, parse once, every extractor reads the same tree."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

from citecheck.extract import dates, titles
from citecheck.extract.decode import decode_text
from citecheck.extract.document import HtmlPage, parse_html
from citecheck.extract.htmltext import visible_text
from citecheck.extract.soft404 import soft404_evidence
from citecheck.extract.textdates import numeric_order
from citecheck.extract.walls import blocked_reason
from citecheck.models import Candidate, DateCandidate, PageMetadata

LOGGER = logging.getLogger(__name__)

EXTENSIVE_SEARCH_MAX = 1_000_000  # bytes of HTML up to which htmldate searches the free text
LANG_METAS = ("og:locale", "content-language", "language", "dc.language", "dcterms.language")


def extract_html(body: bytes, *, url: str, content_type: str = "text/html",
                 header_charset: str | None = None, status: int = 200) -> PageMetadata:
    """Metadata of an HTML page given its (decompressed) bytes."""
    text, charset = decode_text(body, header_charset)
    page = HtmlPage(parse_html(text), url)
    visible = visible_text(page.tree)
    lang = language(page)
    title_fields, best = _title_fields(page)
    found = page_dates(page, visible, _headline(page, best), lang,
                       extensive=len(body) <= EXTENSIVE_SEARCH_MAX)
    return PageMetadata(
        content_type=content_type, size=len(body), charset=charset, **title_fields,
        **dates.date_fields(found), author=titles.author(page), lang=lang,
        canonical_url=canonical_url(page), text=visible,
        soft404=soft404_evidence(page.title, page.h1s) if 200 <= status < 300 else None,
        blocked=blocked_reason(page, visible, text),
    )


def _title_fields(page: HtmlPage) -> tuple[dict[str, Any], Candidate | None]:
    """title, title_source, titles, site_name, site_names, and the best title candidate."""
    host = titles.host_name(page.url)
    names = titles.site_names(page)
    candidates, suffix = titles.title_candidates(page, [c.value for c in names])
    best = titles.best_title(candidates, _own_names(names, host), host)
    names += [Candidate(suffix, "title:suffix")] if suffix else []
    names += [Candidate(host, "domain")] if host else []
    return {
        "title": best.value if best else None, "title_source": best.source if best else None,
        "titles": tuple(titles.unique(candidates)), "site_name": titles.best_site_name(names),
        "site_names": tuple(titles.unique(names)),
    }, best


def _own_names(names: list[Candidate], host: str | None) -> list[str]:
    """The names a title that only names the site would carry (not application-name)."""
    own = [c.value for c in names if c.source in ("og:site_name", "json-ld:WebSite")]
    return own + ([host] if host else [])


def page_dates(page: HtmlPage, text: str, headline: str | None, lang: str | None, *,
               extensive: bool = True) -> tuple[DateCandidate, ...]:
    """Every date candidate, in order of trust: markup, URL, byline text, htmldate, scripts.

    A byline's "Pubblicato il 12 gennaio 2021" is stated by the page; htmldate's value is a
    guess (on such a page it gives 2021-01-01, from the year alone).
    """
    return dates.unique([
        *dates.jsonld_dates(page, lang), *dates.meta_dates(page, lang),
        *dates.itemprop_dates(page, lang), *dates.time_dates(page, lang),
        *dates.url_dates(page.url),
        *dates.headline_dates(text, headline, lang, numeric_order(text, lang)),
        *dates.htmldate_dates(page, extensive=extensive), *dates.script_dates(page),
    ])


def _headline(page: HtmlPage, best: Candidate | None) -> str | None:
    """The heading to look for bylines around: the h1 that matches the title, else the first."""
    if best:
        for h1 in page.h1s:
            if h1 in best.value or best.value in h1:
                return h1
    return page.h1s[0] if page.h1s else (best.value if best else None)


def language(page: HtmlPage) -> str | None:
    """The page's declared language: <html lang>, else og:locale or language meta tags."""
    value = page.html_lang or page.meta(*LANG_METAS)
    return value.replace("_", "-")[:35] if value else None


def canonical_url(page: HtmlPage) -> str | None:
    """<link rel=canonical>, else og:url, made absolute against the page's URL."""
    href = next((link.get("href") for link in page.tree.iter("link")
                 if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")),
                None) or page.meta("og:url")
    if not href:
        return None
    try:
        return urljoin(page.url, href.strip())
    except ValueError:
        return None
