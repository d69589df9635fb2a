"""What the readers share: note ids, the note-malformed finding, and putting a Document together.

Note ids: footnotes keep the number the document shows ("1", "2"…). Endnotes do too when the
document has no footnotes; when a document has both, endnote ids get an "e" ("e1", "e2"…) so
that footnote 1 and endnote 1 stay apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from citecheck.documents.context import Paragraph, markers_for
from citecheck.errors import InputError
from citecheck.models import Code, Document, Finding, Note, Severity

FOOTNOTE = "footnote"
ENDNOTE = "endnote"
# Far more than any report has; past it, writing citations.yml alone takes minutes and GBs.
MAX_NOTES = 10_000


def note_id(kind: str, number: str, *, mixed: bool) -> str:
    """The public id of a note: its number, with "e" before endnotes when both kinds exist."""
    return f"e{number}" if kind == ENDNOTE and mixed else number


def is_mixed(kinds: Iterable[str]) -> bool:
    """Whether a document has both footnotes and endnotes."""
    seen = set(kinds)
    return FOOTNOTE in seen and ENDNOTE in seen


def note_malformed(note_id: str, message: str, line: int | None = None) -> Finding:
    """A note-malformed warning about one note."""
    evidence = {"line": str(line)} if line is not None else {}
    return Finding(code=Code.NOTE_MALFORMED, severity=Severity.WARNING, message=message,
                   note_id=note_id, evidence=evidence)


def unique_notes(notes: Iterable[Note]) -> tuple[list[Note], list[Finding]]:
    """Keep the first note of each id; a repeat with other text is reported as malformed."""
    kept: dict[str, Note] = {}
    findings = []
    for note in notes:
        first = kept.setdefault(note.id, note)
        if first is not note and first.text != note.text:
            findings.append(note_malformed(
                note.id, f"{note.kind} {note.id} appears twice with different text; "
                         "the first one is used", note.line))
    return list(kept.values()), findings


def assemble(name: str, fmt: str, notes: Sequence[Note], paragraphs: Sequence[Paragraph],
             findings: Sequence[Finding] = ()) -> Document:
    """A Document from a reader's notes and body paragraphs (markers get their context here)."""
    if len(notes) > MAX_NOTES:
        raise InputError(f"{len(notes):,} notes: citecheck reads at most {MAX_NOTES:,} notes "
                         "per document; split it into parts", where=name)
    markers = [marker for paragraph in paragraphs for marker in markers_for(paragraph)]
    return Document(name=name, format=fmt, notes=tuple(notes), markers=tuple(markers),
                    findings=tuple(findings))
