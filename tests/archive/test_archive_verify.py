from __future__ import annotations

import gzip
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from archive_helpers import make_exchange
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from citecheck.archive import ProblemCode, WarcWriter, verify_warc
from citecheck.archive.scan import scan_members


def write_file(archive: Path, token: str) -> tuple[bytes, list[tuple[int, int]]]:
    """A valid file: warcinfo, two exchanges (request, response), one metadata record."""
    with WarcWriter(archive / token, warcinfo={"citecheck-run-id": token}) as writer:
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/a", b"<p>alpha</p>" * 40))
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/b", b"<p>beta</p>" * 40))
        writer.write_metadata("urn:citecheck:test", {"note": "1"})
    [path] = writer.files
    with open(path, "rb") as handle:
        spans = [(m.offset, m.end) for m in scan_members(handle)]
    return path.read_bytes(), spans


@pytest.fixture
def valid(archive: Path) -> tuple[bytes, list[tuple[int, int]]]:
    return write_file(archive, "main")


@pytest.fixture
def other(archive: Path) -> tuple[bytes, list[tuple[int, int]]]:
    return write_file(archive, "other")


WARCINFO, REQUEST_A, RESPONSE_A, REQUEST_B, RESPONSE_B, METADATA = range(6)


def member(data: bytes, spans: list, n: int) -> bytes:
    return data[spans[n][0]: spans[n][1]]


def rewrite(data: bytes, spans: list, n: int, change: Callable[[bytes], bytes]) -> bytes:
    """Replace member n by the recompressed result of changing its record bytes."""
    record = gzip.decompress(member(data, spans, n))
    return data[: spans[n][0]] + gzip.compress(change(record)) + data[spans[n][1]:]


def flip_compressed(data: bytes, spans: list) -> bytes:
    start, end = spans[RESPONSE_A]
    middle = (start + end) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def splice(data: bytes, spans: list, other: bytes, other_spans: list) -> bytes:
    """Another writer's record written into the middle of one of ours."""
    start, end = spans[RESPONSE_A]
    half = (start + end) // 2
    return data[:half] + member(other, other_spans, METADATA) + data[half:]


def between_pair(data: bytes, spans: list, other: bytes, other_spans: list) -> bytes:
    """Another writer's whole exchange appended between our request and its response."""
    theirs = member(other, other_spans, REQUEST_A) + member(other, other_spans, RESPONSE_A)
    return data[: spans[RESPONSE_A][0]] + theirs + data[spans[RESPONSE_A][0]:]


def other_warcinfo(data: bytes, spans: list, other: bytes, other_spans: list) -> bytes:
    return data + member(other, other_spans, WARCINFO)


def set_length(delta: int) -> Callable[[bytes], bytes]:
    def change(record: bytes) -> bytes:
        head, _, rest = record.partition(b"\r\n\r\n")
        lines = [line if not line.startswith(b"Content-Length: ") else
                 b"Content-Length: %d" % (int(line.split(b": ")[1]) + delta)
                 for line in head.split(b"\r\n")]
        return b"\r\n".join(lines) + b"\r\n\r\n" + rest
    return change


