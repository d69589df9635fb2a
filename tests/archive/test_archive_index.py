from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from archive_helpers import sample_result, write_run

from citecheck.archive import ArchiveIndex, verify_warc
from citecheck.archive import index as index_module
from citecheck.archive.layout import warc_dir
from citecheck.errors import ArchiveError
from citecheck.models import CaptureRef, Code, DocumentInfo, Finding, LinkStatus, Severity

TABLES = {"documents", "runs", "citations", "hops", "captures", "findings", "pages", "checks"}


def ref(n: int, *, digest: str = "sha256:AAAA", revisit_of: str | None = None,
        truncated: str | None = None, day: int = 1) -> CaptureRef:
    return CaptureRef(warc=f"citecheck-x-{n:05d}.warc.gz", offset=100 * n, length=90,
                      timestamp=f"2026-03-{day:02d}T12:00:00.000000Z", record_id=f"<urn:uuid:{n}>",
                      payload_digest=digest, revisit_of=revisit_of, truncated=truncated)


@pytest.fixture
def index(archive: Path):
    with ArchiveIndex.open(archive) as opened:
        yield opened


def test_the_tables_are_created_once(archive: Path, index: ArchiveIndex) -> None:
    assert set(index.db.table_names()) >= TABLES
    assert index.db["pages"].detect_fts() == "pages_fts"
    assert index.db.journal_mode == "wal"
    index.close()
    with ArchiveIndex.open(archive) as again:  # opening again applies nothing twice
        migrations = list(again.db.query("select name from _sqlite_migrations"))
    assert migrations == [{"name": "m001_tables"}]


def test_a_run_is_started_and_finished(index: ArchiveIndex, document: DocumentInfo) -> None:
    moment = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    run_id = index.start_run("run", document, {"workers": 4}, now=moment)
    assert run_id.startswith("20260301T093000Z-")
    info = index.run_info(run_id)
    assert (info.command, info.document, info.started, info.settings) == (
        "run", document, "2026-03-01T09:30:00Z", {"workers": 4})
    assert info.warcinfo()["citecheck-run-id"] == run_id
    finding = Finding(Code.NOTE_MISSING, Severity.ERROR, "note 9 is missing")
    index.finish_run(run_id, {"ok": 3, "dead": 1}, finished="2026-03-01T09:31:00Z",
                     findings=[finding])
    [row] = index.db.query("select * from runs")
    assert row["finished"] == "2026-03-01T09:31:00Z" and row["counts"] == '{"dead": 1, "ok": 3}'
    [found] = index.db.query("select * from findings")
    assert found["citation_id"] is None and found["code"] == "note-missing"
    assert index.run_info("nope") is None
    with pytest.raises(ArchiveError):
        index.finish_run("nope", {})


def test_captures_newest_first(index: ArchiveIndex) -> None:
    url = "http://127.0.0.1:8000/a"
    index.add_capture(url, ref(1, day=1), status=200, mime="Text/HTML; charset=utf-8",
                      run_id="r1")
    index.add_capture(url, ref(2, day=3), status=404, mime=None, run_id="r2")
    index.add_capture(url, ref(3, day=2), status=200, mime="text/html", run_id="r3")
    index.add_capture("http://127.0.0.1:8000/other", ref(4, day=9), status=200, mime=None,
                      run_id="r3")
    assert index.latest_capture(url) == ref(2, day=3)
    history = index.captures_for(url)
    assert [row.ref.record_id for row in history] == ["<urn:uuid:2>", "<urn:uuid:3>",
                                                       "<urn:uuid:1>"]
    assert history[2].mime == "text/html" and history[0].http_status == 404
    assert index.latest_capture("http://127.0.0.1:8000/none") is None
    assert index.locate("<urn:uuid:3>") == ("citecheck-x-00003.warc.gz", 300)


def test_the_original_of_a_payload_is_a_whole_response(index: ArchiveIndex) -> None:
    url = "http://127.0.0.1:8000/a"
    index.add_capture(url, ref(1, digest="sha256:CUT", truncated="length"), status=200,
                      mime=None, run_id="r")
    index.add_capture(url, ref(2, digest="sha256:SAME", revisit_of="<urn:uuid:3>", day=1),
                      status=200, mime=None, run_id="r")
    index.add_capture(url, ref(3, digest="sha256:SAME", day=2), status=200, mime=None,
                      run_id="r")
    assert index.payload_original("sha256:CUT") is None
    original = index.payload_original("sha256:SAME")
    assert (original.record_id, original.uri, original.date, original.offset) == (
        "<urn:uuid:3>", url, "2026-03-02T12:00:00.000000Z", 300)


def test_a_result_fills_its_rows(index: ArchiveIndex, document: DocumentInfo) -> None:
    run_id = index.start_run("run", document, {})
    result = sample_result("7", "http://127.0.0.1:8000/report", ref(1), text="Société des eaux")
    index.add_result(run_id, document, result)
    index.add_result(run_id, document, result)  # again: replaced, not doubled
    [citation] = index.db.query("select * from citations")
    assert (citation["citation_id"], citation["link_status"], citation["http_status"],
            citation["capture_record_id"], citation["title"]) == (
        "7", "ok", 200, "<urn:uuid:1>", "Report 7")
    hops = list(index.db.query("select * from hops order by position"))
    assert [(h["position"], h["status"], h["kind"]) for h in hops] == [(0, 301, "http"),
                                                                       (1, 200, "final")]
    [finding] = index.db.query("select * from findings")
    assert (finding["code"], finding["citation_id"], finding["evidence"]) == (
        "date-missing", "7", '{"cited": "2025-06-01"}')
    [page] = index.db.query("select * from pages")
    assert page["title"] == "Page 7" and page["text"] == "Société des eaux"
    assert index.results(run_id) == [dataclasses.replace(
        result, page=dataclasses.replace(result.page, text=""))]


