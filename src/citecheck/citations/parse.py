"""One footnote's text -> its fields: URL, accessed date, repeat markers (ibid), then `fields`.

A layered heuristic: each step takes what it recognises out of the text and leaves the rest
to the next, so the title and publisher are read from what no earlier step claimed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from citecheck.citations.dates import find_dates
from citecheck.citations.fields import Fields, read_fields
from citecheck.citations.locators import find_locators
from citecheck.models import DatePrecision, Kind, Locator

_URL = re.compile(r"(?:https?://|(?<![\w.@/])www\.)[^\s<>\"“”‘’«»|]+", re.IGNORECASE)
_TRAILING = ".,;:!?'’\"”»>*"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_CLOSING = re.compile(r"\s*[>\])]?")
_LABEL = re.compile(
    r"(?:[,.;]?\s*(?:link|url|source|available\s+(?:online\s+)?(?:at|from|on|here)|online\s+at"
    r"|accessible\s+(?:at|from)|retrieved\s+from|available|online|at|via|from|see)\s*:?)?"
    r"\s*[<\[(]?\s*$", re.IGNORECASE)
_DANGLING_LABEL = re.compile(
    r"(?:^|[,.;:])\s*(?:(?:(?:available|accessible|read\s+more|click|see)\s+)?(?:link|url|here"
    r"|online|(?:the\s+)?website)|available)\s*:?[\s,.;]*$", re.IGNORECASE)
_ACCESSED = re.compile(
    r"[\[(]?\s*(?:date\s+of\s+access|(?:last\s+|first\s+)?(?:accessed|retrieved|visited|consulted"
    r"|viewed|checked|seen|consulté|consultado|abgerufen|дата\s+обращения))"
    r"(?:\s+(?:on|at|le|el|am))?\s*:?\s*", re.IGNORECASE)
_LEADING = re.compile(r"^(?:for\s+(?:more|further)\s+(?:information|details),?\s+)?(?:see\s+also"
                      r"|see,?\s+e\.g\.,?|see|cf\.|e\.g\.,?|for\s+example,?|sources?:|quoted\s+in"
                      r"|as\s+reported\s+(?:by|in))\s+", re.IGNORECASE)
_IBID = re.compile(r"^(?:ibid(?:em)?\b\.?|idem\b\.?|id\.(?=\s*(?:,|at\b|$|\d|p)))",
                   re.IGNORECASE)
_SUPRA_NOTE = re.compile(r"\b(?:supra|above|see)\s*,?\s*(?:foot)?(?:note|n\.?|fn\.?)\s*(\d+)\b"
                         r"|\b(?:foot)?note\s+(\d+)\s*,?\s*(?:above|supra)\b", re.IGNORECASE)
_REPEAT = re.compile(
    r"(?:^|[\s,.;:(])(?P<mark>previous(?:ly)?\s+(?:reference|cited|quoted|mentioned|source)"
    r"|op\.?\s*cit\b\.?|loc\.?\s*cit\b\.?|supra\b|cited\s+above|above[-\s]cited|already\s+cited"
    r"|(?:the\s+)?same\s+(?:source|reference)|referenced\s+above)", re.IGNORECASE)


@dataclass(frozen=True)
class RefersTo:
    """What a repeat note (ibid, supra, "Title, Previous reference") points at."""

    how: str  # previous (the note before), note (note `target`), match (earlier note like `target`)
    target: str | None = None


@dataclass(frozen=True)
class ParsedNote:
    """The fields read from one note's text, with how sure the reading is (0 to 1)."""

    kind: Kind
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    date_precision: DatePrecision | None = None
    url: str | None = None
    urls: tuple[str, ...] = ()
    accessed: str | None = None
    locators: tuple[Locator, ...] = ()
    refers_to: RefersTo | None = None
    confidence: float = 0.0


def parse_note(text: str, link_targets: Sequence[str] = ()) -> ParsedNote:
    """Read a note's kind, title, publisher, dates, URLs, locators and repeat hint."""
    clean = " ".join(text.replace("\u00a0", " ").split())
    urls, rest = take_urls(clean)
    urls = _with_targets(urls, link_targets)
    rest = _DANGLING_LABEL.sub("", rest)  # "…, link" whose link is only a hyperlink target
    accessed, rest = take_accessed(rest)
    rest = _LEADING.sub("", rest.strip(" ,;:"))
    locators = tuple(find_locators(rest))
    repeat = _repeat(rest, locators)
    if repeat is not None:
        return _with_links(repeat, urls, accessed)
    fields = read_fields(rest)
    return ParsedNote(
        kind=Kind.WEB if urls else Kind.NO_LINK, title=fields.title, publisher=fields.publisher,
        date=fields.date, date_precision=fields.date_precision, url=urls[0] if urls else None,
        urls=tuple(urls[1:]), accessed=accessed, locators=locators,
        confidence=_confidence(fields, bool(urls)),
    )


