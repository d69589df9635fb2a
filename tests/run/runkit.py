"""Helpers for the `citecheck run` integration tests: write a project, run, read what it left.

A project is a folder with citations.yml (written from Citation models) and citecheck.toml.
`run_in_process` calls the CLI entry point (`run_cli`) in this process, with absolute paths,
and returns the exit code, the JSON report and what was printed on stderr. The WARC readers
return every record of every file in name order, and `assert_valid_archive` runs the strict
verifier and `warcio check` over each file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from citecheck.archive.verify import verify_warc
from citecheck.citations.store import dumps_citations
from citecheck.cli import run_cli
from citecheck.models import Citation, DocumentInfo, Kind

FAST_RETRIES = 'backoff = "0.01s"\n'  # every project retries quickly unless a test says otherwise


def cite(note_id: str, url: str | None, title: str | None = None, **fields: Any) -> Citation:
    """A web citation as `extract` would write it."""
    text = f"{title or 'A source'}, link: {url}" if url else (title or "A source")
    kind = fields.pop("kind", Kind.WEB if url else Kind.NO_LINK)
    return Citation(id=note_id, text=text, kind=kind, title=title, url=url, **fields)


def write_project(folder: Path, citations: list[Citation], config: str = FAST_RETRIES) -> Path:
    """citations.yml (and citecheck.toml when `config` is not empty) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    document = DocumentInfo("report.txt", "poi-text", None)
    (folder / "citations.yml").write_text(dumps_citations(citations, document), encoding="utf-8")
    if config:
        (folder / "citecheck.toml").write_text(config, encoding="utf-8")
    return folder


@dataclass
class Outcome:
    """What one `citecheck run` left: exit code, report, stderr, and the folder."""

    code: int
    report: dict[str, Any]
    err: str
    folder: Path

    def cite(self, note_id: str) -> dict[str, Any]:
        """The report's entry for one note."""
        return next(c for c in self.report["citations"] if c["id"] == note_id)

    def codes(self, note_id: str) -> set[str]:
        """The finding codes of one note."""
        return {f["code"] for f in self.cite(note_id)["findings"]}

    @property
    def archive(self) -> Path:
        return self.folder / "archive"


def run_in_process(capsys: pytest.CaptureFixture[str], folder: Path, *args: str,
                   allow_private: bool = True) -> Outcome:
    """`citecheck run` on the project in `folder` through the CLI entry point."""
    capsys.readouterr()
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    argv = ["run", str(folder / "citations.yml"), "--archive", str(folder / "archive"),
            "--format", "json", "-o", str(report), *(["--allow-private"] if allow_private
                                                       else []), *args]
    code = run_cli(argv)
    err = capsys.readouterr().err
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return Outcome(code, data, err, folder)


# --------------------------------------------------------------------------- WARC


@dataclass(frozen=True)
class Rec:
    """One WARC record, as much of it as the tests look at."""

    type: str
    uri: str | None
    id: str
    concurrent: tuple[str, ...]
    file: str
    headers: dict[str, str] = field(hash=False)
    http_status: int | None = None
    http: dict[str, str] = field(default_factory=dict, hash=False)  # HTTP headers, lower-case
    payload: bytes = b""  # the block's payload as stored (HTTP body undecoded), or JSON

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> dict[str, Any]:
        return json.loads(self.payload)


def warc_files(archive: Path) -> list[Path]:
    """The finished WARC files, in name order; none may be left open."""
    folder = archive / "warc"
    assert not list(folder.glob("*.open")), "a WARC file was left open"
    return sorted(folder.glob("*.warc.gz"))


def read_records(archive: Path) -> list[Rec]:
    """Every record of every WARC file of the archive, in order."""
    records = []
    for path in warc_files(archive):
        with path.open("rb") as stream:
            records += [_rec(record, path.name) for record in ArchiveIterator(stream)]
    return records


def _rec(record: Any, name: str) -> Rec:
    headers = record.rec_headers.headers
    answer = record.rec_type in ("response", "revisit") and record.http_headers is not None
    status = record.http_headers.get_statuscode() if answer else None
    return Rec(type=record.rec_type, uri=record.rec_headers.get_header("WARC-Target-URI"),
               id=record.rec_headers.get_header("WARC-Record-ID"),
               concurrent=tuple(v for k, v in headers if k.lower() == "warc-concurrent-to"),
               file=name, headers={k.lower(): v for k, v in headers},
               http_status=int(status) if status else None, payload=record.raw_stream.read(),
               http={k.lower(): v for k, v in (record.http_headers.headers
                                               if record.http_headers else [])})


def exchanges(records: list[Rec]) -> list[tuple[Rec, Rec]]:
    """(request, response-or-revisit) pairs, each adjacent and linked both ways."""
    pairs = []
    for index, record in enumerate(records):
        if record.type != "request":
            continue
        answer = records[index + 1]
        assert answer.type in ("response", "revisit"), answer.type
        assert answer.uri == record.uri
        assert record.concurrent == (answer.id,) and answer.concurrent == (record.id,)
        pairs.append((record, answer))
    return pairs


def responses_for(records: list[Rec], prefix: str) -> list[Rec]:
    """The response and revisit records whose target starts with `prefix`, in order."""
    return [r for _, r in exchanges(records) if r.uri and r.uri.startswith(prefix)]


def result_record(records: list[Rec], run_id: str, note_id: str) -> Rec:
    """The citation-result metadata record of one note in one run."""
    uri = f"urn:citecheck:{run_id}:note:{note_id}"
    found = [r for r in records if r.type == "metadata" and r.uri == uri]
    assert len(found) == 1, f"{len(found)} metadata records for {uri}"
    return found[0]


def assert_valid_archive(archive: Path) -> None:
    """Every WARC file passes verify_warc and `warcio check`."""
    files = warc_files(archive)
    assert files
    for path in files:
        assert verify_warc(path) == [], path.name
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v",
                            *map(str, files)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