MUTATIONS: list[tuple[str, Callable, ProblemCode, int | None]] = [
    ("cut mid-member", lambda d, s, o, os_: d[: (s[RESPONSE_A][0] + s[RESPONSE_A][1]) // 2],
     ProblemCode.TRUNCATED_MEMBER, RESPONSE_A),
    ("flipped compressed byte", lambda d, s, o, os_: flip_compressed(d, s),
     ProblemCode.CORRUPT_GZIP, RESPONSE_A),
    ("flipped body byte", lambda d, s, o, os_: rewrite(d, s, RESPONSE_A,
                                                        lambda r: r.replace(b"alpha", b"alphA", 1)),
     ProblemCode.PAYLOAD_DIGEST, RESPONSE_A),
    ("flipped header byte",
     lambda d, s, o, os_: rewrite(d, s, RESPONSE_A, lambda r: r.replace(b"200 OK", b"404 OK")),
     ProblemCode.BLOCK_DIGEST, RESPONSE_A),
    ("record spliced into another", splice, ProblemCode.CORRUPT_GZIP, RESPONSE_A),
    ("records between a pair", between_pair, ProblemCode.NOT_ADJACENT, None),
    ("second warcinfo", other_warcinfo, ProblemCode.WARCINFO_NOT_FIRST, None),
    ("missing CRLFs", lambda d, s, o, os_: rewrite(d, s, METADATA, lambda r: r[:-4]),
     ProblemCode.MISSING_CRLF, METADATA),
    ("Content-Length too long", lambda d, s, o, os_: rewrite(d, s, METADATA, set_length(+9)),
     ProblemCode.LENGTH_MISMATCH, METADATA),
    ("Content-Length too short", lambda d, s, o, os_: rewrite(d, s, METADATA, set_length(-3)),
     ProblemCode.MISSING_CRLF, METADATA),
    ("two records in one member", lambda d, s, o, os_: d[: s[REQUEST_B][0]] + gzip.compress(
        gzip.decompress(member(d, s, REQUEST_B)) + gzip.decompress(member(d, s, RESPONSE_B)))
        + d[s[METADATA][0]:], ProblemCode.EXTRA_DATA, REQUEST_B),
    ("trailing garbage", lambda d, s, o, os_: d + b"\x00garbage", ProblemCode.GARBAGE, None),
    ("request dropped", lambda d, s, o, os_: d[: s[REQUEST_A][0]] + d[s[RESPONSE_A][0]:],
     ProblemCode.UNPAIRED, REQUEST_A),
    ("record repeated", lambda d, s, o, os_: d + member(d, s, METADATA),
     ProblemCode.DUPLICATE_ID, None),
    ("no warcinfo", lambda d, s, o, os_: d[s[REQUEST_A][0]:], ProblemCode.WARCINFO_NOT_FIRST, 0),
    ("empty file", lambda d, s, o, os_: b"", ProblemCode.EMPTY_FILE, 0),
    ("not gzip at all", lambda d, s, o, os_: gzip.decompress(d), ProblemCode.GARBAGE, 0),
]


def test_a_written_file_is_valid(valid: tuple, tmp_path: Path) -> None:
    path = tmp_path / "valid.warc.gz"
    path.write_bytes(valid[0])
    assert verify_warc(path) == []


@pytest.mark.parametrize(("name", "mutate", "code", "at"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_broken_file_is_reported_with_the_offset(valid: tuple, other: tuple, tmp_path: Path,
                                                   name: str, mutate: Callable, code: ProblemCode,
                                                   at: int | None) -> None:
    data, spans = valid
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(mutate(data, spans, *other))
    problems = verify_warc(path)
    assert code in {p.code for p in problems}, problems
    if at is not None:
        assert spans[at][0] in {p.offset for p in problems if p.code == code}


def test_warcio_check_misses_what_verify_finds(valid: tuple, other: tuple,
                                               tmp_path: Path) -> None:
    path = tmp_path / "interleaved.warc.gz"
    path.write_bytes(between_pair(*valid, *other) + member(other[0], other[1], WARCINFO))
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 0  # warcio#138: interleaved writers go unnoticed
    assert {p.code for p in verify_warc(path)} >= {ProblemCode.NOT_ADJACENT,
                                                   ProblemCode.WARCINFO_NOT_FIRST}


def foreign_file(http_headers: list, body: bytes, method: str = "GET") -> bytes:
    """A file written by warcio itself (sha1 digests, response before request)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record("f.warc.gz", {"software": "warcio"}))
    response = writer.create_warc_record(
        "http://127.0.0.1:8000/f", "response", payload=io.BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders("200 OK", http_headers, protocol="HTTP/1.1"))
    request = writer.create_warc_record(
        "http://127.0.0.1:8000/f", "request",
        http_headers=StatusAndHeaders("/f HTTP/1.1", [("Host", "127.0.0.1")], protocol=method))
    writer.write_request_response_pair(request, response)
    return out.getvalue()


@pytest.mark.parametrize(("headers", "body", "method", "expected"), [
    ([("Content-Length", "5")], b"whole", "GET", set()),
    ([("Content-Length", "100")], b"short", "GET", {ProblemCode.MISSING_TRUNCATED}),
    ([("Content-Length", "100")], b"", "HEAD", set()),
    ([("Transfer-Encoding", "chunked")], b"5\r\nshort\r\n0\r\n\r\n", "GET", set()),
])
def test_a_short_body_needs_warc_truncated(tmp_path: Path, headers: list, body: bytes,
                                           method: str, expected: set) -> None:
    path = tmp_path / "foreign.warc.gz"
    path.write_bytes(foreign_file(headers, body, method))
    assert {p.code for p in verify_warc(path)} == expected


def test_records_that_compress_very_well_are_framed_right(archive: Path) -> None:
    # one member inflates to far more than a read asks for: its end must still be exact
    with WarcWriter(archive, warcinfo={}) as writer:
        for n in range(3):
            writer.write_exchange(make_exchange(f"http://127.0.0.1:8000/{n}",
                                                bytes((n + i) % 251 for i in range(400_000))))
    [path] = writer.files
    assert verify_warc(path) == []
    with open(path, "rb") as handle:
        assert [m.facts.rec_type for m in scan_members(handle)] == [
            "warcinfo"] + ["request", "response"] * 3
