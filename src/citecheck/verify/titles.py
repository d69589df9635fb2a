"""A cited title against every title the page offers (og:title, <title> and its parts, h1…).

One extracted title disagrees with a correct footnote on a fifth of real pages; the best score
over all candidates almost never does. Each pair is scored on its normal forms with rapidfuzz:
the plain ratio, and, when one title holds most of the other (a truncated footnote, a site name
appended), the partial and token-set ratios. Parts shared by both sides that are not the page's
longest part ("| BBC News") are dropped first, so two articles of one site do not match on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from citecheck.models import Candidate
from citecheck.verify.normalize import key, parts
from citecheck.verify.verdict import Verdict

MATCH_SCORE = 85.0  # at or above: the same title
NEAR_SCORE = 65.0  # at or above (and below MATCH_SCORE): borderline, a warning
NUMBER_CONFLICT_CAP = 80.0  # "Report 2021" against "Report 2022": never better than borderline
CONTAINED_SHARE = 0.5  # a title found inside another must be at least this share of it
PREFIX_SHARE = 0.3  # ... or this share when the footnote is a truncation of the page's title
MIN_CONTAINED_CHARS = 12
TEXT_OPENING_CHARS = 1500  # how much of the page text may hold the title (PDFs, bare pages)

_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class TitleMatch:
    """The best candidate for a cited title: its score (0-100), value, source and the verdict."""

    verdict: Verdict
    score: float = 0.0
    found: str | None = None
    source: str | None = None


def match_title(cited: str, candidates: Sequence[Candidate], text: str = "") -> TitleMatch:
    """Score the cited title against every candidate (and the text's opening); keep the best."""
    cited_parts = [key(part) for part in parts(cited)]
    if not cited_parts:
        return TitleMatch(Verdict.MISSING)
    best: TitleMatch | None = None
    for candidate in candidates:
        score = title_score(cited_parts, [key(part) for part in parts(candidate.value)])
        if best is None or score > best.score:
            best = TitleMatch(_verdict(score), score, candidate.value, candidate.source)
        if score >= 100:
            return best
    if _opens_text(" ".join(cited_parts), text):
        return TitleMatch(Verdict.MATCH, 100.0, text[:TEXT_OPENING_CHARS].strip(), "text")
    return best or TitleMatch(Verdict.MISSING)


def title_score(cited_parts: list[str], page_parts: list[str]) -> float:
    """The best score (0-100) between two titles given as their parts in key form."""
    if not page_parts:
        return 0.0
    cited_core, page_core = _drop_shared_affixes(cited_parts, page_parts)
    return max(
        _pair_score(cited, page)
        for cited in _variants(cited_core)
        for page in _variants(page_core)
    )


def _verdict(score: float) -> Verdict:
    if score >= MATCH_SCORE:
        return Verdict.MATCH
    return Verdict.NEAR if score >= NEAR_SCORE else Verdict.MISMATCH


def _variants(title_parts: list[str]) -> list[str]:
    """The whole title and, when it has parts, its longest part (the article's name)."""
    whole = " ".join(title_parts)
    longest = max(title_parts, key=len)
    return [whole, longest] if longest != whole else [whole]


def _drop_shared_affixes(cited: list[str], page: list[str]) -> tuple[list[str], list[str]]:
    """Drop leading and trailing parts both titles share, unless it is the page's main part."""
    main = max(page, key=len)
    while len(cited) > 1 and len(page) > 1 and cited[-1] == page[-1] != main:
        cited, page = cited[:-1], page[:-1]
    while len(cited) > 1 and len(page) > 1 and cited[0] == page[0] != main:
        cited, page = cited[1:], page[1:]
    return cited, page


def _pair_score(cited: str, page: str) -> float:
    if cited == page:
        return 100.0
    score = fuzz.ratio(cited, page)
    if _contained_enough(cited, page):
        score = max(score, fuzz.partial_ratio(cited, page), fuzz.token_set_ratio(cited, page))
    if _numbers_conflict(cited, page):
        score = min(score, NUMBER_CONFLICT_CAP)
    return score


def _contained_enough(cited: str, page: str) -> bool:
    """Whether the shorter title is long enough, against the longer, for a partial match."""
    short, long = (cited, page) if len(cited) <= len(page) else (page, cited)
    if len(short) < MIN_CONTAINED_CHARS:
        return False
    truncated = short == cited and page.startswith(cited)
    return len(short) >= (PREFIX_SHARE if truncated else CONTAINED_SHARE) * len(long)


def _numbers_conflict(cited: str, page: str) -> bool:
    """Both titles carry a number the other lacks: likely another edition or another event."""
    cited_numbers, page_numbers = set(_NUMBER.findall(cited)), set(_NUMBER.findall(page))
    return bool(cited_numbers - page_numbers) and bool(page_numbers - cited_numbers)


def _opens_text(cited_key: str, text: str) -> bool:
    """Whether the page text opens with (or soon shows) the whole cited title."""
    return len(cited_key) >= MIN_CONTAINED_CHARS and cited_key in key(text[:TEXT_OPENING_CHARS])
