"""JSON-LD blocks of a page as a flat list of typed objects (@graph and nesting resolved)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

LOGGER = logging.getLogger(__name__)

MAX_BLOCKS = 30
MAX_BLOCK_CHARS = 2_000_000
MAX_OBJECTS = 500
# types whose headline/name/dates describe the page itself
ARTICLE_TYPES = frozenset(t.lower() for t in (
    "Article", "NewsArticle", "BlogPosting", "Blog", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "ScholarlyArticle",
    "TechArticle", "SocialMediaPosting", "LiveBlogPosting", "DiscussionForumPosting", "Report",
    "Legislation", "LegislationObject", "CreativeWork", "Book", "Chapter", "Dataset", "Thesis",
    "PodcastEpisode", "VideoObject", "Recipe", "Review", "Event", "MedicalWebPage", "Periodical",
    "PublicationIssue", "Question", "HowTo", "Guide", "GovernmentService", "PressRelease",
))
# breadcrumb and list items are other pages ("Home", "News"), not this one
_NOT_WALKED = frozenset(("@context", "itemListElement"))
PAGE_TYPES = frozenset(t.lower() for t in (
    "WebPage", "ItemPage", "AboutPage", "CollectionPage", "ProfilePage", "FAQPage", "QAPage",
    "SearchResultsPage", "ContactPage", "MediaGallery",
))


def parse_blocks(scripts: list[str]) -> list[dict[str, Any]]:
    """Every JSON object with an @type in the given ld+json script texts, in document order."""
    found: list[dict[str, Any]] = []
    for raw in scripts[:MAX_BLOCKS]:
        data = _load(raw[:MAX_BLOCK_CHARS])
        for obj in _walk(data, depth=0):
            found.append(obj)
            if len(found) >= MAX_OBJECTS:
                return found
    return found


def _load(raw: str) -> Any:
    text = raw.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        LOGGER.debug("unreadable JSON-LD block of %d chars", len(text))
        return None


def _walk(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Typed objects at any depth: lists, @graph, and values nested in properties."""
    if depth > 12:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key, value in data.items():
            if isinstance(value, dict | list) and key not in _NOT_WALKED:
                yield from _walk(value, depth + 1)


def types_of(obj: dict[str, Any]) -> frozenset[str]:
    """The @type values of an object, lower case ("NewsArticle" -> "newsarticle")."""
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return frozenset(v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str))


def is_article(obj: dict[str, Any]) -> bool:
    """Whether an object describes the content of the page (an article, report, law…)."""
    return bool(types_of(obj) & ARTICLE_TYPES)


def is_page(obj: dict[str, Any]) -> bool:
    """Whether an object describes the web page as such (WebPage and its kinds)."""
    return bool(types_of(obj) & PAGE_TYPES)


def text_of(value: Any) -> str | None:
    """A property's text: a string, the first of a list, or an object's name / @value."""
    if isinstance(value, list):
        return next((t for t in (text_of(v) for v in value[:10]) if t), None)
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def names_of(value: Any) -> list[str]:
    """All names in a property that may hold one or many people or organisations."""
    items = value if isinstance(value, list) else [value]
    names = (text_of(item) for item in items[:20])
    return [name for name in names if name and not name.startswith(("http://", "https://"))]
