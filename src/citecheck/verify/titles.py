"""A cited title against every title the page offers (og:title, <title> and its parts, h1…).

One extracted title disagrees with a correct footnote on a fifth of real pages; the best score
over all candidates almost never does. Titles are compared in their normal forms (case, quotes,
dashes, punctuation) with rapidfuzz's ratio; a footnote that is the page's title cut short, or
a title whose words are all in the other (a site name appended), matches too. Parts both titles
share at their ends ("| BBC News") are dropped first unless they are the page's longest part,
so two articles of one site do not match on the site's name; so are parts that are one of the
page's site names. Thresholds were calibrated on real pages (benchmarks/verify_calibration.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from citecheck.models import Candidate
from citecheck.verify.normalize import key, parts, script
from citecheck.verify.publishers import same_name
from citecheck.verify.verdict import Verdict

MATCH_SCORE = 85.0  # at or above: the same title
NEAR_SCORE = 65.0  # at or above (and below MATCH_SCORE): borderline, a warning
NUMBER_CONFLICT_CAP = 80.0  # "Report 2021" against "Report 2022": never better than borderline
CONTAINED_SHARE = 0.5  # a title found inside another must be at least this share of it
PREFIX_SHARE = 0.3  # ... or this share when the footnote is a truncation of the page's title
MIN_CONTAINED_CHARS = 12
PARTIAL_SCORE = 90.0  # a title found inside another with small differences (a typo, a letter)
MIN_PREFIX_CHARS = 8  # CJK titles are short: "코로나19 극복 성금…" is a fair truncation
TEXT_OPENING_CHARS = 3000  # how much of the page text may hold the title (PDFs, bare pages)

TRANSLATED = "the page's titles are in another script: a translated title?"

_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class TitleMatch:
    """The best candidate for a cited title: its score (0-100), value, source and the verdict.

    A title in another script than all of the page's (a translation) is borderline at worst.
    """

    verdict: Verdict
    score: float = 0.0
    found: str | None = None
    source: str | None = None
    hint: str | None = None  # why a mismatch may be benign ("a translated title?")


def match_title(cited: str, candidates: Sequence[Candidate], text: str = "", *,
                site_names: Sequence[str] = ()) -> TitleMatch:
    """Score the cited title against every candidate (and the text's opening); keep the best.

    With the page's `site_names`, the cited title is also tried without its site-name parts,
    candidates are compared without theirs, and a candidate that is only the site's name (an h1
    holding the logo) confirms no more than that.
    """
    cited_parts = title_parts(cited)
    if not cited_parts:
        return TitleMatch(Verdict.MISSING)
    best = _best_candidate(cited_parts, candidates, site_names)
    if best is not None and best.verdict is Verdict.MATCH:
        return best
    if _opens_text(" ".join(cited_parts), text):
        return TitleMatch(Verdict.MATCH, 100.0, " ".join(text[:200].split()), "text")
    if best is not None and best.verdict is Verdict.MISMATCH and _translated(cited, candidates):
        return replace(best, verdict=Verdict.NEAR, hint=TRANSLATED)
    return best or TitleMatch(Verdict.MISSING)


def _best_candidate(cited_parts: list[str], candidates: Sequence[Candidate],
                    site_names: Sequence[str]) -> TitleMatch | None:
    """The highest-scoring candidate; the first that scores 100 ends the search."""
    # A site-name part is never the article's name: "益阳… - mobilsicher.de" must not match the
    # page's "Aktuelles auf mobilsicher.de" through its longest part, the site's name.
    forms = [_without_site_names(cited_parts, site_names)]
    best: TitleMatch | None = None
    for candidate in candidates:
        if not _may_support(candidate, cited_parts, candidates, site_names):
            continue
        page_parts = _without_site_names(title_parts(candidate.value), site_names)
        if not page_parts:  # only punctuation: not a title
            continue
        score = max(title_score(form, page_parts) for form in forms)
        if best is None or score > best.score:
            best = TitleMatch(_verdict(score), score, candidate.value, candidate.source)
        if score >= 100:
            break
    return best


def title_parts(title: str) -> list[str]:
    """A title's parts ("A | Site" -> ["a", "site"]) in key form, empty ones left out."""
    return [part_key for part in parts(title) if (part_key := key(part))]


