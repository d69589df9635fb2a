"""Redirects that are not 3xx (pure): meta refresh, simple JavaScript, shortener interstitials.

Each detector takes the start of a page (decoded bytes) and its URL and returns where the page
sends the reader, or None. They are conservative on purpose: an ordinary article that happens
to contain `location.href = …` in a script, or a link labelled "continue reading", is a page,
not a hop. JavaScript and interstitial hops are only taken from small pages with little text.
"""

from __future__ import annotations

import copy
import re
import zlib
from dataclasses import dataclass

import lxml.html
from lxml import etree

from citecheck.fetch.urls import SCHEMES, hop_key, host_of, join_location
from citecheck.models import HopKind

SAMPLE_BYTES = 64 * 1024  # how much of a page is parsed to look for an onward link
SMALL_PAGE = 32 * 1024  # JavaScript and interstitial hops only on pages up to this size
JS_MAX_TEXT = 300  # visible characters on a page that only redirects by script
INTERSTITIAL_MAX_TEXT = 1500
MAX_REFRESH_DELAY = 15.0  # seconds; a slower refresh is a reload timer, not a redirect

_REFRESH = re.compile(
    r"""^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?(["']?)(?P<url>[^"']*)\2\s*$""", re.I)
_JS_TARGETS = (
    re.compile(r"""\blocation(?:\.href)?\s*=\s*(["'])(?P<url>[^"'\s]+)\1"""),
    re.compile(r"""\blocation\.(?:replace|assign)\(\s*(["'])(?P<url>[^"'\s]+)\1\s*\)"""),
)
_INTERSTITIAL_WORDS = re.compile(
    r"\b(continue|redirect(?:ed|ing)?|preview|proceed|you are (?:about to|being)|leaving|"
    r"click (?:here|the link)|skip)\b", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Onward:
    """Where a page sends the reader, and how."""

    url: str
    kind: HopKind


def is_html(content_type: str | None, sample: bytes) -> bool:
    """Whether a response is an HTML page worth looking into."""
    if content_type:
        return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES
    return sample.lstrip()[:1] == b"<"


def decode_sample(raw: bytes, content_encoding: str | None, limit: int = SAMPLE_BYTES) -> bytes:
    """The first `limit` decoded bytes of a gzip/deflate body (b"" if it cannot be decoded)."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw[:limit]
    wbits = {"gzip": 47, "x-gzip": 47, "deflate": 15}.get(encoding)
    if wbits is None:
        return b""
    try:
        return zlib.decompressobj(wbits).decompress(raw, limit)
    except zlib.error:
        if encoding != "deflate":
            return b""
    try:  # "deflate" sent raw, without the zlib header, as some servers do
        return zlib.decompressobj(-15).decompress(raw, limit)
    except zlib.error:
        return b""


def find_onward(sample: bytes, url: str, *, whole: bool) -> Onward | None:
    """Where a page sends the reader: meta refresh, else (small whole pages) script or interstitial.

    `sample` is the decoded start of the page; `whole` says whether it is the entire page.
    """
    tree = _parse(sample)
    if tree is None:
        return None
    small = whole and len(sample) <= SMALL_PAGE
    found = _meta_refresh(tree, url, small)
    if found is None and small:
        text = _visible_text(tree)
        found = _script_redirect(tree, url, text) or _interstitial(tree, url, text)
    if found is None or hop_key(found.url) == hop_key(url):
        return None
    return found


def _parse(sample: bytes) -> etree._Element | None:
    if not sample.strip():
        return None
    try:
        return lxml.html.document_fromstring(sample)
    except (etree.ParserError, ValueError):
        return None


def _meta_refresh(tree: etree._Element, url: str, small: bool) -> Onward | None:
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        if not small and any(a.tag == "noscript" for a in meta.iterancestors()):
            continue  # a fallback for readers without JavaScript on a real page
        match = _REFRESH.match(meta.get("content") or "")
        if not match or not match.group("url").strip():
            continue
        if float(match.group(1) or 0) <= MAX_REFRESH_DELAY:
            return _onward(url, match.group("url"), HopKind.META_REFRESH)
    return None


def _visible_text(tree: etree._Element) -> str:
    body = tree.find("body")
    if body is None:
        return ""
    body = copy.deepcopy(body)
    etree.strip_elements(body, "script", "style", "noscript", "template", with_tail=False)
    return " ".join(" ".join(body.itertext()).split())


def _script_redirect(tree: etree._Element, url: str, text: str) -> Onward | None:
    if len(text) > JS_MAX_TEXT:
        return None
    targets = {
        match.group("url").replace("\\/", "/")
        for script in tree.iter("script") if not script.get("src")
        for pattern in _JS_TARGETS for match in pattern.finditer(script.text or "")
    }
    if len(targets) != 1:
        return None
    return _onward(url, targets.pop(), HopKind.JAVASCRIPT)


def _interstitial(tree: etree._Element, url: str, text: str) -> Onward | None:
    if len(text) > INTERSTITIAL_MAX_TEXT or not _INTERSTITIAL_WORDS.search(text):
        return None
    own = _netloc(url)
    targets = set()
    for anchor in tree.iter("a"):
        target = join_location(url, anchor.get("href") or "")
        if target.split(":", 1)[0].lower() in SCHEMES and _netloc(target) not in ("", own):
            targets.add(target)
    if len(targets) != 1:
        return None
    return Onward(targets.pop(), HopKind.INTERSTITIAL)


def _onward(url: str, target: str, kind: HopKind) -> Onward | None:
    absolute = join_location(url, target)
    if absolute.split(":", 1)[0].lower() not in SCHEMES or not host_of(absolute):
        return None
    return Onward(absolute, kind)


def _netloc(url: str) -> str:
    return hop_key(url).split("/", 3)[2]
