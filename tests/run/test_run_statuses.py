"""Dead, failing, slow, huge and odd responses through `citecheck run`: report and WARC agree."""

from __future__ import annotations

import functools
import gzip
import itertools

import pytest
from fetch_loopback import respond, trickle
from runkit import (
    assert_valid_archive,
    cite,
    exchanges,
    read_records,
    result_record,
    write_project,
)
from werkzeug import Request, Response

TITLE = "Fishermen protest the new harbour fees"
PAGE = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        f"<p>{'The port authority met the union on Monday. ' * 30}</p></body></html>")


def answers(*responses: Response):
    """A handler giving these responses in turn, the last one from then on."""
    queue = itertools.chain(responses, itertools.repeat(responses[-1]))
    return lambda request: next(queue)


def only_pair(records, url: str):
    pairs = [(q, r) for q, r in exchanges(records) if r.uri == url]
    assert len(pairs) == 1, [r.http_status for _, r in pairs]
    return pairs[0][1]


@pytest.mark.parametrize("status, link_status, code", [
    (404, "dead", "link-dead"),
    (410, "dead", "link-dead"),
    (403, "blocked", "link-blocked"),
])
def test_error_status_is_reported_and_its_response_archived(httpserver, tmp_path, run,
                                                           status, link_status, code):
    httpserver.expect_request("/gone").respond_with_data("no such article", status=status)
    url = httpserver.url_for("/gone")
    write_project(tmp_path, [cite("1", url, TITLE)])

    outcome = run(tmp_path)

    note = outcome.cite("1")
    assert (note["status"], note["http_status"]) == (link_status, status)
    assert code in outcome.codes("1") and note["found"] is None
    records = read_records(outcome.archive)
    response = only_pair(records, url)
    assert response.http_status == status and response.payload == b"no such article"
    assert result_record(records, outcome.report["run_id"], "1").concurrent == (response.id,)
    assert_valid_archive(outcome.archive)


@pytest.mark.parametrize("first", [
    Response("busy", status=500),
    Response("slow down", status=429, headers={"Retry-After": "1"}),
], ids=["500", "429-retry-after"])
def test_a_retried_error_keeps_only_the_answer_that_counted(httpserver, tmp_path, run, first):
    httpserver.expect_request("/flaky").respond_with_handler(
        answers(first, Response(PAGE, content_type="text/html")))
    url = httpserver.url_for("/flaky")
    write_project(tmp_path, [cite("1", url, TITLE)])

    outcome = run(tmp_path)

    assert outcome.cite("1")["status"] == "ok" and outcome.codes("1") == set()
    assert len(httpserver.log) == 2
    response = only_pair(read_records(outcome.archive), url)
    assert response.http_status == 200
    assert_valid_archive(outcome.archive)


def test_429_to_the_end_is_blocked_after_the_retries(httpserver, tmp_path, run):
    httpserver.expect_request("/busy").respond_with_response(
        Response("too many", status=429, headers={"Retry-After": "0"}))
    url = httpserver.url_for("/busy")
    write_project(tmp_path, [cite("1", url, TITLE)])

    outcome = run(tmp_path, "--retries", "2")

    assert outcome.cite("1")["status"] == "blocked" and "link-blocked" in outcome.codes("1")
    assert len(httpserver.log) == 3
    assert only_pair(read_records(outcome.archive), url).http_status == 429
    assert_valid_archive(outcome.archive)


def test_a_body_trickled_past_the_deadline_is_kept_cut_by_time(raw_server, halt, tmp_path,
                                                              run):
    body = PAGE.encode() + b" " * 5000

    def slow(request, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:600])
        trickle(conn, body[600:], 0.05, halt)

    server = raw_server({"/slow": slow})
    write_project(tmp_path, [cite("1", server.url("/slow"), TITLE)])

    outcome = run(tmp_path, "--deadline", "1")

    note = outcome.cite("1")
    assert note["capture"]["truncated"] == "time"
    assert "link-truncated" in outcome.codes("1")
    response = only_pair(read_records(outcome.archive), server.url("/slow"))
    assert response.header("WARC-Truncated") == "time"
    assert body.startswith(response.payload) and 600 <= len(response.payload) < len(body)
    assert_valid_archive(outcome.archive)


