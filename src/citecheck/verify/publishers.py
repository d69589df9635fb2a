"""A cited publisher against the page's site names and the domain it was served from.

Generous on purpose (a false publisher warning annoys authors): "RFE/RL" is "Radio Free
Europe/Radio Liberty" (initials) and rferl.org (domain label); "Us department of state" is
state.gov (a word of the name is the domain's label); "Council of Europe" is coe.int (initials
with the small words). It still catches another site entirely: "Reuters" on apnews.com.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract
from rapidfuzz import fuzz

from citecheck.models import Candidate
from citecheck.verify.normalize import compact, key
from citecheck.verify.verdict import Verdict

MATCH_SCORE = 80.0  # fuzzy ratio at or above which two names are the same publisher
SAME_NAME_SCORE = 90.0  # stricter: a title part this close to a site name is that site name
MIN_LABEL = 3  # shortest domain label or word that may stand for a whole name

# Small words left out of initials ("Council of Europe" is also "CE") and of word overlap.
STOPWORDS = frozenset({
    "the", "of", "and", "for", "a", "an", "on", "in", "at", "to", "by", "from", "with",
    "de", "del", "della", "di", "la", "le", "les", "des", "du", "el", "los", "las", "et", "y",
    "e", "der", "die", "das", "und", "von", "fur", "für", "zur", "zum", "im", "am", "dem", "den",
    "do", "da", "dos", "dei", "degli", "och", "og", "för", "af", "i", "en",
})
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
# The bundled Public Suffix List snapshot: no fetching, no cache on disk.
_DOMAINS = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_SKIPPED_SUBDOMAINS = frozenset({"www", "m", "mobile", "amp", "en", "news"})
_MOBILE_SUBDOMAINS = frozenset({"www", "m", "mobile", "amp"})
# Domain labels too common to stand for a publisher on their own ("BBC News" is not news.am).
_GENERIC_LABELS = frozenset({"news", "info", "online", "media", "web", "blog", "home", "press"})


@dataclass(frozen=True)
class PublisherMatch:
    """The page name closest to the cited publisher: its score (0-100), value, source, verdict."""

    verdict: Verdict
    score: float = 0.0
    found: str | None = None
    source: str | None = None


def match_publisher(cited: str, site_names: Sequence[Candidate], final_url: str) -> PublisherMatch:
    """Compare a cited publisher with the page's site names and the domain of final_url."""
    names = [*site_names, *domain_candidates(final_url)]
    if not compact(cited) or not names:
        return PublisherMatch(Verdict.MISSING)
    scored = []
    for name in names:
        score = publisher_score(cited, name.value)
        if score >= MATCH_SCORE:
            return PublisherMatch(Verdict.MATCH, score, name.value, name.source)
        scored.append((score, name))
    # Quote the closest name the page gives itself; its domain only when it names itself nowhere.
    score, name = max(scored[: len(site_names)] or scored, key=lambda pair: pair[0])
    return PublisherMatch(Verdict.MISMATCH, score, name.value, name.source)


def domain_candidates(url: str) -> list[Candidate]:
    """The registrable domain of a URL as a site-name candidate ("bbc.co.uk"), if it has one."""
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:  # "http://[abc/": not a URL one can take a host from
        return []
    found = _DOMAINS(host)
    if not found.suffix:  # not a public suffix: an IP address, localhost, an intranet name
        return [Candidate(host, "domain")] if host else []
    return [Candidate(f"{found.domain}.{found.suffix}", "domain")]


def publisher_score(cited: str, name: str) -> float:
    """How surely two names are one publisher (0-100): spellings, initials, domain labels."""
    cited_forms, name_forms = _forms(cited), _forms(name)
    if cited_forms & name_forms:
        return 100.0
    if _abbreviates(cited, name_forms | _words(name)) or \
            _abbreviates(name, cited_forms | _words(cited)):
        return 100.0
    if _words_within(cited, name):
        return 100.0
    return max(fuzz.ratio(key(cited), key(name)), fuzz.ratio(compact(cited), compact(name)))


@lru_cache(maxsize=8192)
def same_name(first: str, second: str) -> bool:
    """Whether two names are plainly one: same letters, same domain label, or nearly equal."""
    return bool(_forms(first) & _forms(second)) or \
        fuzz.ratio(key(first), key(second)) >= SAME_NAME_SCORE


@lru_cache(maxsize=8192)
def _forms(name: str) -> frozenset[str]:
    """Compact spellings of a name: itself and, for a host name, its label and parts.

    A host's labels joined either way are a form too: news.bbc.co.uk is "BBC News" and
    archiv.krimiblog.de is "Krimiblog-Archiv".
    """
    forms = {compact(name)}
    if _is_host(name):
        found = _DOMAINS(name.strip().lower())
        *subdomains, label = [*found.subdomain.split("."), found.domain] if found.suffix else \
            name.strip().lower().split(".")[:-1]
        forms.update(compact(sub) for sub in subdomains if sub not in _SKIPPED_SUBDOMAINS)
        forms.add(compact(label))
        joined = [sub for sub in subdomains if sub and sub not in _MOBILE_SUBDOMAINS] + [label]
        if len(joined) > 1:
            forms.update((compact("".join(joined)), compact("".join(reversed(joined)))))
    forms = {form for form in forms if not form.isdigit()}
    return frozenset(form for form in forms if len(form) >= 2)


def _is_host(name: str) -> bool:
    return _HOST.fullmatch(name.strip().lower()) is not None


def _initials(name: str) -> set[str]:
    """Initials of a name's words, with and without the small words; a hyphenated compound
    counts as one word or as several ("Evangelisch-reformierte Kirche Schweiz": eks, erks)."""
    found = set()
    for words in (key(name).split(), key(name.replace("-", "")).split()):
        content = [word for word in words if word not in STOPWORDS]
        found |= {"".join(word[0] for word in chosen) for chosen in (words, content)
                  if len(chosen) > 1}
    return found


def _abbreviates(full: str, short_forms: Iterable[str]) -> bool:
    """Whether a short form is the initials of `full`, or one starts the other ("rfe", "rferl")."""
    initials = [initial for initial in _initials(full) if len(initial) >= 2]
    return any(
        form == initial or (min(len(form), len(initial)) >= MIN_LABEL
                            and (initial.startswith(form) or form.startswith(initial)))
        for form in short_forms for initial in initials
    )


def _words_within(cited: str, name: str) -> bool:
    """Whether every word of one name is a word of the other ("BBC" in "BBC News", "state")."""
    cited_words, name_words = _words(cited), _words(name)
    if not cited_words or not name_words:
        return False
    return cited_words <= name_words or name_words <= cited_words


def _words(name: str) -> set[str]:
    """The content words of a name; for a host name, its labels ("state" of state.gov)."""
    if _is_host(name):
        return {form for form in _forms(name) if form != compact(name)} - _GENERIC_LABELS
    return set(key(name).split()) - STOPWORDS