def take_urls(text: str) -> tuple[list[str], str]:
    """The web addresses in a text, in order, and the text without them and their labels."""
    urls: list[str] = []
    seen: set[str] = set()  # a list's `in` would make a note of many URLs quadratic
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = _trim_url(match.group(0))
        has_scheme = re.match(r"https?://[\w\[]", url, re.IGNORECASE)  # intranet hosts too
        if not has_scheme and not re.search(r"\w\.\w", url):
            continue
        before = text[position:match.start()]
        pieces.append(_LABEL.sub("", before) + " , ")
        closing = _CLOSING.match(text, match.start() + len(url))
        position = closing.end() if closing else match.start() + len(url)
        full = url if re.match(r"https?://", url, re.IGNORECASE) else "http://" + url
        if full not in seen:
            seen.add(full)
            urls.append(full)
    pieces.append(text[position:])
    return urls, "".join(pieces)


def take_accessed(text: str) -> tuple[str | None, str]:
    """The "accessed on" date of a note (ISO) and the text without that phrase."""
    for match in _ACCESSED.finditer(text):
        dates = [d for d in find_dates(text[match.end():match.end() + 40]) if d.start <= 1]
        if not dates:
            continue
        end = match.end() + dates[0].end
        closing = re.match(r"\s*[)\]]", text[end:])
        if closing and match.group(0).startswith(("(", "[")):
            end += closing.end()
        return dates[0].iso, text[:match.start()] + " , " + text[end:]
    return None, text


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING + ")]}":
        last = url[-1]
        if last in _PAIRS and url.count(last) <= url.count(_PAIRS[last]):
            break  # a balanced bracket belongs to the URL: /wiki/Trial_(law)
        url = url[:-1]
    return url


def _with_targets(urls: list[str], link_targets: Sequence[str]) -> list[str]:
    extra = [t.strip() for t in link_targets if re.match(r"https?://", t.strip(), re.IGNORECASE)]
    seen = set(urls)
    return urls + [t for t in extra if t not in seen]


def _repeat(rest: str, locators: tuple[Locator, ...]) -> ParsedNote | None:
    if _IBID.match(rest):
        return ParsedNote(Kind.IBID, locators=locators, refers_to=RefersTo("previous"),
                          confidence=0.9)
    supra = _SUPRA_NOTE.search(rest)
    if supra and _only_locators_after(rest[supra.end():], locators):
        note = supra.group(1) or supra.group(2)
        return ParsedNote(Kind.PREVIOUS, locators=_outside(locators, supra.group(0)),
                          refers_to=RefersTo("note", note), confidence=0.9)
    mark = _REPEAT.search(rest)
    if mark is None or not _only_locators_after(rest[mark.end():], locators):
        return None
    head = rest[:mark.start("mark")].strip(" ,.;:(")
    if not re.search(r"[^\W\d_]", head):
        return ParsedNote(Kind.PREVIOUS, locators=locators, refers_to=RefersTo("previous"),
                          confidence=0.85)
    named = not re.match(r"op|loc|supra", mark.group("mark"), re.IGNORECASE)
    return ParsedNote(Kind.PREVIOUS, title=head if named else None, locators=locators,
                      refers_to=RefersTo("match", head), confidence=0.8)


def _only_locators_after(tail: str, locators: tuple[Locator, ...]) -> bool:
    """Whether a repeat marker ends the note but for locators ("supra note 5, p. 3")."""
    for locator in locators:
        tail = tail.replace(locator.text, " ")
    return not re.search(r"[^\W\d_]{3,}", re.sub(r"\b(?:at|above|supra)\b", " ", tail))


def _outside(locators: tuple[Locator, ...], written: str) -> tuple[Locator, ...]:
    return tuple(loc for loc in locators if loc.text not in written)


def _with_links(parsed: ParsedNote, urls: list[str], accessed: str | None) -> ParsedNote:
    if not urls and accessed is None:
        return parsed
    return replace(parsed, url=urls[0] if urls else None, urls=tuple(urls[1:]), accessed=accessed)


def _confidence(fields: Fields, has_url: bool) -> float:
    score = 1.0 - fields.doubt
    if fields.title is None:
        score -= 0.35
    if fields.publisher is None:
        score -= 0.15 if has_url else 0.05
    if fields.date is None:
        score -= 0.15 if has_url else 0.05
    return round(min(1.0, max(0.05, score)), 2)
