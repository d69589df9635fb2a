"""Title, publisher and publication date from what is left of a note once links are out.

Dates that stand alone between separators are taken out first (the one nearest the end is
the publication date), then a quoted title, then the rest is cut at commas, semicolons and
sentence full stops. Of the text segments left, the publisher is the end that looks most like
a name (a domain, an all-caps name, an organisation's shape) and the title is the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citecheck.citations.dates import FoundDate, find_dates
from citecheck.citations.locators import find_locators
from citecheck.models import DatePrecision

_DATE_MARK = 0xE000  # private-use characters stand in for the dates taken out
_QUOTE_MARK = "\ue900"
_MARKS = re.compile("[\ue000-\ue9ff]")
_SENTENCE_START = re.compile("\\s+[A-Z0-9\"“‘'«\ue000-\ue9ff]")
_CUT_CANDIDATE = re.compile("[,;.()\\[\\]\ue000-\ue9ff]")
_DEPTH = {"(": 1, "[": 1, ")": -1, "]": -1}
_INITIALS = re.compile(r"\s*(?:[A-Z]\.\s?){1,3}(?:[,(]|\s*$|\s+\()")  # "Smith, J. (2020)"
_LAST_WORD = re.compile(r"([\w'’]+)\.?$")
_DATE_PREFIX = re.compile(r"(?:(?:first\s+)?(?:published|posted|dated|issued|released|updated"
                          r"|modified|last\s+updated)(?:\s+on)?|on|of)\s*:?\s*$", re.IGNORECASE)
_UPDATED = re.compile(r"updated|modified", re.IGNORECASE)
_QUOTES = (("“", "”"), ("\"", "\""), ("‘", "’"), ("'", "'"), ("«", "»"), ("„", "“"), ("„", "”"))
_QUOTED = re.compile("|".join(
    rf"(?:^|(?<=[,.:;(]))\s*{re.escape(o)}(?P<q{i}>.+?)"
    rf"(?:(?<=[,.]){re.escape(c)}|{re.escape(c)}(?=\s*(?:[,.;:)]|$)))"
    for i, (o, c) in enumerate(_QUOTES)))
_ABBREVIATIONS = {"no", "nos", "art", "arts", "sec", "para", "paras", "pp", "vol", "vols",
             "ed", "eds", "inc", "ltd", "co", "corp", "st", "dr", "mr", "mrs", "ms",
             "prof", "jr", "sr", "vs", "cf", "al", "op", "cit", "loc", "ch", "chap",
             "fig", "rev", "gen", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
             "sept", "oct", "nov", "dec", "dept", "govt", "univ", "assn", "intl", "nat",
             "ibid"}
_ORG_PHRASE = re.compile(
    r"^(?:the\s+)?(?:(?:[\w'’-]+\s+){0,3}(?:ministry|council|department|office|committee"
    r"|commission|agency|bureau|court|parliament|government|embassy|mission|union|association"
    r"|federation|organi[sz]ation|institute|foundation|cent(?:er|re)|network|coalition|alliance"
    r"|society|service|presidency|administration|secretariat|assembly|directorate|chamber"
    r"|ombudsman|observatory|website|portal)\s+(?:of|for|on|against|to)\b)"
    r"|department\s+of\s+state$",
    re.IGNORECASE)
_ORG_WORDS = ["news", "times", "post", "radio", "television", "tv", "media", "press", "agency",
              "journal", "herald", "tribune", "gazette", "review", "magazine", "daily", "weekly",
              "monitor", "observer", "guardian", "reuters", "watch", "international", "foundation",
              "institute", "bank", "university", "ministry", "council", "committee", "commission",
              "nations", "network", "bureau", "service", "centre", "center", "union", "office",
              "group", "org", "online", "info", "live", "today", "express", "telegraph", "insider",
              "voice", "mirror", "standard", "chronicle", "broadcasting", "channel", "fund",
              "amnesty", "hub", "wire", "website", "portal"]
_ORG_WORD = re.compile(r"\b(?:" + "|".join(_ORG_WORDS) + r")\b", re.IGNORECASE)
# document symbols and case numbers: "CCPR/C/AZE/CO/5", "A/HRC/52/30", "Index: EUR 55/1234/2023"
_SYMBOL = re.compile(r"(?=.*\d)(?:(?:(?:UN\s+|U\.N\.\s+)?Doc\.?|Index|No\.?|Ref\.?)?\s*:?\s*"
                     r"[A-Z][\w.()-]*(?:\s?/\s?[\w.()-]+)+|[A-Z][A-Za-z]+\(\d{4}\)\d+)",
                     re.IGNORECASE)
_REMARK = re.compile(r"\s*\((?:(?:UN\s+)?Doc|(?:AI\s+)?Index|Ref)\b[^()]*\)", re.IGNORECASE)
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)
_TITLE_HINT = re.compile(r"[:?!\"“”]|\b(?:is|are|was|were|has|have|had|says|said|claims|to|in"
                         r"|on|at|over|after|amid|against|how|why|what|will|would)\b")
_AUTHOR = re.compile(r"^(?:(?:[A-Z]\.\s?)+[A-Z][\w'’-]+|[A-Z][\w'’-]+,?\s+(?:[A-Z]\.?\s?)+"
                     r"|.+\bet\s+al\.?|[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}"
                     r"(?:\s+(?:and|&)\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,2})?)$")


@dataclass(frozen=True)
class Fields:
    """What the segments of a note gave, with how much guessing it took (0 to 1)."""

    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    date_precision: DatePrecision | None = None
    doubt: float = 0.0


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    text: str


def read_fields(text: str) -> Fields:
    """Title, publisher and publication date of a note whose URLs were taken out."""
    text = text.strip(" ,;:.")
    if ";" in text and _separate_sources(text):
        return _doubt(read_fields(text.split(";", 1)[0]), 0.2)
    work, dates = _mark_dates(text)
    date = _publication_date(dates)
    work, quoted = _mark_quote(work)
    work = _open_trailing_group(work)
    segments = _segments(work)
    # a note that is only a locator ("Article 93 of the Criminal Code") is its own title
    segments = [s for s in segments if _is_text(s.text)] or [
        s for s in segments if not _MARKS.search(s.text) and re.search(r"[^\W\d_]", s.text)]
    fields = _title_and_publisher(segments, quoted, work, dates)
    if date is None:
        return fields
    return Fields(fields.title, fields.publisher, date.iso, date.precision, fields.doubt)


def publisher_score(segment: str) -> float:
    """How much a short text looks like a publisher's name (0: not at all, 1: surely)."""
    words = segment.split()
    score = _as_domain_or_acronym(segment, words)
    if score is None:
        score = _as_organisation(segment, words)
    return _as_short_name(segment, words) if score is None else score