def title_score(cited_parts: list[str], page_parts: list[str]) -> float:
    """The best score (0-100) between two titles given as their parts in key form."""
    if not page_parts:
        return 0.0
    cited_core, page_core = _drop_shared_affixes(cited_parts, page_parts)
    # Shared parts ("| European Championships Munich 2022") must not make two titles one.
    shared = len(cited_core) < len(cited_parts)
    whole = _pair_score(" ".join(cited_parts), " ".join(page_parts), contained=not shared)
    page_variants = _variants(page_core)
    cores = (_pair_score(cited, page)
             for cited in _variants(cited_core) for page in page_variants)
    # The footnote without its last parts (a site name the author appended): plain ratio only.
    leading = (_pair_score(" ".join(cited_core[:n]), page, truncated=False, contained=False)
               for n in range(1, len(cited_core)) for page in page_variants)
    return max([whole, *cores, *leading])


def _without_site_names(title_parts: list[str], site_names: Sequence[str]) -> list[str]:
    """The parts that are not a site name; all of them if every part is one."""
    kept = [part for part in title_parts if not _is_site_name(part, site_names)]
    return kept or title_parts


def _translated(cited: str, candidates: Sequence[Candidate]) -> bool:
    """Whether the footnote's title is in another script than every title of the page."""
    cited_script = script(cited)
    page_scripts = {script(candidate.value) for candidate in candidates} - {None}
    return cited_script is not None and bool(page_scripts) and cited_script not in page_scripts


def _is_site_name(value: str, site_names: Sequence[str]) -> bool:
    return any(same_name(value, name) for name in site_names)


def _may_support(candidate: Candidate, cited_parts: list[str], candidates: Sequence[Candidate],
                 site_names: Sequence[str]) -> bool:
    """False for a site name that is one part of "Title | Site" while no candidate has the title.

    Many pages put their site's name in an h1; it must not confirm every "… | Site" footnote.
    """
    if len(cited_parts) < 2 or not _is_site_name(candidate.value, site_names):
        return True
    rest = [part for part in cited_parts if not same_name(part, candidate.value)]
    if len(rest) == len(cited_parts) or all(_is_site_name(part, site_names) for part in rest):
        return True
    return any(title_score(rest, title_parts(other.value)) >= MATCH_SCORE
               for other in candidates if other is not candidate)


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
    """Drop end parts both titles share ("… | Site", "Site » …"), unless it is the page's main."""
    main = max(page, key=len)
    while len(cited) > 1 and len(page) > 1:
        shared = ({cited[0], cited[-1]} & {page[0], page[-1]}) - {main}
        if not shared:
            break
        part = shared.pop()
        cited, page = _without_end(cited, part), _without_end(page, part)
    return cited, page


def _without_end(title_parts: list[str], part: str) -> list[str]:
    return title_parts[1:] if title_parts[0] == part else title_parts[:-1]


def _pair_score(cited: str, page: str, *, truncated: bool = True,
                contained: bool = True) -> float:
    """Similarity of two titles in key form; a truncated footnote or a contained title may count."""
    if cited == page or (truncated and _is_truncation(cited, page)):
        return 100.0
    score = fuzz.ratio(cited, page)
    if contained and _contained_enough(cited, page):
        score = max(score, _containment(cited, page))
    if _numbers_conflict(cited, page):
        score = min(score, NUMBER_CONFLICT_CAP)
    return score


def _containment(cited: str, page: str) -> float:
    """100 when every word of the shorter title is in the longer; else how nearly it is inside."""
    short, long = (cited, page) if len(cited) <= len(page) else (page, cited)
    if set(short.split()) <= set(long.split()):
        return 100.0
    partial = fuzz.partial_ratio(short, long)
    return partial if partial >= PARTIAL_SCORE else 0.0


def _is_truncation(cited: str, page: str) -> bool:
    """Whether the footnote is the page's title cut short ("Biggest money laundering…")."""
    return page.startswith(cited) and len(cited) >= max(MIN_PREFIX_CHARS, PREFIX_SHARE * len(page))


def _contained_enough(cited: str, page: str) -> bool:
    """Whether the shorter title is long enough, against the longer, for a partial match."""
    short, long = (cited, page) if len(cited) <= len(page) else (page, cited)
    return len(short) >= max(MIN_CONTAINED_CHARS, CONTAINED_SHARE * len(long))


def _numbers_conflict(cited: str, page: str) -> bool:
    """Both titles carry a number the other lacks: likely another edition or another event."""
    cited_numbers, page_numbers = set(_NUMBER.findall(cited)), set(_NUMBER.findall(page))
    return bool(cited_numbers - page_numbers) and bool(page_numbers - cited_numbers)


def _opens_text(cited_key: str, text: str) -> bool:
    """Whether the page text opens with (or soon shows) the whole cited title."""
    return len(cited_key) >= MIN_CONTAINED_CHARS and cited_key in key(text[:TEXT_OPENING_CHARS])
