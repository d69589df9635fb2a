"""What the archive holds after runs: one fetch per URL, revisits, one verdict per note."""

from __future__ import annotations

import threading

import pytest
import sqlite_utils
from fetch_loopback import respond
from runkit import (
    assert_valid_archive,
    cite,
    exchanges,
    read_records,
    responses_for,
    result_record,
    write_project,
)
from werkzeug import Response

from citecheck.archive.index import ArchiveIndex
from citecheck.archive.reader import read_response
from citecheck.models import Kind

TITLE = "Court orders the release of two activists"
PAGE = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        f"<p>{'The appeal court found the detention unlawful. ' * 30}</p></body></html>")


def shortener(httpserver, short: str, target: str) -> str:
    httpserver.expect_request(short).respond_with_response(
        Response("", status=301, headers={"Location": target}))
    httpserver.expect_request(target).respond_with_data(PAGE, content_type="text/html")
    return httpserver.url_for(short)


def test_a_url_cited_by_several_notes_is_fetched_once(httpserver, tmp_path, run):
    url = shortener(httpserver, "/s/k", "/news/release")
    notes = [cite(n, url, TITLE) for n in ("1", "2", "3")]
    write_project(tmp_path, [*notes, cite("4", None, "Interview with a lawyer, May 2024")])

    outcome = run(tmp_path)

    assert [path for path, _ in ((r.path, r) for r, _ in httpserver.log)] == [
        "/s/k", "/news/release"]
    assert {outcome.cite(n)["status"] for n in ("1", "2", "3")} == {"ok"}
    records = read_records(outcome.archive)
    final = responses_for(records, httpserver.url_for("/news/release"))
    assert len(final) == 1 and len(exchanges(records)) == 2
    run_id = outcome.report["run_id"]
    for note in ("1", "2", "3"):
        assert result_record(records, run_id, note).concurrent == (final[0].id,)
    no_link = result_record(records, run_id, "4")
    assert no_link.concurrent == () and no_link.json()["link"] is None
    ends = [r for r in records if r.uri == f"urn:citecheck:{run_id}:run"]
    assert len(ends) == 1 and ends[0].json()["counts"]["ok"] == 3
    db = sqlite_utils.Database(outcome.archive / "index.db")
    assert db["citations"].count == 4 and db["captures"].count == 2
    assert_valid_archive(outcome.archive)


@pytest.mark.parametrize("together", [False, True], ids=["one-after-the-other", "at-once"])
def test_the_same_payload_twice_in_a_run_is_stored_once(raw_server, tmp_path, run, together):
    # "at once": both answers wait for both requests, so both writes race for the original
    meet = threading.Barrier(2 if together else 1, timeout=5)

    def mirror(request, conn):
        meet.wait()
        respond(conn, 200, PAGE.encode(), [("Content-Type", "text/html")])

    server = raw_server({"/mirror/a": mirror, "/mirror/b": mirror})
    urls = [server.url("/mirror/a"), server.url("/mirror/b")]
    write_project(tmp_path, [cite("1", urls[0], TITLE), cite("2", urls[1], TITLE)])

    outcome = run(tmp_path, "--workers", "2" if together else "1")

    assert outcome.cite("1")["found"]["title"] == outcome.cite("2")["found"]["title"] == TITLE
    answers = [r for _, r in exchanges(read_records(outcome.archive))]
    assert sorted(r.type for r in answers) == ["response", "revisit"]
    original = next(r for r in answers if r.type == "response")
    revisit = next(r for r in answers if r.type == "revisit")
    assert revisit.header("WARC-Refers-To") == original.id
    assert revisit.header("WARC-Refers-To-Target-URI") == original.uri
    assert revisit.header("WARC-Payload-Digest") == original.header("WARC-Payload-Digest")
    assert revisit.payload == b""  # headers only
    assert_valid_archive(outcome.archive)


def test_a_second_run_on_the_archive_stores_a_revisit(httpserver, tmp_path, run):
    url = shortener(httpserver, "/s/r", "/news/again")
    write_project(tmp_path, [cite("1", url, TITLE)])

    first = run(tmp_path)
    second = run(tmp_path)

    assert first.report["run_id"] != second.report["run_id"]
    assert second.cite("1")["status"] == "ok" and second.codes("1") == set()
    records = read_records(tmp_path / "archive")
    pages = {r.id: r for r in responses_for(records, httpserver.url_for("/news/again"))}
    assert len(pages) == 2
    original = pages[first.cite("1")["capture"]["record_id"]]
    revisit = pages[second.cite("1")["capture"]["record_id"]]
    assert (original.type, revisit.type) == ("response", "revisit")
    assert original.file != revisit.file  # each run writes its own files
    assert revisit.header("WARC-Refers-To") == original.id
    for outcome in (first, second):
        result = result_record(records, outcome.report["run_id"], "1")
        assert result.concurrent == (outcome.cite("1")["capture"]["record_id"],)
    with ArchiveIndex.open(tmp_path / "archive") as index:
        stored = read_response(tmp_path / "archive", (revisit.file, _offset(index, revisit.id)),
                               max_bytes=1_000_000, locate=index.locate)
    assert stored.body == PAGE.encode()  # a revisit reads its original's body
    assert_valid_archive(tmp_path / "archive")


def _offset(index: ArchiveIndex, record_id: str) -> int:
    located = index.locate(record_id)
    assert located is not None
    return located[1]


def test_ibid_notes_get_their_own_verdict_record(httpserver, tmp_path, run):
    url = shortener(httpserver, "/s/i", "/news/ibid")
    write_project(tmp_path, [cite("1", url, TITLE),
                             cite("2", None, None, kind=Kind.IBID, same_as="1")])

    outcome = run(tmp_path)

    records = read_records(outcome.archive)
    run_id = outcome.report["run_id"]
    assert result_record(records, run_id, "2").json()["citation"]["same_as"] == "1"
    assert outcome.cite("2")["status"] == "not-checked"
    assert len(exchanges(records)) == 2
    assert_valid_archive(outcome.archive)