def _as_domain_or_acronym(segment: str, words: list[str]) -> float | None:
    if _DOMAIN.match(segment) or re.fullmatch(r"[a-z]+(?:-[a-z]+)+", segment):
        return 1.0  # MEYDAN.TV, oc-media
    letters = re.sub(r"[^\w]", "", segment)
    return 0.9 if len(words) <= 4 and letters.isupper() and len(letters) >= 2 else None


def _as_organisation(segment: str, words: list[str]) -> float | None:
    if re.search(r"[:?!]", segment):
        return None
    if _ORG_PHRASE.search(segment) and len(words) <= 12:
        return 0.9  # Ministry of …, Council of Europe, Us department of state
    organisation = _ORG_WORD.search(segment)
    if organisation is None or len(words) > 8:
        return None
    if organisation.group(0)[0].isupper():
        return 0.8  # Azerbaijan Internet Watch, Radio Free Europe/Radio Liberty
    return 0.6 if len(words) <= 5 and not _TITLE_HINT.search(segment) else None


def _as_short_name(segment: str, words: list[str]) -> float:
    if _TITLE_HINT.search(segment) or len(words) > 6:
        return 0.0
    if len(words) == 1 and not segment.islower():
        return 0.7
    if all(w[0].isupper() or w.lower() in {"of", "the", "for", "and", "&"} for w in words):
        return 0.5
    return 0.1


