"""Locators inside a source: "Article 93 of the Criminal Code", "Chapter III", "pp. 4-6".

`find_locators` reads them from a note or from the body text that cites it, with numbers
normalised (Roman numerals and number words become digits, "No. 46" is 46) and the instrument
reduced to its kind ("Criminal Code of the Republic of Azerbaijan" -> "criminal code").
`locator_conflicts` says where a note and its citing passage name the same instrument's
article (chapter, section…) with numbers that cannot both be right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from citecheck.citations.dates import ENGLISH_MONTHS
from citecheck.citations.numbers import NUMBER_WORDS_PATTERN, normalise_number
from citecheck.models import Locator

# trigger word (as written) -> kind; plural forms take lists ("Articles 1, 2 and 4")
_TRIGGERS = (
    (r"articles|arts\.?", "article", True), (r"article|art\.?", "article", False),
    (r"chapters", "chapter", True), (r"chapter|chap\.|ch\.", "chapter", False),
    (r"sections|ss\.|§§", "section", True), (r"section|sec\.|s\.|§", "section", False),
    (r"paragraphs|paras\.?|¶¶", "paragraph", True), (r"paragraph|para\.?|¶", "paragraph", False),
    (r"pages|pp\.", "page", True), (r"page|p\.", "page", False),
    (r"parts", "part", True), (r"part", "part", False),
    (r"clauses", "clause", True), (r"clause|cl\.", "clause", False),
    (r"rules", "rule", True), (r"rule", "rule", False),
    (r"annexes|appendices", "annex", True), (r"annex|appendix", "annex", False),
)
_LETTER_KINDS = {"annex", "part", "section", "chapter"}  # "Annex A", "Part B"
_UNITS = {"law", "decree", "resolution", "order"}  # numbered instruments: "Law No. 405-IVQD"
_NUMBER = (r"(?:\d{1,4}(?:\.\d{1,3})*[a-z]?(?:[\s-]?(?:bis|ter|quater)\b)?"
           r"(?-i:\s?\((?:\d{1,3}[a-z]?|[a-z]{1,4})\))*"
           r"|(?-i:[IVXLCDM]{2,}|[IVX])\b|(?-i:[A-Z])\b(?![.’'])|" + NUMBER_WORDS_PATTERN + r"\b)")
_VALUE = rf"(?:(?:No\.?|number)\s*)?{_NUMBER}"
_RANGE = rf"{_VALUE}(?:\s*(?:[-–—]|to)\s*{_VALUE})?"
_LIST = rf"{_RANGE}(?:\s*,\s*{_RANGE})*(?:,?\s+(?:and|or|&)\s+{_RANGE})?"
_TRIGGER_RE = re.compile(
    r"(?<![\w.])(?=[acprs§¶])(?:" + "|".join(
        rf"(?P<t{i}>{words})\s*(?P<v{i}>{_LIST if plural else _RANGE})"
        for i, (words, _, plural) in enumerate(_TRIGGERS)) + r")(?!\w)",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(r"(?<![\w.])(?:(?P<kind>law|decree|order)\s+(?:No\.?|number)\s*"
                      r"|(?P<resolution>resolution)\s+(?:No\.?\s*)?)"
                      r"(?P<value>\d\w*(?:[-/.]\w+)*)", re.IGNORECASE)
_ONE_VALUE = re.compile(_VALUE, re.IGNORECASE)
_SPLIT_VALUES = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*", re.IGNORECASE)
_SPLIT_RANGE = re.compile(r"\s*(?:[-–—]|\bto\b)\s*", re.IGNORECASE)

# instrument kinds, the first found in a name wins ("Optional Protocol to the Convention")
_HEADS = (
    ("code of criminal procedure", "code of criminal procedure"),
    ("criminal procedure code", "code of criminal procedure"),
    ("criminal procedural code", "code of criminal procedure"),
    ("code of administrative offences", "administrative code"),
    ("criminal code", "criminal code"), ("penal code", "criminal code"),
    ("civil code", "civil code"), ("labour code", "labour code"), ("labor code", "labour code"),
    ("administrative code", "administrative code"), ("family code", "family code"),
    ("electoral code", "electoral code"), ("constitution", "constitution"),
    ("convention", "convention"), ("covenant", "covenant"), ("charter", "charter"),
    ("protocol", "protocol"), ("declaration", "declaration"), ("treaty", "treaty"),
    ("statute", "statute"), ("directive", "directive"), ("regulations", "regulation"),
    ("regulation", "regulation"), ("rules", "rules"), ("principles", "principles"),
    ("decree", "decree"), ("law", "law"), ("act", "act"), ("code", "code"),
)
_ABBREVIATIONS = {
    "echr": ("convention", "european human rights"), "cat": ("convention", "torture"),
    "uncat": ("convention", "torture"), "iccpr": ("covenant", "civil political"),
    "icescr": ("covenant", "economic social cultural"), "crc": ("convention", "rights child"),
    "cedaw": ("convention", "discrimination women"), "crpd": ("convention", "disabilities"),
    "udhr": ("declaration", "universal human rights"), "ccp": ("code of criminal procedure", ""),
    "tfeu": ("treaty", "functioning european union"), "teu": ("treaty", "european union"),
}
_HEAD_RE = re.compile(r"\b(?:" + "|".join(re.escape(h) for h, _ in _HEADS) + r")\b", re.I)
_HEAD_NAMES = dict(_HEADS)
_CAP = r"(?:[A-Z][\w’'/\-]*)"
_CONNECTOR = r"(?:of|the|on|against|and|for|to|other|de|la|&)"
_INSTRUMENT = (rf"(?:{_CAP}(?:\s+(?:{_CONNECTOR}\s+)*(?:No\.\s*\d+|{_CAP}|\d{{4}}\b))*"
               r"|(?:[a-z]+\s+){0,3}?(?:" + "|".join(re.escape(h) for h, _ in _HEADS) + r")\b)")
_NESTED = re.compile(r"\s*(?:of|in)\s+(?:the\s+)?")  # "Article 46 of Chapter Three of …"
_AFTER_RE = re.compile(rf"\s*,?\s*(?:of|to)\s+(?:the\s+)?(?P<name>{_INSTRUMENT})")
_AFTER_ABBR_RE = re.compile(r"\s+(?:of\s+)?(?:the\s+)?(?P<name>[A-Z]{3,6})\b")
_BEFORE_RE = re.compile(rf"(?<![\w’'])(?P<name>{_INSTRUMENT})(?:\s*,|[’']s)?\s+$")
_SELF = re.compile(r"\s*(?:of\s+(?:this|the\s+present)\s+(?:report|document|submission)"
                   r"|above\b|below\b)", re.IGNORECASE)
_GENERIC = {"of", "the", "on", "against", "and", "for", "to", "in", "other", "de", "la",
            "republic", "united", "nations", "un", "international", "national", "federal",
            "state", "states", "people's", "democratic", "no", "optional", "bis", "ter",
            "quater"}
_HEAD_WORDS = {w for head, _ in _HEADS for w in head.split()} | set(
    re.findall(r"[a-z]+", " ".join(words for words, _, _ in _TRIGGERS)))
_COMPARED_WITHOUT_INSTRUMENT = {"article", "section", "chapter", "part", "clause", "paragraph"}


def find_locators(text: str) -> list[Locator]:
    """Every locator written in a text, in order, values normalised, instruments named."""
    found = sorted([*_numbered(text), *_numbered_instruments(text)], key=lambda pair: pair[0])
    return [locator for _, locator in found]


def _numbered(text: str) -> Iterator[tuple[int, Locator]]:
    """Article, chapter, section… locators, each with the instrument named around it."""
    for match in _TRIGGER_RE.finditer(text):
        if _SELF.match(text, match.end()):
            continue
        index = next(int(k[1:]) for k, v in match.groupdict().items() if v and k[0] == "t")
        kind = _TRIGGERS[index][1]
        start = match.start()
        name, end = _instrument_after(text, match.end())
        if name is None and (before := _instrument_before(text, start)) is not None:
            name, start = before
        instrument = normalise_instrument(name)
        for value in _values(match.group(f"v{index}"), kind):
            yield match.start(), Locator(kind, value, text[start:end], instrument)


def _numbered_instruments(text: str) -> Iterator[tuple[int, Locator]]:
    """Laws, decrees and resolutions known by their number: "Law No. 405-IVQD"."""
    for match in _UNIT_RE.finditer(text):
        kind = (match.group("kind") or match.group("resolution")).lower()
        value = match.group("value").rstrip(".").upper()
        yield match.start(), Locator(kind, value, match.group(0))


def normalise_instrument(name: str | None) -> str | None:
    """An instrument's kind: "Criminal Code of the Republic of Azerbaijan" -> "criminal code"."""
    if not name:
        return None
    lowered = " ".join(name.lower().replace("’", "'").split())
    head = _HEAD_RE.search(lowered)
    if head:
        return _HEAD_NAMES[head.group(0)]
    words = lowered.split()
    if words[0] in ENGLISH_MONTHS:
        return None
    if lowered in _ABBREVIATIONS:
        return _ABBREVIATIONS[lowered][0]
    return lowered.removeprefix("the ")


