"""Word documents exported as text by Apache POI or Tika ("poi-text").

The export writes each body paragraph on a line; a note reference becomes `[footnoteRef:N]`
or `[endnoteRef:N]` in the text, and the notes a paragraph cites follow it as `[N: text]`
(a note of several paragraphs continues over several lines). Notes may hold brackets and
URLs, so they are read with a bracket-depth scanner over one linear regex of tokens.

A `[N:` only opens a note when a marker N is still waiting for its note, as POI always
writes the marker first. A note whose brackets do not balance gets a note-malformed
finding and is cut at the end of its first line (or where the next note starts).
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from citecheck.documents.base import (
    ENDNOTE,
    FOOTNOTE,
    assemble,
    is_mixed,
    note_id,
    note_malformed,
    unique_notes,
)
from citecheck.documents.context import Paragraph, Ref
from citecheck.models import Document, Finding, Note

FORMAT = "poi-text"
MAX_NOTE_LINES = 50  # a note running on longer than this is taken as unbalanced

_TOKEN = re.compile(r"\[(footnoteRef|endnoteRef):(\d+)\]|\[(\d+):|[\[\]\n]")
_KINDS = {"footnoteRef": FOOTNOTE, "endnoteRef": ENDNOTE}


@dataclass
class _RawNote:
    kind: str
    number: str
    text: str
    line: int
    malformed: bool


@dataclass
class _NoteEnd:
    end: int  # end of the note's text
    resume: int  # where body scanning goes on
    malformed: bool


@dataclass
class _Scanner:
    """State of one pass over the export: the open paragraph, waiting markers, notes read."""

    text: str
    line: int = 1
    parts: list[str] = field(default_factory=list)
    size: int = 0
    refs: list[tuple[str, str, int, int]] = field(default_factory=list)  # kind, n, offset, line
    tail: list[str] = field(default_factory=list)  # body text after a note, held back
    last_note: _RawNote | None = None
    pending: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    paragraphs: list[tuple[str, list[tuple[str, str, int, int]]]] = field(default_factory=list)
    notes: list[_RawNote] = field(default_factory=list)

    def run(self) -> None:
        """Scan the whole text once."""
        pos = 0
        while (match := _TOKEN.search(self.text, pos)) is not None:
            self.body(self.text[pos:match.start()])
            pos = self.token(match)
        self.body(self.text[pos:])
        self.end_paragraph()

    def token(self, match: re.Match[str]) -> int:
        """Handle one token; return where scanning goes on."""
        token = match.group()
        if match.group(1):
            self.marker(_KINDS[match.group(1)], match.group(2))
        elif match.group(3) and self.pending[match.group(3)]:
            return self.note(match)
        elif token == "\n":
            self.end_paragraph()
            self.line += 1
        elif token == "]" and self.last_note is not None:
            self.stray_bracket(match)
        else:
            self.body(token)
        return match.end()

    def body(self, text: str) -> None:
        """Body text; after a note it waits in `tail` until we know whose text it is."""
        if not text:
            return
        if self.last_note is not None:
            self.tail.append(text)
            return
        self.parts.append(text)
        self.size += len(text)

    def release_tail(self) -> None:
        """The text after the last note is body text after all."""
        tail, self.tail, self.last_note = "".join(self.tail), [], None
        self.body(tail)

    def marker(self, kind: str, number: str) -> None:
        """A note reference in the body."""
        self.release_tail()
        self.refs.append((kind, number, self.size, self.line))
        self.pending[number].append(kind)

    def note(self, match: re.Match[str]) -> int:
        """A note `[N: …]`; return where scanning goes on."""
        number, line = match.group(3), self.line
        kind = self.pending[number].popleft()
        if "".join(self.tail).strip():
            self.release_tail()
        self.tail = []
        found = _note_end(self.text, match.end(), lambda n: bool(self.pending[n]))
        raw = self.text[match.end():found.end]
        self.line += raw.count("\n")
        note = _RawNote(kind, number, _clean(raw), line, found.malformed)
        self.notes.append(note)
        self.last_note = note
        return found.resume

    def stray_bracket(self, match: re.Match[str]) -> None:
        """A `]` after a closed note: the note had one `]` too many, so it runs on to here."""
        note = self.last_note
        assert note is not None
        note.text = _clean(f"{note.text}]{''.join(self.tail)}")
        note.malformed = True
        self.tail = []

    def end_paragraph(self) -> None:
        """A line ends: keep the paragraph it held."""
        self.release_tail()
        text = "".join(self.parts)
        if text.strip() or self.refs:
            self.paragraphs.append((text, self.refs))
        self.parts, self.size, self.refs = [], 0, []


def _note_end(text: str, start: int, waiting: Callable[[str], bool]) -> _NoteEnd:
    """Where the note whose text begins at `start` ends (bracket depth back to 0)."""
    depth, first_line_end, lines, pos = 1, -1, 0, start
    while (match := _TOKEN.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if match.group(1) or (match.group(3) and waiting(match.group(3))):
            break  # the next marker or note: this one never closed
        if token == "\n":
            first_line_end = match.start() if first_line_end < 0 else first_line_end
            lines += 1
            if lines > MAX_NOTE_LINES:
                break
        elif token == "]":
            depth -= 1
            if depth == 0:
                return _NoteEnd(match.start(), match.end(), malformed=False)
        else:
            depth += 1
    if first_line_end >= 0:
        return _NoteEnd(first_line_end, first_line_end, malformed=True)
    end = len(text) if match is None else match.start()
    return _NoteEnd(end, end, malformed=True)


def _clean(raw: str) -> str:
    lines = (line.strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def read_poi_text(text: str, name: str) -> Document:
    """Read a POI/Tika text export into a Document."""
    scanner = _Scanner(text.replace("\r\n", "\n").replace("\r", "\n"))
    scanner.run()
    mixed = is_mixed([ref[0] for _, refs in scanner.paragraphs for ref in refs])
    notes, findings = _notes(scanner.notes, mixed)
    paragraphs = [
        Paragraph(text=body, number=i,
                  refs=tuple(Ref(note_id(kind, n, mixed=mixed), offset, line)
                             for kind, n, offset, line in refs))
        for i, (body, refs) in enumerate(scanner.paragraphs, start=1)
    ]
    return assemble(name, FORMAT, notes, paragraphs, findings)


def _notes(raws: list[_RawNote], mixed: bool) -> tuple[list[Note], list[Finding]]:
    findings = []
    notes = []
    for raw in raws:
        nid = note_id(raw.kind, raw.number, mixed=mixed)
        notes.append(Note(id=nid, text=raw.text, line=raw.line, kind=raw.kind))
        if raw.malformed:
            findings.append(note_malformed(
                nid, f"{raw.kind} {nid} on line {raw.line} has unbalanced brackets; "
                     "its text may be cut short or run on", raw.line))
    unique, repeats = unique_notes(notes)
    return unique, findings + repeats
