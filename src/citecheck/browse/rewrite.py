"""Archived responses made fit to replay: inert headers, links that point into the archive. Pure.

An archived page is hostile content. Its headers pass through an allowlist; every other header
is renamed `X-Archive-Orig-<Name>` (as pywb does) so an archived Set-Cookie, CSP, HSTS, Refresh,
Link or Clear-Site-Data never takes effect. Its links, images and stylesheets are rewritten
(lxml) to the replay path, which serves them from the archive or answers 404: a replayed page
never reaches the live web. The Content-Security-Policy of the replay response is what keeps
scripts from running; the rewriting is for fidelity.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

# archived headers that keep their meaning when replayed; Content-Type is set by the replay
PASS_THROUGH = frozenset({"content-language", "last-modified"})
ORIG_PREFIX = "X-Archive-Orig-"
# meta http-equiv values left working; refresh, set-cookie, content-security-policy… are renamed
_META_KEPT = frozenset({"content-type", "content-language"})
_NOT_TOKEN = re.compile(r"[^!#$%&'*+.^_`|~0-9A-Za-z-]")
_NOT_HEADER_TEXT = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<url>[^'")]*?)(?P=q)\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?P<q>['"])(?P<url>[^'"]*)(?P=q)""", re.I)
# attributes whose check or fetch mode cannot hold for a rewritten, opaque-origin replay
_DROPPED_ATTRIBUTES = ("integrity", "crossorigin", "nonce", "imagesrcset", "ping")
XLINK_HREF = "xlink:href"  # SVG's link attribute, which lxml's link rewriting does not know
# what an SVG <animate> or <set> writes into the attribute it names: a link's target, maybe
_ANIMATION_VALUES = ("to", "from", "by", "values")
_DOCTYPE = re.compile(r"\A(?:\s|<!--.*?-->)*(<!doctype[^>]*>)", re.I | re.S)
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False, no_network=True)

Resolver = Callable[[str], str]  # absolute http(s) URL without fragment -> replay path


def replay_headers(archived: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The archived headers as replayed: the allowlist as is, the rest renamed X-Archive-Orig-*.

    >>> replay_headers([("Set-Cookie", "a=1"), ("Content-Language", "fr")])
    [('X-Archive-Orig-Set-Cookie', 'a=1'), ('Content-Language', 'fr')]
    """
    out = []
    for name, value in archived:
        name = _NOT_TOKEN.sub("-", name.strip()) or "Unnamed"
        value = header_text(value)
        if name.lower() in PASS_THROUGH or name.lower().startswith(ORIG_PREFIX.lower()):
            out.append((name, value))
        else:
            out.append((ORIG_PREFIX + name, value))
    return out


def header_text(value: str) -> str:
    """A header value that can be sent: one line, Latin-1, no control characters."""
    value = _NOT_HEADER_TEXT.sub(" ", value)
    return value.encode("latin-1", errors="replace").decode("latin-1")


def replay_link(url: str, page_url: str, resolve: Resolver) -> str:
    """Where a link of an archived page should point: the archive, or nowhere.

    >>> replay_link("https://a.example/x#top", "https://a.example/x", lambda u: "/r?" + u)
    '#top'
    >>> replay_link("javascript:alert(1)", "https://a.example/", lambda u: "/r?" + u)
    '#'
    """
    url = url.strip()
    scheme = urlsplit(url).scheme.lower() if _splittable(url) else ""
    if scheme == "data":
        return url
    if scheme not in ("http", "https"):
        return "#"
    target, fragment = urldefrag(url)
    if fragment and target == urldefrag(page_url)[0]:
        return f"#{fragment}"
    return resolve(target) + (f"#{fragment}" if fragment else "")


def _splittable(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def rewrite_html(text: str, page_url: str, resolve: Resolver) -> str:
    """An archived HTML page with every link resolved against it and pointed into the archive."""
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return ""  # nothing a browser would show either
    _defuse(doc)
    doc.make_links_absolute(page_url, resolve_base_href=True, handle_failures="discard")
    doc.rewrite_links(lambda link: replay_link(link, page_url, resolve), resolve_base_href=False)
    for element in doc.xpath(f"//*[@*[name()='{XLINK_HREF}']]"):
        link = _join(page_url, element.get(XLINK_HREF, ""))
        element.set(XLINK_HREF, replay_link(link, page_url, resolve))
    for element in doc.xpath("//*[@srcset]"):
        element.set("srcset", _srcset(element.get("srcset", ""), page_url, resolve))
    doctype = _DOCTYPE.match(text[:4096].lstrip("\ufeff"))  # no doctype: keep quirks mode
    return lxml.html.tostring(doc, encoding="unicode", doctype=doctype[1] if doctype else None)


def _defuse(doc: lxml.html.HtmlElement) -> None:
    """Rename meta http-equiv that would act (refresh, set-cookie…); drop SRI and CORS hints and
    the values of SVG animations that would change a link's target."""
    for meta in doc.xpath("//meta[@http-equiv]"):
        if meta.get("http-equiv", "").strip().lower() not in _META_KEPT:
            meta.set("data-archive-orig-http-equiv", meta.attrib.pop("http-equiv"))
    for name in _DROPPED_ATTRIBUTES:
        for element in doc.xpath(f"//*[@{name}]"):
            del element.attrib[name]
    for element in doc.xpath("//*[@attributename]"):  # SVG animation of a link: dropped
        if element.get("attributename", "").strip().lower() in ("href", XLINK_HREF):
            for name in _ANIMATION_VALUES:
                element.attrib.pop(name, None)


def _srcset(value: str, page_url: str, resolve: Resolver) -> str:
    """Each candidate's URL pointed into the archive; a srcset holding data: URLs is dropped."""
    if "data:" in value:
        return ""
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        if url:
            link = replay_link(_join(page_url, url), page_url, resolve)
            candidates.append(f"{link} {descriptor.strip()}".strip())
    return ", ".join(candidates)


def rewrite_css(text: str, css_url: str, resolve: Resolver) -> str:
    """A stylesheet with its url() and @import pointed into the archive."""
    def url_value(match: re.Match[str]) -> str:
        return f'url("{replay_link(_join(css_url, match["url"]), css_url, resolve)}")'

    def import_value(match: re.Match[str]) -> str:
        return f'@import "{replay_link(_join(css_url, match["url"]), css_url, resolve)}"'

    return _CSS_IMPORT.sub(import_value, _CSS_URL.sub(url_value, text))


def _join(base: str, url: str) -> str:
    try:
        return urljoin(base, url.strip())
    except ValueError:
        return "about:invalid"
