"""A document's notes -> citations: parsed fields, the citing context, and repeats resolved.

A repeat note (ibid, supra, "Title, Previous reference") gets `same_as`, the id of the note
it finally repeats: an ibid after a previous reference points where that one points. Repeats
look only at earlier notes of the same kind (footnotes or endnotes).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from citecheck.citations.locators import find_locators
from citecheck.citations.parse import ParsedNote, RefersTo, parse_note
from citecheck.models import Citation, Context, Document, Kind, Marker, Note

logger = logging.getLogger(__name__)

MATCH_CUTOFF = 80.0  # rapidfuzz score (0-100) a "Title, Previous reference" needs to match


def build_citations(doc: Document) -> list[Citation]:
    """One citation per note, in document order, with context from the note's first marker."""
    markers: dict[str, Marker] = {}
    for marker in doc.markers:
        markers.setdefault(marker.note_id, marker)
    return _build(doc.notes, markers)


def citations_from_texts(notes: Sequence[tuple[str, str]]) -> dict[str, Citation]:
    """Citations from (id, text) pairs, without context: the base of the citations.yml merge."""
    built = _build(tuple(Note(id=note_id, text=text) for note_id, text in notes), {})
    return {citation.id: citation for citation in built}


def context_of(marker: Marker) -> Context:
    """The citing context of a marker, with the locators its passage names."""
    return Context(text=marker.context, line=marker.line, paragraph=marker.paragraph,
                   locators=tuple(find_locators(marker.span)))


def _build(notes: Sequence[Note], markers: Mapping[str, Marker]) -> list[Citation]:
    parsed = [parse_note(note.text, note.link_targets) for note in notes]
    resolved = resolve_repeats(notes, parsed)
    citations = []
    for note, fields in zip(notes, parsed, strict=True):
        marker = markers.get(note.id)
        same_as, score = resolved.get(note.id, (None, 1.0))
        citations.append(_citation(note, fields, marker, same_as, score))
    return citations


def _citation(note: Note, parsed: ParsedNote, marker: Marker | None, same_as: str | None,
              score: float) -> Citation:
    kind = parsed.kind
    confidence = parsed.confidence
    if parsed.refers_to is not None:
        confidence = round(confidence * score, 2) if same_as else 0.3
        if parsed.url:
            kind = Kind.WEB  # a repeat that carries its own link can be checked on its own
    return Citation(
        id=note.id, text=note.text, kind=kind,
        context=context_of(marker) if marker else None, title=parsed.title,
        publisher=parsed.publisher, date=parsed.date, date_precision=parsed.date_precision,
        url=parsed.url, urls=parsed.urls, accessed=parsed.accessed, locators=parsed.locators,
        same_as=same_as, confidence=confidence, note_line=note.line,
    )


@dataclass
class _Earlier:
    """The notes seen so far of one kind, kept ready for lookups (closest first for matches)."""

    last: int | None = None
    by_number: dict[str, int] = field(default_factory=dict)
    originals: list[int] = field(default_factory=list)
    keys: tuple[list[str], list[str], list[str]] = field(default_factory=lambda: ([], [], []))

    def add(self, index: int, note: Note, parsed: ParsedNote) -> None:
        """Remember a note once the notes after it may refer to it."""
        self.last = index
        self.by_number[note.id] = index
        self.by_number.setdefault(note.id.lstrip(_LETTERS), index)
        if parsed.refers_to is None:
            self.originals.append(index)
            for keys, value in zip(self.keys, (parsed.title, parsed.publisher, note.text),
                                   strict=True):
                keys.append(utils.default_process(value or ""))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def resolve_repeats(notes: Sequence[Note],
                    parsed: Sequence[ParsedNote]) -> dict[str, tuple[str | None, float]]:
    """For each repeat note: the id it finally repeats (None if unknown) and how sure (0-1)."""
    resolved: dict[str, tuple[str | None, float]] = {}
    earlier: dict[str, _Earlier] = {}
    for index, (note, fields) in enumerate(zip(notes, parsed, strict=True)):
        seen = earlier.setdefault(note.kind, _Earlier())
        if fields.refers_to is not None:
            target, score = _target(fields.refers_to, seen)
            if target is not None and parsed[target].refers_to is not None:
                final, more = resolved.get(notes[target].id, (None, 0.0))
                resolved[note.id] = (final, score * more)
            else:
                resolved[note.id] = (None if target is None else notes[target].id, score)
            if resolved[note.id][0] is None:
                logger.debug("note %s: could not tell which note it repeats", note.id)
        seen.add(index, note, fields)
    return resolved


def _target(refers: RefersTo, seen: _Earlier) -> tuple[int | None, float]:
    if refers.how == "previous":
        return (seen.last, 1.0) if seen.last is not None else (None, 0.0)
    if refers.how == "note":
        found = seen.by_number.get(refers.target or "")
        return (found, 1.0) if found is not None else (None, 0.0)
    return _best_match(refers.target or "", seen)


def _best_match(text: str, seen: _Earlier) -> tuple[int | None, float]:
    query = utils.default_process(text)
    for keys in seen.keys:  # the title first, then the publisher, then the whole note (authors)
        best = process.extractOne(query, keys[::-1], scorer=fuzz.token_set_ratio,
                                  processor=None, score_cutoff=MATCH_CUTOFF)
        if best is not None:
            return seen.originals[len(keys) - 1 - best[2]], best[1] / 100
    return None, 0.0
