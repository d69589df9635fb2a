"""A tiny test-only reader for POI text exports, for the note parser tests.

The real readers (citecheck.documents) are written in parallel; `poi_document` finds just
`[footnoteRef:N]` markers and `[N: note]` notes so these tests can build a Document from text
in the same format. The lead switches the seed test to the real reader at merge time.
"""

from __future__ import annotations

import re
from pathlib import Path

from citecheck.models import Document, Marker, Note

ROOT = Path(__file__).resolve().parents[2]
# shared/ sits beside the repository (CI, main) or beside the worktrees folder (wt/NAME)
SEED = next((folder / "shared" / "seeds" / "000_bc4570a8dd256e68.txt"
             for folder in (ROOT.parent, ROOT.parent.parent)
             if (folder / "shared" / "seeds").is_dir()),
            ROOT.parent / "shared" / "seeds" / "000_bc4570a8dd256e68.txt")
_MARKER = re.compile(r"\[(?:footnoteRef|endnoteRef):(\d+)\]")


def _take_notes(line: str) -> tuple[str, list[tuple[str, str]]]:
    """The body of a line and its notes, scanning brackets by depth."""
    body, notes, index = [], [], 0
    while index < len(line):
        match = re.compile(r"\[(\d+):").match(line, index)
        if not match:
            body.append(line[index])
            index += 1
            continue
        depth, end = 0, match.start()
        while end < len(line):
            depth += {"[": 1, "]": -1}.get(line[end], 0)
            end += 1
            if depth == 0:
                break
        notes.append((match.group(1), line[match.end():end - 1].strip()))
        index = end
    return "".join(body), notes


def _clause(before: str) -> str:
    sentence = re.split(r"(?<=[a-z0-9”\"])[.!?]\s+(?=[A-Z])", before)[-1]
    if len(sentence) <= 200:
        return sentence.strip()
    cut = sentence[-200:]
    return cut[min((cut.find(p) + 1 for p in ",;:" if p in cut), default=0):].strip()


def read_poi(text: str, name: str = "report.txt") -> Document:
    """A Document from POI-style text: markers with context and span, notes with lines."""
    notes, markers = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        body, found = _take_notes(line)
        notes.extend(Note(id=i, text=t, line=number) for i, t in found)
        previous = 0
        for match in _MARKER.finditer(body):
            before = _MARKER.sub("", body[:match.start()])
            span = _MARKER.sub("", body[previous:match.start()])
            markers.append(Marker(note_id=match.group(1), context=_clause(before),
                                  sentence=_clause(before), span=span.strip(), line=number,
                                  paragraph=number))
            previous = match.end()
    return Document(name=name, format="poi-text", notes=tuple(notes), markers=tuple(markers))