def test_headers_trickled_past_the_deadline_leave_the_link_unreachable(raw_server, halt,
                                                                      tmp_path, run):
    def slow(request, conn):
        trickle(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" * 50, 0.05, halt)

    server = raw_server({"/slow": slow})
    write_project(tmp_path, [cite("1", server.url("/slow"), TITLE)])

    outcome = run(tmp_path, "--deadline", "1")

    note = outcome.cite("1")
    assert (note["status"], note["cause"]) == ("unreachable", "deadline")
    assert "link-unreachable" in outcome.codes("1")
    records = read_records(outcome.archive)
    assert exchanges(records) == []  # no response came, so nothing but the verdict is kept
    assert result_record(records, outcome.report["run_id"], "1").concurrent == ()
    assert_valid_archive(outcome.archive)


def test_a_body_over_max_body_is_cut_by_length(httpserver, tmp_path, run):
    body = PAGE.encode() + b"<p>" + b"more text " * 30_000 + b"</p>"
    httpserver.expect_request("/long").respond_with_data(body, content_type="text/html")
    url = httpserver.url_for("/long")
    write_project(tmp_path, [cite("1", url, TITLE)])

    outcome = run(tmp_path, "--max-body", "100KB")

    note = outcome.cite("1")
    assert note["status"] == "ok" and note["capture"]["truncated"] == "length"
    assert "link-truncated" in outcome.codes("1")
    assert note["found"]["title"] == TITLE  # the start of the page was read
    response = only_pair(read_records(outcome.archive), url)
    assert response.header("WARC-Truncated") == "length"
    assert response.payload == body[:100_000]
    assert_valid_archive(outcome.archive)


@functools.cache
def gzip_bomb() -> bytes:
    """A page whose title comes first, then 50 MB of blanks: about 50 KB compressed."""
    head = f"<html><head><title>{TITLE}</title></head><body>".encode()
    stream = gzip.compress(head + b" " * 50_000_000, compresslevel=6, mtime=0)
    return stream


def test_a_gzip_bomb_is_stored_compressed_and_read_within_bounds(httpserver, tmp_path, run):
    bomb = gzip_bomb()
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html")
    url = httpserver.url_for("/bomb")
    write_project(tmp_path, [cite("1", url, TITLE)], config='max_decoded = "1MB"\n')

    outcome = run(tmp_path)

    note = outcome.cite("1")
    assert note["status"] == "ok" and note["capture"]["truncated"] is None
    assert note["found"]["title"] == TITLE
    response = only_pair(read_records(outcome.archive), url)
    assert response.header("WARC-Truncated") is None
    assert response.payload == bomb  # as received: still gzip, never inflated on disk
    assert_valid_archive(outcome.archive)


RUSSIAN_TITLE = "Правозащитники сообщают о новых задержаниях журналистов"


def test_a_cp1251_page_without_a_charset_is_read_right(raw_server, tmp_path, run):
    text = ("Во вторник полиция задержала трёх журналистов у здания суда. "
            "Их адвокаты говорят, что задержания незаконны. ") * 10
    page = (f"<html><head><title>{RUSSIAN_TITLE}</title></head><body><h1>{RUSSIAN_TITLE}</h1>"
            f"<p>{text}</p></body></html>").encode("cp1251")
    server = raw_server({"/news": lambda r, c: respond(c, 200, page,
                                                       [("Content-Type", "text/html")])})
    write_project(tmp_path, [cite("1", server.url("/news"), RUSSIAN_TITLE)])

    outcome = run(tmp_path)

    assert outcome.cite("1")["found"]["title"] == RUSSIAN_TITLE
    assert "title-mismatch" not in outcome.codes("1")
    assert only_pair(read_records(outcome.archive), server.url("/news")).payload == page
    assert_valid_archive(outcome.archive)


def test_request_headers_reach_the_server_and_the_warc(httpserver, tmp_path, run):
    seen = []

    def page(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent"))
        return Response(PAGE, content_type="text/html")

    httpserver.expect_request("/ua").respond_with_handler(page)
    write_project(tmp_path, [cite("1", httpserver.url_for("/ua"), TITLE)])

    outcome = run(tmp_path, "--user-agent", "FieldResearch/2.0")

    assert seen == ["FieldResearch/2.0"]
    request = next(q for q, _ in exchanges(read_records(outcome.archive)))
    assert request.http["user-agent"] == "FieldResearch/2.0"
    assert_valid_archive(outcome.archive)