def test_a_result_without_a_link_or_page(index: ArchiveIndex, document: DocumentInfo) -> None:
    run_id = index.start_run("run", document, {})
    result = dataclasses.replace(sample_result("8", "http://127.0.0.1:8000/gone", None,
                                               status=LinkStatus.DEAD), page=None)
    index.add_result(run_id, document, dataclasses.replace(result, link=None))
    index.add_result(run_id, document, result)
    assert index.db["pages"].count == 0
    assert [r.link.status for r in index.results(run_id)] == [LinkStatus.DEAD]


@pytest.mark.parametrize(("query", "found"), [
    ("societe", True), ("SOCIÉTÉ", True), ("eaux", True), ("Page", True), ("forest", False),
    ('"unbalanced', False),
])
def test_pages_are_searchable(index: ArchiveIndex, document: DocumentInfo, query: str,
                              found: bool) -> None:
    run_id = index.start_run("run", document, {})
    index.add_result(run_id, document, sample_result(
        "1", "http://127.0.0.1:8000/report", ref(1), text="La Société des eaux publie"))
    hits = index.search(query)
    assert bool(hits) is found
    if found:
        assert hits[0]["url"] == "http://127.0.0.1:8000/report"


def test_check_history_newest_first(index: ArchiveIndex) -> None:
    url = "http://127.0.0.1:8000/a"
    index.add_check(url, ok=True, status="ok", reason=None, at="2026-03-01T00:00:00Z")
    index.add_check(url, ok=False, status="dead", reason="404", at="2026-03-03T00:00:00Z")
    index.add_check(url, ok=False, status="unreachable", reason="timeout",
                    at="2026-03-02T00:00:00Z")
    checks = index.checks_for(url)
    assert [(c.status, c.ok) for c in checks] == [("dead", False), ("unreachable", False),
                                                  ("ok", True)]
    assert index.checks_for("http://127.0.0.1:8000/b") == []


def test_a_missing_index_is_not_created_when_asked_not_to(archive: Path) -> None:
    with pytest.raises(ArchiveError):
        ArchiveIndex.open(archive, create=False)
    assert not (archive / "index.db").exists()


def test_a_corrupt_index_is_a_clear_error(archive: Path) -> None:
    archive.mkdir()
    (archive / "index.db").write_bytes(b"this is not a database, it is a note" * 200)
    with pytest.raises(ArchiveError) as raised:
        ArchiveIndex.open(archive)
    assert "index.db" in raised.value.one_line()


def busy() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = sqlite3.SQLITE_BUSY
    return error


def test_busy_is_retried_then_reported(index: ArchiveIndex,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(index_module.time, "sleep", waits.append)
    answers = iter([busy(), busy(), "done"])

    def flaky() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert index._retry(flaky) == "done" and len(waits) == 2

    def always_busy() -> None:
        raise busy()

    with pytest.raises(ArchiveError):
        index._write(lambda db: always_busy())
    assert len(waits) == 2 + index_module.RETRIES


def test_other_errors_are_not_retried(index: ArchiveIndex,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module.time, "sleep", pytest.fail)
    with pytest.raises(ArchiveError):
        index._write(lambda db: db.execute("insert into nowhere values (1)"))


def test_a_writer_in_another_process_does_not_block_reads(archive: Path,
                                                          document: DocumentInfo) -> None:
    with ArchiveIndex.open(archive) as index:
        run_id = index.start_run("run", document, {})
        other = sqlite3.connect(archive / "index.db", timeout=0)
        other.execute("BEGIN IMMEDIATE")
        other.execute("insert into checks (url, at, ok, status) values ('u', 't', 1, 'ok')")
        assert index.run_info(run_id) is not None  # WAL: readers go on while one writes
        assert index.checks_for("u") == []  # and do not see what is not committed
        other.commit()
        other.close()
        index.add_check("v", ok=True, status="ok", reason=None, at="t")
        assert index.db["checks"].count == 2


def test_three_processes_write_one_archive_at_once(archive: Path) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        files = pool.starmap(write_run, [(str(archive), worker, 25, 6000) for worker in range(3)])
    every_file = [Path(f) for run in files for f in run]
    assert len(every_file) == len(set(every_file)) >= 6  # each run its own, rotated files
    assert sorted(every_file) == sorted(warc_dir(archive).iterdir())
    for path in every_file:
        assert verify_warc(path) == []
    with ArchiveIndex.open(archive, create=False) as index:
        runs = list(index.db.query("select * from runs"))
        assert len(runs) == 3 and all(run["finished"] for run in runs)
        assert index.db["citations"].count == 75 and index.db["captures"].count == 75
        assert index.db["hops"].count == 150 and index.db["findings"].count == 75
        check = list(index.db.query("pragma integrity_check"))
        assert check == [{"integrity_check": "ok"}]
