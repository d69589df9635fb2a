from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from archive_helpers import make_exchange

from citecheck.archive import (
    ArchiveIndex,
    Outcome,
    StoredResponse,
    WarcWriter,
    rebuild_index,
)
from citecheck.archive.layout import index_path, warc_dir
from citecheck.archive.schema import TABLES
from citecheck.errors import ArchiveError
from citecheck.models import DocumentInfo


def snapshot(archive: Path) -> dict[str, list]:
    """Every row of every table, without row ids, in a stable order."""
    with ArchiveIndex.open(archive, create=False) as index:
        tables = {}
        for name in TABLES:
            rows = [{k: v for k, v in row.items() if k != "id"}
                    for row in index.db[name].rows]
            tables[name] = sorted(json.dumps(row, sort_keys=True) for row in rows)
    return tables


def page_text(stored: StoredResponse) -> str:
    """What the sample run took as the page text: the body as text."""
    return stored.body.decode()


def test_a_rebuilt_index_has_the_same_rows(archive: Path, sample_run: dict) -> None:
    with ArchiveIndex.open(archive) as index:
        index.add_check("http://127.0.0.1:8000/law", ok=False, status="dead", reason="404",
                        at="2026-03-09T00:00:00Z")
    before = snapshot(archive)
    stats = rebuild_index(archive, page_text=page_text)
    assert snapshot(archive) == before
    assert all(before[name] for name in TABLES)  # every table had rows to compare
    assert (stats.files, stats.runs, stats.captures, stats.results, stats.run_ends,
            stats.checks_kept) == (1, 1, 3, 3, 1, 1)
    assert stats.skipped == [] and stats.recovered == []
    with ArchiveIndex.open(archive) as index:
        assert index.search("Article")[0]["url"] == "http://127.0.0.1:8000/law"
        assert index.results(sample_run["run_id"]) == [
            dataclasses.replace(r, page=dataclasses.replace(r.page, text=""))
            for r in sample_run["results"]]


def test_an_index_can_be_rebuilt_from_the_warcs_alone(archive: Path, sample_run: dict) -> None:
    before = snapshot(archive)
    for path in archive.glob("index.db*"):
        path.unlink()
    rebuild_index(archive, page_text=page_text)
    after = snapshot(archive)
    assert after == {**before, "checks": []}
    assert not list(archive.glob("index.db.rebuild-*"))


def test_without_an_extractor_only_the_page_text_is_missing(archive: Path,
                                                            sample_run: dict) -> None:
    before = snapshot(archive)
    rebuild_index(archive)
    after = snapshot(archive)
    assert {k: v for k, v in after.items() if k != "pages"} == {
        k: v for k, v in before.items() if k != "pages"}
    assert all(json.loads(row)["text"] is None or json.loads(row)["text"] == ""
               for row in after["pages"])


def test_a_killed_runs_open_file_is_recovered_and_indexed(archive: Path,
                                                          sample_run: dict) -> None:
    # copy the run's file back as a `.open` file cut inside its last record
    [path] = sample_run["files"]
    data = path.read_bytes()
    path.unlink()
    open_path = path.with_name(path.name + ".open")
    open_path.write_bytes(data[:-20])
    stats = rebuild_index(archive, page_text=page_text)
    assert [r.outcome for r in stats.recovered] == [Outcome.TRUNCATED]
    assert path.exists() and not open_path.exists()
    assert (stats.results, stats.run_ends) == (3, 0)  # the run-end record was the one cut
    [run] = snapshot(archive)["runs"]
    assert json.loads(run)["finished"] is None


def test_a_damaged_record_is_skipped_and_reported(archive: Path, sample_run: dict) -> None:
    [path] = sample_run["files"]
    ref = sample_run["results"][1].link.capture
    data = bytearray(path.read_bytes())
    data[ref.offset + ref.length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    stats = rebuild_index(archive)
    assert [problem.code.value for _, problem in stats.skipped] == ["corrupt-gzip"]
    assert stats.captures == 2 and stats.results == 3


def test_rebuild_waits_for_no_one(archive: Path, sample_run: dict) -> None:
    with WarcWriter(archive, warcinfo={}) as writer:
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/busy", b"busy"))
        with pytest.raises(ArchiveError):
            rebuild_index(archive)
    with ArchiveIndex.open(archive), pytest.raises(ArchiveError):
        rebuild_index(archive)
    rebuild_index(archive)  # everyone gone: fine


def test_a_new_writer_waits_for_no_rebuild(archive: Path, sample_run: dict,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from citecheck.archive import rebuild as rebuild_module

    seen: list[str] = []

    def fill(index: ArchiveIndex, *args: object) -> None:
        with pytest.raises(ArchiveError):
            WarcWriter(archive, warcinfo={})
        seen.append("refused")

    monkeypatch.setattr(rebuild_module, "_fill", fill)
    rebuild_index(archive)
    assert seen == ["refused"]


def test_a_stale_wal_never_meets_the_new_index(archive: Path, sample_run: dict) -> None:
    # a process killed with rows still in the WAL: those frames must not replay onto the rebuild
    code = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            "c.execute('pragma wal_autocheckpoint=0');"
            "c.execute(\"insert into runs (run_id, command) values ('ghost', 'run')\");"
            "c.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(index_path(archive))], check=True)
    assert Path(f"{index_path(archive)}-wal").stat().st_size > 0
    rebuild_index(archive)
    runs = [json.loads(row)["run_id"] for row in snapshot(archive)["runs"]]
    assert runs == [sample_run["run_id"]]
    with ArchiveIndex.open(archive) as index:
        assert list(index.db.query("pragma integrity_check")) == [{"integrity_check": "ok"}]


def test_a_foreign_file_in_the_folder_is_read_without_runs(archive: Path, sample_run: dict,
                                                           tmp_path: Path) -> None:
    with WarcWriter(tmp_path / "elsewhere", warcinfo={"operator": "someone"}) as writer:
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/foreign", b"foreign"))
    shutil.copy(writer.files[0], warc_dir(archive) / writer.files[0].name)
    stats = rebuild_index(archive)
    assert (stats.files, stats.runs, stats.captures) == (2, 1, 4)


def test_a_killed_rebuilds_leftovers_are_cleared(archive: Path, sample_run: dict) -> None:
    leftover = archive / "index.db.rebuild-dead00"
    leftover.write_bytes(b"half a database")
    rebuild_index(archive)
    assert not leftover.exists() and snapshot(archive)["runs"]


def test_a_run_in_many_files_is_one_run(archive: Path) -> None:
    with ArchiveIndex.open(archive) as index:
        run_id = index.start_run("run", DocumentInfo("r.md", "markdown"), {})
        with WarcWriter(archive, warcinfo=index.run_info(run_id).warcinfo(),
                        max_size=1) as writer:
            for n in range(3):
                ref = writer.write_exchange(make_exchange(f"http://127.0.0.1:8000/{n}", b"%d" % n))
                index.add_capture(f"http://127.0.0.1:8000/{n}", ref, status=200,
                                  mime="text/html", run_id=run_id)
    before = snapshot(archive)
    stats = rebuild_index(archive)
    assert (stats.files, stats.runs, stats.captures) == (3, 1, 3)
    assert snapshot(archive) == before
