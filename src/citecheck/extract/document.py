"""One parsed HTML page and the views every extractor shares (metas, JSON-LD, headings).

The page is parsed once; the views are computed once and read by the title, date,
site-name, soft-404 and wall extractors, which never change the tree.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from citecheck.extract import jsonld

LOGGER = logging.getLogger(__name__)

# huge_tree lifts libxml2's depth limit of 256 (to 2048): old pages with unclosed <font> or
# <div> tags nest that deep, and their text would be lost; the input is bounded already
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_pis=True, huge_tree=True)
_META_KEYS = ("name", "property", "itemprop", "http-equiv")
MAX_HEADINGS = 8


def parse_html(text: str) -> HtmlElement:
    """Text -> an lxml tree; never fails (an empty or unparsable text gives an empty page)."""
    data = text.replace("\x00", "").encode("utf-8", errors="replace")
    try:
        root = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = None
    if root is None or not isinstance(root, HtmlElement):
        root = lxml.html.document_fromstring(b"<html><head></head><body></body></html>", _PARSER)
    return root


def clean(text: str | None) -> str:
    """Whitespace collapsed, ends stripped."""
    return " ".join(text.split()) if text else ""


def element_text(element: HtmlElement) -> str:
    """The text of an element and its children, whitespace collapsed."""
    try:
        return clean(element.text_content())
    except ValueError:
        return ""


@dataclass
class HtmlPage:
    """A parsed page and its URL; shared views are computed on first use."""

    tree: HtmlElement
    url: str

    @functools.cached_property
    def metas(self) -> dict[str, list[str]]:
        """<meta> contents by lower-case name/property/itemprop/http-equiv, in page order."""
        found: dict[str, list[str]] = {}
        for meta in self.tree.iter("meta"):
            content = clean(meta.get("content") or meta.get("value"))
            if not content:
                continue
            for attr in _META_KEYS:
                key = (meta.get(attr) or "").strip().lower()
                if key:
                    found.setdefault(key, []).append(content)
        return found

    def meta(self, *keys: str) -> str | None:
        """The first content of the first key present."""
        return next((self.metas[k][0] for k in keys if k in self.metas), None)

    @functools.cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        """Typed JSON-LD objects of the page, flattened."""
        scripts = [s.text or "" for s in self.tree.iter("script")
                   if (s.get("type") or "").strip().lower() == "application/ld+json"]
        return jsonld.parse_blocks(scripts)

    @functools.cached_property
    def title(self) -> str:
        """The <title> text (the first in <head>, else anywhere outside <svg>)."""
        for element in self.tree.iter("title"):
            if not any(a.tag == "svg" for a in element.iterancestors()):
                return element_text(element)
        return ""

    @functools.cached_property
    def h1s(self) -> list[str]:
        """The text of the first h1 elements, empty ones left out."""
        return self.headings("h1")

    def headings(self, tag: str) -> list[str]:
        """The first MAX_HEADINGS non-empty headings of one level."""
        texts = []
        for element in self.tree.iter(tag):
            text = element_text(element)
            if text:
                texts.append(text[:500])
                if len(texts) >= MAX_HEADINGS:
                    break
        return texts

    @functools.cached_property
    def itemprops(self) -> dict[str, list[HtmlElement]]:
        """Elements (not <meta>) with an itemprop, by lower-case property name."""
        found: dict[str, list[HtmlElement]] = {}
        for element in self.tree.xpath("//body//*[@itemprop]")[:2000]:
            for name in (element.get("itemprop") or "").lower().split():
                found.setdefault(name, []).append(element)
        return found

    @functools.cached_property
    def html_lang(self) -> str | None:
        """The <html lang> (or xml:lang) attribute."""
        lang = self.tree.get("lang") or self.tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        return clean(lang) or None