def locator_conflicts(cited: Sequence[Locator], context: Sequence[Locator], *,
                      clause: Sequence[Locator] = ()) -> list[tuple[Locator, Locator]]:
    """Pairs (cited, found) where a note and the passage citing it name one thing differently.

    The note's numbers for one kind and instrument ("article", "criminal code") conflict with
    the passage when they share no number with what the passage names for that instrument (or
    with no instrument at all), and either the citing clause itself names it, or elsewhere in
    the passage the numbers look like a slip of the pen (93 and 293, 12 and 21). A locator
    without an instrument is compared only with the citing clause's locators without one
    (articles, sections, chapters, parts, clauses and paragraphs).
    """
    conflicts = []
    for group in _groups(cited):
        found = _contradicting(group, context, clause)
        if found is not None:
            conflicts.append((group[0], found))
    return conflicts


def _contradicting(group: list[Locator], context: Sequence[Locator],
                   clause: Sequence[Locator]) -> Locator | None:
    first, numbers = group[0], _numbers(group)
    if first.instrument is None:
        if first.kind not in _COMPARED_WITHOUT_INSTRUMENT:
            return None
        found = [c for c in clause if c.kind == first.kind and c.instrument is None]
        return found[-1] if found and not numbers & _numbers(found) else None
    same = [c for c in context if c.kind == first.kind and c.instrument == first.instrument
            and _compatible(first, c)]
    loose = [c for c in context if c.kind == first.kind and c.instrument is None]
    if not same or numbers & _numbers(same + loose):
        return None
    in_clause = {_key(c) for c in clause}
    found = [c for c in same if _key(c) in in_clause or _slip(numbers, _numbers([c]))]
    return found[-1] if found else None


