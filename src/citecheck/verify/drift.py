"""Has a cited page moved or changed since its capture? Final URLs, titles, dates, text (pure).

`citecheck check` compares the page a link leads to now with the page the archive holds. The
text comparison is the share of the captured text's word shingles (runs of SHINGLE words, on
the normal form of `verify.normalize.key`) still found in the live text: a reworded sentence
costs the shingles it touches, a new sidebar costs nothing, a rewritten article keeps little.
Cost is bounded by MAX_WORDS per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from rapidfuzz import fuzz

from citecheck.models import Code, Finding, PageMetadata, Severity
from citecheck.verify.normalize import key

SHINGLE = 5  # words per shingle
MAX_WORDS = 30_000  # words compared per page, from its start
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def comparable_url(url: str) -> str:
    """A final URL as redirect changes compare it: no scheme, "www.", fragment or tracking.

    >>> comparable_url("HTTPS://www.Example.org/a/?utm_source=x&b=2#top")
    'example.org/a?b=2'
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").removeprefix("www.")
        port = parts.port
    except ValueError:
        return url
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]
    path = parts.path.rstrip("/")
    return host + path + (f"?{urlencode(sorted(query))}" if query else "")


def redirect_change(before: str | None, now: str | None, url: str) -> Finding | None:
    """A link-redirect-changed finding when the chain now ends on another page than before."""
    if not before or not now or comparable_url(before) == comparable_url(now):
        return None
    return Finding(Code.LINK_REDIRECT_CHANGED, Severity.WARNING,
                   f"{url}: used to end on {before}, now ends on {now}", None,
                   {"url": url, "before": before, "now": now})


def shingles(text: str) -> set[tuple[str, ...]]:
    """The word shingles of a text's normal form (one shingle for a text shorter than one)."""
    words = key(text).split()[:MAX_WORDS]
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def text_kept(before: str, now: str) -> float | None:
    """The share of the captured text's shingles still in the live text; None if none were.

    >>> text_kept("one two three four five six", "one two three four five six seven")
    1.0
    >>> text_kept("one two three four five six", "one two three four five")
    0.5
    """
    old = shingles(before)
    if not old:
        return None
    return len(old & shingles(now)) / len(old)


def title_similarity(before: str, now: str) -> float:
    """How alike two titles are, 0 to 1, on their normal forms."""
    return fuzz.ratio(key(before), key(now)) / 100


@dataclass(frozen=True)
class Drift:
    """What differs between the captured page and the live one."""

    title_before: str | None
    title_now: str | None
    title_changed: bool
    published_before: str | None
    published_now: str | None
    kept: float | None  # share of the captured text still there; None: no text to compare

    def beyond(self, threshold: float) -> bool:
        """Whether the title changed or less than `threshold` of the text is still there."""
        return self.title_changed or (self.kept is not None and self.kept < threshold)


def compare_pages(before: PageMetadata, before_text: str, now: PageMetadata,
                  threshold: float) -> Drift:
    """Compare the captured page (and its text) with the live page."""
    changed = bool(before.title) and (
        not now.title or title_similarity(before.title, now.title) < threshold)
    return Drift(before.title, now.title, changed, before.published, now.published,
                 text_kept(before_text, now.text))


def drift_finding(drift: Drift, url: str, captured: str | None,
                  threshold: float) -> Finding | None:
    """A content-drift finding saying what changed, when the drift goes beyond `threshold`."""
    if not drift.beyond(threshold):
        return None
    since = f" since its capture of {captured[:10]}" if captured else " since its capture"
    parts = []
    if drift.title_changed:
        parts.append(f'title "{drift.title_before}" -> "{drift.title_now or ""}"')
    if drift.published_before != drift.published_now and (drift.published_before
                                                           or drift.published_now):
        parts.append(f"published {drift.published_before or 'none'} -> "
                     f"{drift.published_now or 'none'}")
    if drift.kept is not None:
        parts.append(f"{drift.kept:.0%} of the captured text is still there")
    evidence = {"url": url, "captured": captured or "", "title_before": drift.title_before or "",
                "title_now": drift.title_now or "",
                "published_before": drift.published_before or "",
                "published_now": drift.published_now or "",
                "text_kept": "" if drift.kept is None else f"{drift.kept:.2f}"}
    return Finding(Code.CONTENT_DRIFT, Severity.WARNING,
                   f"{url}: the page changed{since}: {'; '.join(parts)}", None, evidence)
