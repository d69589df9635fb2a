"""The text around each note marker: the citing clause, its sentence, the span since the last one.

Every reader turns its format into `Paragraph`s (body text with the markers taken out, and
where each marker stood); `markers_for` then computes the same context for all formats.
Sentence splitting is a small rule set tuned for reports: it does not split after
abbreviations ("No. 46", "Art. 5", "e.g."), dotted acronyms ("U.S.") or initials ("A. S.").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from citecheck.models import Marker

CONTEXT_MAX = 200
SENTENCE_MAX = 1000
SPAN_MAX = 2000
_MIN_CLAUSE = 40  # a clause cut shorter than this says too little; cut at a word instead
_MIN_WORDS_SINCE_MARKER = 3  # "[1][2]": the second marker supports the same clause

_TERMINAL = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_OPENERS = "\"'“‘«([¿¡"
_CLAUSE_BREAKS = frozenset(",;:—–()")
_ABBREVIATIONS = frozenset({  # a period after these does not end a sentence
    "no", "nos", "art", "arts", "para", "paras", "p", "pp", "sec", "secs", "ch", "chap", "vol",
    "vols", "fig", "figs", "ed", "eds", "op", "cit", "al", "e.g", "i.e", "cf", "vs", "viz",
    "approx", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt",
    "capt", "rev", "hon", "dept", "govt", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mt", "ft", "nr", "pt",
})
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S, e.g, A.H (the final dot is the match)


@dataclass(frozen=True)
class Ref:
    """Where a marker stood in a paragraph's body text."""

    note_id: str
    offset: int  # index into Paragraph.text where the marker was removed
    line: int | None = None


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: its text without markers, the markers it had, its 1-based number."""

    text: str
    refs: tuple[Ref, ...]
    number: int


def sentence_starts(text: str) -> list[int]:
    """Start offsets of the sentences of a paragraph (always begins with 0)."""
    starts = [0]
    for match in _TERMINAL.finditer(text):
        nxt = _skip_space(text, match.end())
        if nxt < len(text) and _starts_sentence(text[nxt]) and not _is_abbreviation(text, match):
            starts.append(nxt)
    return starts


def markers_for(paragraph: Paragraph) -> list[Marker]:
    """One Marker per reference of a paragraph, with its context, sentence and span."""
    text = paragraph.text
    starts = sentence_starts(text) if paragraph.refs else []
    markers, previous = [], 0
    for ref in paragraph.refs:
        sentence_start, sentence_end = _sentence_around(text, starts, ref.offset)
        clause_start = _clause_start(text, sentence_start, previous, ref.offset)
        markers.append(Marker(
            note_id=ref.note_id,
            context=clip_start(text[clause_start:ref.offset], CONTEXT_MAX, clauses=True),
            sentence=_bounded_sentence(text, sentence_start, sentence_end, ref.offset),
            span=clip_start(text[previous:ref.offset], SPAN_MAX),
            line=ref.line,
            paragraph=paragraph.number,
        ))
        previous = ref.offset
    return markers


def clip_start(text: str, limit: int, *, clauses: bool = False) -> str:
    """Whitespace-normalised text, shortened from the start to `limit` characters if longer.

    The cut falls after a clause break (`, ; : — ( )`) when `clauses` is set and one leaves a
    useful clause, else at a word boundary.
    """
    text = normalise(text).lstrip(" .,;:—–)")
    if len(text) <= limit:
        return text
    window = text[-limit:]
    if clauses:
        for i, char in enumerate(window):
            if char in _CLAUSE_BREAKS and len(window) - i - 1 >= _MIN_CLAUSE:
                return window[i + 1:].strip(" ,;:—–()")
            if len(window) - i - 1 < _MIN_CLAUSE:
                break
    if text[-limit - 1] == " ":
        return window  # the window already starts at a word
    space = window.find(" ")
    return window[space + 1:] if 0 <= space < limit // 2 else window


def normalise(text: str) -> str:
    """Collapse runs of whitespace (line breaks, tabs) to single spaces."""
    return " ".join(text.split())


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _starts_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENERS


def _is_abbreviation(text: str, match: re.Match[str]) -> bool:
    if text[match.start()] != "." or match.group().rstrip("\"'”’»)]") != ".":
        return False  # "?", "!", "..." always end a sentence
    word = _word_before(text, match.start()).lstrip(_OPENERS)
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "A. S."
    return word.lower() in _ABBREVIATIONS or bool(_DOTTED.fullmatch(word))


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and end - start < 40 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _sentence_around(text: str, starts: Sequence[int], offset: int) -> tuple[int, int]:
    anchor = offset - 1
    while anchor > 0 and text[anchor].isspace():
        anchor -= 1
    index = bisect.bisect_right(starts, max(anchor, 0)) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    return starts[index], end


def _clause_start(text: str, sentence_start: int, previous: int, offset: int) -> int:
    if previous <= sentence_start:
        return sentence_start
    if len(text[previous:offset].split()) >= _MIN_WORDS_SINCE_MARKER:
        return previous
    return sentence_start


def _bounded_sentence(text: str, start: int, end: int, offset: int) -> str:
    if end - start <= SENTENCE_MAX:
        return normalise(text[start:end])
    stop = min(end, max(offset, start + SENTENCE_MAX // 2) + SENTENCE_MAX // 5)
    return clip_start(text[start:stop], SENTENCE_MAX)


def iter_refs(paragraphs: Sequence[Paragraph]) -> Iterator[tuple[Paragraph, Ref]]:
    """Every reference of every paragraph, in document order."""
    for paragraph in paragraphs:
        for ref in paragraph.refs:
            yield paragraph, ref