def _key(locator: Locator) -> tuple[str, str, str | None]:
    return locator.kind, locator.value, locator.instrument


def _slip(cited: set[str], found: set[str]) -> bool:
    """Numbers a slip of the pen apart: a digit dropped or added (93, 293), two swapped (12, 21)."""
    return any(_one_slip(a, b) for a in cited for b in found)


def _one_slip(one: str, other: str) -> bool:
    if one == other or not (one.isdigit() and other.isdigit()):
        return False
    if len(one) == len(other):
        differ = [i for i in range(len(one)) if one[i] != other[i]]
        return len(differ) == 2 and differ[1] == differ[0] + 1 and sorted(one) == sorted(other)
    short, long = sorted((one, other), key=len)
    return len(long) - len(short) == 1 and any(
        long[:i] + long[i + 1:] == short for i in range(len(long)))


def _values(written: str, kind: str) -> list[str]:
    values = []
    for part in _SPLIT_VALUES.split(written.strip()):
        pieces = [part] if _ONE_VALUE.fullmatch(part) else _SPLIT_RANGE.split(part, maxsplit=1)
        ends = [_one_value(end, kind) for end in pieces]
        if all(ends):
            values.append("-".join(dict.fromkeys(e for e in ends if e)))
    return values


def _one_value(written: str, kind: str) -> str | None:
    text = re.sub(r"^(?:No\.?|number)\s*", "", written.strip(), flags=re.IGNORECASE)
    text = re.sub(r"[\s-]+(?=\(|bis|ter|quater)", "", text)
    if len(text) == 1 and text.isalpha() and text not in "IVX":
        return text if kind in _LETTER_KINDS else None
    return normalise_number(text)


def _instrument_after(text: str, end: int) -> tuple[str | None, int]:
    position = end
    while True:
        nested = _NESTED.match(text, position)
        if not nested or not (inner := _TRIGGER_RE.match(text, nested.end())):
            break
        position = inner.end()
    after = _AFTER_RE.match(text, position) or _AFTER_ABBR_RE.match(text, position)
    if after is None:
        return None, position
    return after.group("name"), after.end()


def _instrument_before(text: str, start: int) -> tuple[str, int] | None:
    offset = max(0, start - 80)
    before = _BEFORE_RE.search(text[offset:start])
    if before is None:
        return None
    name = before.group("name")
    if _HEAD_RE.search(name) or name.lower() in _ABBREVIATIONS:
        return name, offset + before.start()
    return None


def qualifier(locator: Locator) -> frozenset[str]:
    """The words that tell one instrument of a kind from another ("against torture")."""
    words = re.findall(r"[^\W\d_]+", locator.text.lower())
    abbreviation = next((_ABBREVIATIONS[w][1] for w in words if w in _ABBREVIATIONS), "")
    kept = {w for w in words if w not in _HEAD_WORDS and w not in _GENERIC
            and len(w) > 1 and normalise_number(w) is None and w not in ENGLISH_MONTHS}
    return frozenset(kept | set(abbreviation.split())) - {w for w in words if w in _ABBREVIATIONS}


def _compatible(one: Locator, other: Locator) -> bool:
    mine, theirs = qualifier(one), qualifier(other)
    return not mine or not theirs or bool(mine & theirs)


def _groups(locators: Iterable[Locator]) -> list[list[Locator]]:
    groups: dict[tuple[str, str | None], list[Locator]] = {}
    for locator in locators:
        groups.setdefault((locator.kind, locator.instrument), []).append(locator)
    return list(groups.values())


def _numbers(locators: Iterable[Locator]) -> set[str]:
    numbers: set[str] = set()
    for locator in locators:
        numbers.update(_expand(locator.value))
    return numbers


def _expand(value: str) -> set[str]:
    base = re.sub(r"\(.*$", "", value).lower()
    low, _, high = base.partition("-")
    if high and low.isdigit() and high.isdigit() and 0 <= int(high) - int(low) <= 500:
        return {str(n) for n in range(int(low), int(high) + 1)}
    return {low, high} - {""} if high else {base}
