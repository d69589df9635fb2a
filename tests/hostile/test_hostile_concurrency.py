"""Concurrency: several `citecheck run` processes at once on one archive.

Four runs start together (limited children) on one archive: three documents whose links
overlap, and one of them twice. Each has slow links, so they write the WARC files and the
index at the same time. Afterwards:

- every run exited normally, and no stderr mentions a locked database or a traceback;
- reading the WARC files themselves: each run wrote its own file(s), and holds a citation
  result for every footnote of its document and a run-end;
- `archive verify` passes, nothing is left `.open`, and the index agrees with one rebuilt from
  the WARC files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from hostile_archive import assert_index_agrees, assert_verified, open_files, rows
from hostile_cli import CliRunner
from hostile_server import HostileServer
from hostile_tally import Case
from warcio.archiveiterator import ArchiveIterator

from citecheck.archive import layout

DOCUMENTS = {  # document -> the numbers of the links it cites
    "a.md": range(1, 9),
    "b.md": range(5, 13),
    "c.md": [*range(1, 5), *range(9, 13)],
}
RUNS = ["a.md", "b.md", "c.md", "a.md"]


def link_path(number: int) -> str:
    if number % 4 == 1:
        return f"/trickle-body?size=20&interval=0.05&n={number}"  # a second: the runs overlap
    if number % 4 == 2:
        return f"/noise?size=300000&seed={number}"
    return f"/page?n={number}"


def write_documents(folder: Path, server: HostileServer) -> None:
    for name, numbers in DOCUMENTS.items():
        claims = " ".join(f"Claim {n}.[^{n}]" for n in numbers)
        notes = "\n".join(f"[^{n}]: Page {n}, Monitor, 2024, {server.url(link_path(n))}"
                          for n in numbers)
        (folder / name).write_text(f"# {name}\n\n{claims}\n\n{notes}\n", encoding="utf-8")


def records_by_run(archive: Path) -> dict[str, dict[str, list]]:
    """Per run (from each file's warcinfo): its files, citation result ids, run-ends."""
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for path in layout.warc_files(archive):
        run_id = None
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                kind = record.rec_type
                if kind == "warcinfo":
                    fields = record.content_stream().read().decode()
                    run_id = next(line.split(": ", 1)[1].strip() for line in fields.splitlines()
                                  if line.startswith("citecheck-run-id:"))
                    found[run_id]["files"].append(path.name)
                elif kind == "metadata":
                    data = json.loads(record.content_stream().read())
                    found[run_id][data["citecheck"]].append(
                        data.get("citation", {}).get("id"))
    return found


@pytest.mark.timeout(300)
@pytest.mark.parametrize("round_", [0, *(pytest.param(n, marks=pytest.mark.slow)
                                        for n in range(1, 6))])
def test_runs_at_once_on_one_archive(hostile: HostileServer, cli: CliRunner, case: Case,
                                     tmp_path: Path, round_: int) -> None:
    case.deadline = 120.0
    write_documents(tmp_path, hostile)
    started = [cli.start("run", name, "--allow-private", "--archive", "archive", "-q")
               for name in RUNS[round_ % 2:] + RUNS[:round_ % 2]]
    finished = [cli.finish(child, log, codes=(0, 1)) for child, log in started]
    for ran in finished:
        assert "locked" not in ran.stderr.lower() and "error" not in ran.stderr.lower()

    archive = tmp_path / "archive"
    assert open_files(archive) == []
    runs = rows(archive / "index.db", "select run_id, finished, document_id from runs")
    assert len(runs) == len(RUNS) and all(run["finished"] for run in runs)
    names = {row["document_id"]: row["name"] for row in rows(
        archive / "index.db", "select document_id, name from documents")}
    found = records_by_run(archive)
    assert set(found) == {run["run_id"] for run in runs}
    for run in runs:
        numbers = DOCUMENTS[names[run["document_id"]]]
        assert sorted(found[run["run_id"]]["citation-result"], key=int) == [
            str(n) for n in numbers]
        assert len(found[run["run_id"]]["run-end"]) == 1
    files = [name for records in found.values() for name in records["files"]]
    assert len(files) == len(set(files)) == assert_verified(archive)
    assert_index_agrees(archive, tmp_path)
