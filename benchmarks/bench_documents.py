"""Time the document readers and citations.yml storage on 5,000 notes.

Run: python benchmarks/bench_documents.py   (from the repository root, with src on the path)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "documents"))

from docxbuild import build_docx, fref, note, para

from citecheck.citations.store import load_citations, save_citations
from citecheck.documents import read_document
from citecheck.models import Citation, Context, DocumentInfo, Kind
from citecheck.pipeline import extract

N = 5000


def timed(label: str, action: Callable[[], object]) -> object:
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    print(f"{label:<48} {time.perf_counter() - start:6.2f} s wall "
          f"{time.process_time() - cpu:6.2f} s cpu")
    return result


def poi_text() -> bytes:
    lines = [f"Claim {i} about the detention of people in district {i % 40}, which the "
             f"monitors saw in May[footnoteRef:{i}]. [{i}:  Source [{i}], Publisher {i % 7}, "
             f"2 May 2022, link: https://example.org/{i} ] " for i in range(1, N + 1)]
    return "\n".join(lines).encode()


def markdown() -> bytes:
    body = "\n\n".join(f"Claim {i} about the detention of people in district {i % 40}[^{i}]."
                       for i in range(1, N + 1))
    notes = "\n\n".join(f"[^{i}]: Source {i}, Publisher, 2 May 2022, https://example.org/{i}"
                        for i in range(1, N + 1))
    return f"{body}\n\n{notes}\n".encode()


def docx() -> bytes:
    body = "".join(para(f"Claim {i} about the detention of people", fref(i), ".")
                   for i in range(1, N + 1))
    notes = "".join(note("footnote", i, f"Source {i}, Publisher, 2 May 2022, "
                                        f"https://example.org/{i}") for i in range(1, N + 1))
    return build_docx(body, footnotes=notes)


def citations(edit: str = "") -> list[Citation]:
    return [Citation(id=str(i), text=f"Source {i}{edit}, Publisher, 2 May 2022, "
                                     f"https://example.org/{i}",
                     kind=Kind.WEB, title=f"Source {i}{edit}", publisher="Publisher",
                     date="2022-05-02", url=f"https://example.org/{i}", confidence=0.8,
                     context=Context(f"Claim {i}", i, i)) for i in range(1, N + 1)]


def main() -> None:
    for name, data in (("report.txt", poi_text()), ("report.md", markdown()),
                       ("report.docx", docx())):
        doc = timed(f"read {N} notes ({name}, {len(data) // 1024} KiB)",
                    lambda d=data, n=name: read_document(d, n))
        assert len(doc.notes) == N, name  # type: ignore[attr-defined]
    info = DocumentInfo("report.txt", "poi-text")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "citations.yml"
        timed(f"save {N} citations (new file)", lambda: save_citations(path, citations(), info))
        timed(f"load {N} citations", lambda: load_citations(path))
        base = {c.id: c for c in citations()}
        timed(f"merge {N} citations (all unchanged)",
              lambda: save_citations(path, citations(), info, base_of=lambda _: base))
        timed(f"merge {N} citations (every note edited)",
              lambda: save_citations(path, citations(" (2nd ed.)"), info,
                                     base_of=lambda _: base))
        report = Path(folder) / "report.txt"
        report.write_bytes(poi_text())
        out = Path(folder) / "extracted.yml"
        timed(f"`citecheck extract`, {N} notes, new file",
              lambda: extract(report, out))  # read, parse, write, read back, offline checks


if __name__ == "__main__":
    main()
