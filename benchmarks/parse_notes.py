"""How long parsing 5,000 notes takes: build_citations and offline_findings on a made-up report.

Run: python benchmarks/parse_notes.py [number of notes]
The notes cycle through the styles the parser handles (web notes, quoted titles, angle-bracket
links, accessed dates, books, legal citations, repeats, other languages); the figure printed is
wall and CPU time for the whole document, dateparser's import included (CPU time is the
fairer figure on a busy machine).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from citecheck.citations.build import build_citations
from citecheck.models import Document, Marker, Note
from citecheck.verify.offline import offline_findings

WORDS = ("police", "detained", "activists", "journalists", "court", "prison", "torture", "report",
         "custody", "hearing", "appeal", "sentence", "protest", "rally", "ministry", "lawyer",
         "family", "hunger", "strike", "release")
PUBLISHERS = ("Caucasus Monitor", "MEYDAN.TV", "oc-media", "Council of Europe",
              "Us department of state", "Radio Free Europe/Radio Liberty", "TURAN")
STYLES = (
    "{title}, {publisher}, {day} {month} {year}, link: https://tinyl.io/{n}",
    "{publisher}, “{title}”, {month} {day}, {year}, https://example.org/{n}",
    "{title} ({publisher}, {day} {month} {year}) <https://example.org/a/{n}>",
    "{title}. {publisher}. Available at: https://example.org/b/{n} (accessed {day} {month} 2024)",
    "A. Author, {title}, {publisher} ({year}), p. {day}",
    "Article {day} of the Criminal Code of the Republic of Freedonia",
    "Ibid",
    "{title}, Previous reference.",
    "supra note {prev}",
    "{title}, {publisher}, {day} septembre {year}, https://example.fr/{n}",
)
MONTHS = ("January", "March", "May", "July", "September", "November")


def make_notes(count: int, seed: int = 7) -> list[Note]:
    """Notes in every style, with titles made of random words."""
    rng = random.Random(seed)
    notes = []
    for n in range(1, count + 1):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).capitalize()
        text = STYLES[n % len(STYLES)].format(
            title=title, publisher=rng.choice(PUBLISHERS), day=rng.randint(1, 28),
            month=rng.choice(MONTHS), year=rng.randint(2015, 2024), n=n, prev=max(1, n - 3))
        notes.append(Note(id=str(n), text=text, line=n))
    return notes


def main(count: int) -> None:
    """Time building citations and offline findings for `count` notes."""
    notes = make_notes(count)
    markers = tuple(Marker(note_id=n.id, context=f"Article {n.id} of the Convention says so",
                           sentence="s", span=f"Article {n.id} of the Convention says so",
                           line=n.line) for n in notes)
    document = Document("bench.txt", "poi-text", tuple(notes), markers)
    start, cpu = time.perf_counter(), time.process_time()
    citations = build_citations(document)
    built = time.perf_counter()
    findings = offline_findings(citations, document)
    done = time.perf_counter()
    print(f"{count} notes: build_citations {built - start:.2f} s, offline_findings "
          f"{done - built:.2f} s, total {done - start:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU ({len(findings)} findings)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
