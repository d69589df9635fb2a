"""Hostile documents: spoiled citations files, .docx attacks, huge and strange notes.

- A citations.yml spoiled any way (hostile_docs.CITATIONS) is refused by `run`, `check` and
  `extract` (merging into it) with one line naming the file and the line, exit 2, and the
  folder left as it was: the file byte for byte, no temporary file. These run through the CLI's
  entry point in this process (fast); a sample runs as real limited children, the 100 MB file
  among them, to show no traceback and a bounded peak.
- Hostile documents for `extract` (zip bombs, lying zip headers, entities, deep XML,
  relationships that point outside, 10,000 nested brackets, 50,000 footnotes: more than the
  10,000 notes citecheck reads) run in limited children: a one-line error or a normal result,
  in bounded time and memory.
- A note with 10,000 URLs is read in work that grows linearly (CPU time measured in a child,
  at 2,500 and at 10,000 URLs).
- Notes full of terminal escapes, bidi controls and workflow commands: `extract` prints nothing
  that moves a cursor or starts a command, and citations.yml keeps them exactly, escaped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_archive import citecheck
from hostile_child import run_limited
from hostile_cli import CliRunner
from hostile_docs import (
    CITATIONS,
    DEEP_XML,
    HOSTILE_TEXT,
    LAUGHS_XML,
    PROSE,
    VALID,
    XXE_FILE_XML,
    XXE_NET_XML,
    lying_zip,
    many_footnotes,
    many_parts,
    nested_brackets,
    outside_rels,
    xml_docx,
    zip_bomb,
)
from hostile_output import assert_inert
from hostile_tally import Case, Tally

from citecheck.citations.store import load_citations

HERE = Path(__file__).resolve().parent
PEAK_LIMIT = 400 * 10**6  # bytes: what extracting the largest hostile document may reach
DOCUMENT_BUDGET = 30.0  # seconds a hostile document may take, start-up included
REPORT = "# Report\n\nA claim.[^1]\n\n[^1]: A new page, Monitor, 2023, http://192.0.2.10/new\n"


def commands(name: str) -> dict[str, list[str]]:
    """The three commands that read a citations file, and how each is asked to."""
    return {"run": ["run", name, "--archive", "archive"],
            "check": ["check", name, "--archive", "archive"],
            "extract": ["extract", "report.md", "-o", name]}


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file in a folder and its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def assert_one_line_error(err: str, name: str, line: int | None) -> None:
    assert err.count("\n") == 1 and err.startswith("citecheck: error: "), err
    assert "Traceback" not in err
    assert (f"{name} line {line}:" if line else f"{name}:") in err


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "report.md").write_text(REPORT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", ["run", "check", "extract"])
@pytest.mark.parametrize("spoiled", CITATIONS, ids=[c.name for c in CITATIONS])
def test_a_spoiled_citations_file_is_refused_and_left_alone(workdir: Path, spoiled,
                                                            command: str) -> None:
    (workdir / "citations.yml").write_bytes(spoiled.data)
    before = folder_state(workdir)
    code, out, err = citecheck(*commands("citations.yml")[command])
    assert code == 2
    assert_one_line_error(err, "citations.yml", spoiled.line)
    assert folder_state(workdir) == before  # byte for byte, and no temporary file
    assert not (workdir / "archive").exists()


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize("name", VALID)
def test_odd_but_valid_citations_files_are_read_and_left_alone(workdir: Path, name: str,
                                                               command: str) -> None:
    (workdir / "citations.yml").write_text(VALID[name], encoding="utf-8", newline="")
    before = (workdir / "citations.yml").read_bytes()
    code, out, err = citecheck(*commands("citations.yml")[command], "--format", "json")
    assert code in (0, 1), err
    [result] = json.loads(out)["citations"]
    assert (result["status"], result["cause"]) == ("refused", "refused")
    assert (workdir / "citations.yml").read_bytes() == before


@pytest.mark.parametrize("name", VALID)
def test_extract_merges_into_odd_but_valid_files(workdir: Path, name: str) -> None:
    (workdir / "citations.yml").write_text(VALID[name], encoding="utf-8", newline="")
    code, _, err = citecheck(*commands("citations.yml")["extract"])
    assert code in (0, 1), err
    merged = load_citations(workdir / "citations.yml")
    assert [c.url for c in merged.citations] == ["http://192.0.2.10/new"]  # the document's
    assert list(workdir.glob(".citations.yml.*")) == []


@pytest.mark.parametrize("command", ["run", "check", "extract"])
def test_a_100_mb_citations_file_in_a_real_process(cli: CliRunner, tmp_path: Path,
                                                   command: str) -> None:
    (tmp_path / "report.md").write_text(REPORT, encoding="utf-8")
    spoiled = tmp_path / "citations.yml"
    with spoiled.open("wb") as out:
        out.write(CITATIONS[0].data)
        out.truncate(100 * 10**6)  # the rest is a hole of NULs: no time spent writing it
    before = folder_state(tmp_path)
    ran = cli(*commands("citations.yml")[command], codes=(2,))
    assert_one_line_error(ran.stderr, "citations.yml", None)
    assert ran.peak_rss < 150 * 10**6  # read up to the 20 MB cap, never whole
    assert folder_state(tmp_path) == before


# --------------------------------------------------------------------------- extract


def _documents() -> list[tuple[str, object, int]]:
    """(file name, bytes or text or a builder, exit code) of each hostile document."""
    return [
        ("bomb.docx", zip_bomb, 2),
        ("lying-headers.docx", lying_zip, 2),
        ("many-parts.docx", many_parts, 2),
        ("laughs.docx", lambda: xml_docx(LAUGHS_XML), 2),
        ("xxe-file.docx", lambda: xml_docx(XXE_FILE_XML), 2),
        ("xxe-network.docx", lambda: xml_docx(XXE_NET_XML), 2),
        ("deep.docx", lambda: xml_docx(DEEP_XML), 2),
        ("brackets.txt", lambda: nested_brackets(), 0),
        ("open-brackets.txt", lambda: nested_brackets(closed=False), 0),
        ("fifty-thousand.md", lambda: many_footnotes(50_000), 2),
        ("three-hundred.md", lambda: many_footnotes(300), 0),
        ("not-a-document.docx", lambda: b"PK\x03\x04" + bytes(range(256)) * 64, 2),
    ]


DOCUMENTS = _documents()


@pytest.mark.parametrize("name, build, code", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_hostile_documents_for_extract(cli: CliRunner, case: Case, tmp_path: Path, name: str,
                                       build, code: int) -> None:
    case.deadline = DOCUMENT_BUDGET
    data = build()
    (tmp_path / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    ran = cli("extract", name, "-o", "citations.yml", "--format", "json",
              limit=DOCUMENT_BUDGET + 30, codes=(code,))
    assert ran.peak_rss < PEAK_LIMIT
    if code == 2:
        assert_one_line_error(ran.stderr, name, None)
        assert not (tmp_path / "citations.yml").exists()
    else:
        assert json.loads(ran.stdout)["citations"]
        load_citations(tmp_path / "citations.yml")


def test_relationships_that_point_outside(cli: CliRunner, tmp_path: Path) -> None:
    """Parts outside the package are absent; a file: link is dropped, cloud metadata refused."""
    (tmp_path / "outside.docx").write_bytes(outside_rels())
    cli("extract", "outside.docx", "-o", "citations.yml", "-q")
    [citation] = load_citations(tmp_path / "citations.yml").citations
    assert (citation.url, citation.urls) == ("http://169.254.169.254/latest/meta-data/", ())
    ran = cli("run", "citations.yml", "--archive", "archive", "--format", "json")
    [result] = json.loads(ran.stdout)["citations"]
    assert (result["status"], result["cause"]) == ("refused", "refused")


# --------------------------------------------------------------------------- scaling


@pytest.mark.parametrize("fmt", ["markdown", "poi-text", "docx"])
def test_a_note_with_10000_urls_is_linear_work(tally: Tally, case: Case, fmt: str) -> None:
    case.deadline = DOCUMENT_BUDGET
    ran = run_limited([str(HERE / "hostile_workload.py"),
                       json.dumps({"fmt": fmt, "sizes": [2500, 10_000]})])
    tally.child_peak(ran.peak_rss)
    assert ran.returncode == 0, ran.stderr[-2000:]
    out = ran.result()
    assert out["urls"] == {"2500": 2500, "10000": 10_000}
    small, large = out["elapsed"]["2500"], out["elapsed"]["10000"]
    limit = 12 if fmt == "docx" else 8  # linear work is ~4 times as much; quadratic, 16
    assert large < limit * small, out["elapsed"]
    assert large < 10.0


# --------------------------------------------------------------------------- escapes in notes


def hostile_notes(fmt: str) -> str:
    """A report whose notes and clauses carry escapes, bidi controls and workflow commands."""
    if fmt == "poi-text":
        return (f"{PROSE}\n\nA claim {HOSTILE_TEXT}.[footnoteRef:1]\n\n"
                f"[1: Report {HOSTILE_TEXT}, Monitor, 2023, http://192.0.2.10/a\n"
                f"::warning::second line {HOSTILE_TEXT}]\n")
    return (f"# R\n\n{PROSE}\n\nA claim {HOSTILE_TEXT}.[^1] Two.[^2]\n\n"
            f"[^1]: Report {HOSTILE_TEXT}, Monitor, 2023, http://192.0.2.10/a\n"
            f"[^2]: Second\n    ::error file=x::continued {HOSTILE_TEXT}\n\n"
            "    ##[error]para ##vso[task.setvariable variable=x]y\n")


@pytest.mark.parametrize("out_format", ["text", "json"])
@pytest.mark.parametrize("fmt, name", [("poi-text", "report.txt"), ("markdown", "report.md")])
def test_escapes_in_notes_never_reach_the_terminal(cli: CliRunner, tmp_path: Path, fmt: str,
                                                   name: str, out_format: str) -> None:
    (tmp_path / name).write_text(hostile_notes(fmt), encoding="utf-8")
    ran = cli("extract", name, "--format", out_format)
    assert_inert(ran.stdout, out_format)
    assert_inert(ran.stderr, "text")
    saved = (tmp_path / "citations.yml").read_text(encoding="utf-8")
    assert not [ch for ch in saved if ch != "\n" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)]
    [first, *_] = load_citations(tmp_path / "citations.yml").citations
    assert "\x1b[2J" in first.text and "\u202e" in first.text  # kept exactly, as written
    again = cli("extract", name, "-q")
    assert (tmp_path / "citations.yml").read_text(encoding="utf-8") == saved, again.stderr


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("command", ["run", "check", "extract"])
def test_a_valid_file_with_a_15_mb_title(cli: CliRunner, case: Case, tmp_path: Path,
                                         command: str) -> None:
    """Under the 20 MB cap and valid: read, and merged (ruamel reads ~1 MB/s), in bounded time."""
    case.deadline = 240.0
    (tmp_path / "report.md").write_text(REPORT, encoding="utf-8")
    huge = VALID["extra-keys"].replace("title: A page", "title: " + "x" * 15_000_000)
    (tmp_path / "citations.yml").write_text(huge, encoding="utf-8")
    ran = cli(*commands("citations.yml")[command], "-q", codes=(0, 1), limit=case.deadline)
    assert ran.peak_rss < 500 * 10**6
    assert load_citations(tmp_path / "citations.yml").citations