def _separate_sources(text: str) -> bool:
    parts = [p for p in text.split(";") if p.strip()]
    return len(parts) > 1 and all(find_dates(p) or "," in p for p in parts)


def _doubt(fields: Fields, more: float) -> Fields:
    return Fields(fields.title, fields.publisher, fields.date, fields.date_precision,
                  fields.doubt + more)


def _mark_dates(text: str) -> tuple[str, list[tuple[FoundDate, str]]]:
    """Replace each date standing alone between separators with a mark character."""
    out, dates, position = [], [], 0
    for date in find_dates(text):
        prefix = _DATE_PREFIX.search(text, max(position, date.start - 40), date.start)
        start = prefix.start() if prefix else date.start
        if not (_stands_alone(text, start, date.end) or (prefix and _ends_segment(text, date.end))):
            continue
        out.append(text[position:start])
        out.append(chr(_DATE_MARK + len(dates)))
        dates.append((date, prefix.group(0) if prefix else ""))
        position = date.end
    out.append(text[position:])
    return "".join(out), dates


def _ends_segment(text: str, end: int) -> bool:
    after = text[end:end + 40].lstrip()
    if not after:
        return end + 40 >= len(text)  # only spaces up to the end
    return after[0] in ",;:.)]("


def _stands_alone(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start].rstrip()  # windows keep long notes linear
    if before[-2:-1] in (",", ".") and before[-1:] in "”’\"'»":
        before = before[:-1]  # “Title,” 20 March 2021
    if before[-1:] in "([" and before[-2:-1].isalnum():
        return False  # CommDH(2019)27
    if text[end:end + 1] == ")":
        return True  # (Amnesty International 2022)
    return (before[-1:] in ",;:.([" if before else start <= 40) and _ends_segment(text, end)


def _publication_date(dates: list[tuple[FoundDate, str]]) -> FoundDate | None:
    published = [d for d, prefix in dates if not _UPDATED.search(prefix)]
    chosen = published or [d for d, _ in dates]
    return chosen[-1] if chosen else None


def _mark_quote(work: str) -> tuple[str, str | None]:
    match = _QUOTED.search(work)
    if match is None:
        return work, None
    title = next(v for k, v in match.groupdict().items() if v is not None)
    title = title.strip(" ,.")
    if len(title.split()) < 2 and not _MARKS.search(work.replace(match.group(0), "")):
        return work, None
    return work[:match.start()] + " " + _QUOTE_MARK + " " + work[match.end():], title


def _open_trailing_group(work: str) -> str:
    """Turn a trailing "(Publisher, Date)" into plain segments."""
    stripped = work.rstrip(" .,;")
    if not stripped.endswith(")"):
        return work
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(stripped[index], 0)
        if depth == 0:
            inner = stripped[index + 1:-1]
            if index == 0 or not stripped[index - 1].isspace() or not (
                    _MARKS.search(inner) or publisher_score(inner) >= 0.5):
                return work
            return stripped[:index] + ", " + inner + ","
    return work


def _segments(work: str) -> list[_Segment]:
    """Cut at top-level commas and semicolons, sentence full stops and date marks."""
    segments, start, depth = [], 0, 0
    for match in _CUT_CANDIDATE.finditer(work):
        index, char = match.start(), match.group(0)
        depth += _DEPTH.get(char, 0)
        if _MARKS.match(char):
            segments += [_Segment(start, index, work[start:index]),
                         _Segment(index, index + 1, char)]
        elif depth <= 0 and _cuts(work, index, char):
            segments.append(_Segment(start, index, work[start:index]))
        else:
            continue
        start = index + 1
    segments.append(_Segment(start, len(work), work[start:]))
    return [_strip(s) for s in segments if s.text.strip(" .,;:()[]")]


