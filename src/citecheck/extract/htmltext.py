"""The visible text of a page, one block per line, bounded.

A light extraction on purpose: it drops what a reader never sees (scripts, styles,
templates, navigation menus) but keeps the rest, because the text is used to look for the
numbers and quoted phrases of a citing sentence, and a missed paragraph would be a false
"not on the page". It walks the shared tree once and never changes it.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

MAX_TEXT = 200_000
SKIPPED = frozenset((
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "head", "nav", "select", "button", "datalist", "map", "audio", "video",
))
BLOCKS = frozenset((
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "table", "thead", "tbody", "section", "article", "header", "footer", "aside", "main",
    "blockquote", "pre", "figure", "figcaption", "address", "form", "fieldset", "hr", "body",
    "caption", "details", "summary", "center",
))
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BREAKS = re.compile(r" ?\n[\s]*")


def visible_text(root: HtmlElement, limit: int = MAX_TEXT) -> str:
    """The text a reader sees, blocks on their own lines, at most `limit` characters."""
    parts: list[str] = []
    size = 0
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        if event == "start":
            tag = element.tag
            if tag in SKIPPED or element.get("hidden") is not None:
                walker.skip_subtree()
                continue
            piece = element.text or ""
            if tag in BLOCKS:
                piece = "\n" + piece
        elif event == "end":
            piece = element.tail or ""
            if element.tag in BLOCKS:
                piece = "\n" + piece
        else:
            piece = element.tail or ""
        if piece:
            parts.append(piece)
            size += len(piece)
            if size > limit * 2:
                break
    return _tidy("".join(parts))[:limit]


def _tidy(text: str) -> str:
    return _BREAKS.sub("\n", _SPACES.sub(" ", text)).strip()