def _cuts(work: str, index: int, char: str) -> bool:
    if char in ",;":
        return not _INITIALS.match(work, index + 1)
    return char == "." and _sentence_end(work, index)


def _strip(segment: _Segment) -> _Segment:
    text = segment.text
    left = len(text) - len(text.lstrip(" .,;:)]"))
    right = len(text.rstrip(" .,;:(["))
    return _Segment(segment.start + left, segment.start + right, text[left:right])


def _sentence_end(work: str, index: int) -> bool:
    if not _SENTENCE_START.match(work, index + 1):
        return False
    word = _LAST_WORD.search(work, max(0, index - 40), index)
    if word is None:
        return True
    token = word.group(1)
    if token.lower() in _ABBREVIATIONS or len(token) == 1:
        return False
    return work[word.start() - 1:word.start()] != "."


def _is_text(segment: str) -> bool:
    if segment == _QUOTE_MARK or _MARKS.fullmatch(segment):
        return segment == _QUOTE_MARK
    if not re.search(r"[^\W\d_]", segment) or _SYMBOL.fullmatch(segment):
        return False
    if segment.startswith("(") and segment.endswith(")"):
        return publisher_score(segment[1:-1]) >= 0.5  # "(name withheld)" is a remark
    leftover = segment
    for locator in find_locators(segment):
        leftover = leftover.replace(locator.text, " ")
    return bool(re.search(r"[^\W\d_]{2,}", leftover))


def _title_and_publisher(segments: list[_Segment], quoted: str | None, work: str,
                         dates: list[tuple[FoundDate, str]]) -> Fields:
    texts = [s for s in segments if s.text != _QUOTE_MARK]
    if quoted is not None:
        publisher = _best_publisher(texts)
        return Fields(title=quoted, publisher=publisher, doubt=0.0 if publisher else 0.05)
    if not texts:
        return Fields(doubt=0.1)
    if len(texts) == 1:
        only = texts[0].text
        if publisher_score(only) >= 0.9 and len(only.split()) <= 4 and dates:
            return Fields(publisher=only, doubt=0.1)
        return Fields(title=_restore(only, dates), doubt=0.05)
    return _split_title(texts, work, dates)


def _split_title(texts: list[_Segment], work: str, dates: list[tuple[FoundDate, str]]) -> Fields:
    first, last = publisher_score(texts[0].text), publisher_score(texts[-1].text)
    doubt = 0.0
    if last >= first and last > 0.1:
        publisher, title_segments = texts[-1], texts[:-1]
        doubt = 0.15 if last == first else 0.0
    elif first > 0.1:
        publisher, title_segments = texts[0], texts[1:]
    else:
        publisher, title_segments = texts[-1], texts[:-1]
        doubt = 0.3
    if len(title_segments) >= 2 and _is_author(title_segments[0].text, title_segments[1].text):
        title_segments = title_segments[1:]
    title = work[title_segments[0].start:title_segments[-1].end]
    return Fields(title=_restore(title, dates), publisher=publisher.text, doubt=doubt)


def _best_publisher(texts: list[_Segment]) -> str | None:
    candidates = [s.text for s in texts if not (len(texts) > 1 and _AUTHOR.match(s.text)
                                                 and publisher_score(s.text) < 0.9)]
    scored = sorted(candidates, key=publisher_score, reverse=True)
    return scored[0] if scored and publisher_score(scored[0]) > 0 else None


def _is_author(candidate: str, following: str) -> bool:
    return bool(_AUTHOR.match(candidate)) and len(following.split()) >= 2 and (
        publisher_score(candidate) < 0.9)


def _restore(text: str, dates: list[tuple[FoundDate, str]]) -> str:
    def original(match: re.Match[str]) -> str:
        index = ord(match.group(0)) - _DATE_MARK
        if 0 <= index < len(dates):
            return dates[index][1] + dates[index][0].text
        return ""

    return " ".join(_REMARK.sub("", _MARKS.sub(original, text)).split()).strip(" ,;:")
