from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import random
import subprocess
import sys
import tempfile
import threading
import tracemalloc
from pathlib import Path

import pytest
from archive_helpers import make_exchange
from cdxj_indexer.main import write_cdx_index
from warcio.archiveiterator import ArchiveIterator

from citecheck.archive import ArchiveIndex, WarcWriter, read_response, verify_warc
from citecheck.archive import layout as layout_module
from citecheck.errors import ArchiveError


def records(path: Path) -> list:
    """Every record of a WARC file with its body read (small files only)."""
    out = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            raw = record.raw_stream.read()
            out.append((record, raw))
    return out


def sha256_b32(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


def test_every_file_passes_warcio_check_and_both_indexers(sample_run: dict) -> None:
    [path] = sample_run["files"]
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert "digest pass" in check.stdout
    listing = subprocess.run([sys.executable, "-m", "warcio.cli", "index", "-f",
                              "warc-type,warc-target-uri", str(path)],
                             capture_output=True, text=True, check=True).stdout
    assert listing.count('"warc-type": "response"') == 2
    assert listing.count('"warc-type": "revisit"') == 1
    cdxj = io.StringIO()
    write_cdx_index(cdxj, [str(path)], {})
    lines = cdxj.getvalue().splitlines()
    assert sum("127.0.0.1:8000/report" in line for line in lines) == 1
    assert sum('"mime": "warc/revisit"' in line for line in lines) == 1
    assert verify_warc(path) == []


def test_request_and_response_records_hold_the_exchange(archive: Path) -> None:
    started = dt.datetime(2026, 2, 3, 4, 5, 6, 789000, tzinfo=dt.UTC)
    ex = make_exchange("http://127.0.0.1:8000/search?q=water&page=2", b"<p>wells</p>",
                       started=started, ip="127.0.0.9")
    with WarcWriter(archive, warcinfo={"citecheck-run-id": "r1"}) as writer:
        ref = writer.write_exchange(ex)
    warcinfo, (request, request_body), (response, body) = (
        records(writer.files[0])[0], records(writer.files[0])[1], records(writer.files[0])[2])
    assert warcinfo[0].rec_type == "warcinfo"
    assert request.http_headers.protocol == "GET"
    assert request.http_headers.statusline == "/search?q=water&page=2 HTTP/1.1"
    assert request.http_headers.headers == ex.request_headers
    assert response.http_headers.headers == ex.response_headers
    assert body == b"<p>wells</p>" and request_body == b""
    headers = response.rec_headers
    assert headers.get_header("WARC-Date") == "2026-02-03T04:05:06.789000Z" == ref.timestamp
    assert headers.get_header("WARC-IP-Address") == "127.0.0.9"
    assert headers.get_header("WARC-Target-URI") == ex.url
    assert headers.get_header("WARC-Record-ID") == ref.record_id
    assert headers.get_header("WARC-Concurrent-To") == request.rec_headers.get_header(
        "WARC-Record-ID")
    assert request.rec_headers.get_header("WARC-Concurrent-To") == ref.record_id
    assert headers.get_header("WARC-Payload-Digest") == sha256_b32(body) == ref.payload_digest
    block = response.http_headers.to_bytes(encoding="latin-1") + body
    assert headers.get_header("WARC-Block-Digest") == sha256_b32(block)
    assert ref.warc == writer.files[0].name and ref.truncated is None


def test_the_ref_points_at_the_response_member(archive: Path) -> None:
    with WarcWriter(archive, warcinfo={}) as writer:
        ref = writer.write_exchange(make_exchange("http://127.0.0.1:8000/a", b"alpha"))
    data = writer.files[0].read_bytes()[ref.offset: ref.offset + ref.length]
    text = gzip.decompress(data)
    assert text.startswith(b"WARC/1.1\r\nWARC-Type: response\r\n")
    assert ref.record_id.encode() in text and text.endswith(b"alpha\r\n\r\n")


def test_a_dechunked_body_is_stored_under_the_renamed_header(archive: Path) -> None:
    # the payload looks like chunked framing itself: a reader that de-chunked it would corrupt it
    payload = b"5\r\nhello\r\n0\r\n\r\n"
    ex = make_exchange("http://127.0.0.1:8000/chunks", payload,
                       headers=[("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")])
    with WarcWriter(archive, warcinfo={}) as writer:
        writer.write_exchange(ex)
    with open(writer.files[0], "rb") as handle:
        for response in ArchiveIterator(handle):
            if response.rec_type == "response":
                break
        headers = response.http_headers
        assert headers.get_header("Transfer-Encoding") is None
        assert headers.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
        assert response.content_stream().read() == payload


def test_a_compressed_body_is_stored_as_received(archive: Path) -> None:
    html = "<p>Société des eaux</p>".encode() * 50
    encoded = gzip.compress(html)
    ex = make_exchange("http://127.0.0.1:8000/gz", encoded,
                       headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                ("Content-Length", str(len(encoded)))])
    with WarcWriter(archive, warcinfo={}) as writer:
        ref = writer.write_exchange(ex)
    with open(writer.files[0], "rb") as handle:
        handle.seek(ref.offset)
        response = next(iter(ArchiveIterator(handle)))
        assert response.content_stream().read() == html
    assert ref.payload_digest == sha256_b32(encoded)


def test_headers_keep_their_bytes_as_received(archive: Path) -> None:
    ex = make_exchange("http://127.0.0.1:8000/h", b"x",
                       headers=[("Content-Disposition", "inline; filename=\"rapport-été.pdf\"")])
    with WarcWriter(archive, warcinfo={}) as writer:
        ref = writer.write_exchange(ex)
    member = writer.files[0].read_bytes()[ref.offset: ref.offset + ref.length]
    assert 'filename="rapport-été.pdf"'.encode("latin-1") in gzip.decompress(member)
    assert verify_warc(writer.files[0]) == []


def test_an_identical_payload_becomes_a_revisit(sample_run: dict) -> None:
    first, _, copy = [r.link.capture for r in sample_run["results"]]
    assert copy.revisit_of == first.record_id and first.revisit_of is None
    assert copy.payload_digest == first.payload_digest
    revisit = next(r for r, _ in records(sample_run["files"][0])
                   if r.rec_headers.get_header("WARC-Record-ID") == copy.record_id)
    headers = revisit.rec_headers
    assert revisit.rec_type == "revisit"
    assert headers.get_header("WARC-Profile") == (
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest")
    assert headers.get_header("WARC-Refers-To") == first.record_id
    assert headers.get_header("WARC-Refers-To-Date") == first.timestamp
    assert headers.get_header("WARC-Refers-To-Target-URI") == "http://127.0.0.1:8000/report"
    assert revisit.raw_stream.read() == b""  # headers only


def test_a_payload_already_in_the_index_becomes_a_revisit_in_a_later_run(
        archive: Path, sample_run: dict) -> None:
    first = sample_run["results"][0].link.capture
    body = sample_run["pages"]["http://127.0.0.1:8000/report"]
    with ArchiveIndex.open(archive) as index, WarcWriter(
            archive, warcinfo={}, dedup=index.payload_original) as writer:
        ref = writer.write_exchange(make_exchange("http://127.0.0.1:8000/mirror", body))
    assert ref.revisit_of == first.record_id and ref.warc != first.warc


@pytest.mark.parametrize(("body", "headers", "method", "reason", "expected"), [
    (b"x" * 10, [("Content-Length", "10")], "GET", "length", "length"),
    (b"x" * 10, [("Content-Length", "10")], "GET", "time", "time"),
    (b"x" * 4, [("Content-Length", "10")], "GET", None, "unspecified"),
    (b"", [("Content-Length", "10")], "HEAD", None, None),
    (b"x" * 10, [("Content-Length", "10")], "GET", None, None),
    (b"x" * 4, [("Transfer-Encoding", "chunked")], "GET", None, None),
])
def test_warc_truncated_says_why_a_body_is_short(archive: Path, body: bytes, headers: list,
                                                 method: str, reason: str | None,
                                                 expected: str | None) -> None:
    ex = make_exchange("http://127.0.0.1:8000/t", body, headers=headers, method=method,
                       truncated=reason)
    with WarcWriter(archive, warcinfo={}) as writer:
        ref = writer.write_exchange(ex)
        again = writer.write_exchange(make_exchange("http://127.0.0.1:8000/t2", body,
                                                    headers=headers, method=method,
                                                    truncated=reason))
    assert ref.truncated == expected
    response = [r for r, _ in records(writer.files[0]) if r.rec_type == "response"][0]
    assert response.rec_headers.get_header("WARC-Truncated") == expected
    # a cut or empty body is never the original of a revisit
    assert again.revisit_of is None or (expected is None and body)
    assert verify_warc(writer.files[0]) == []


def test_files_rotate_past_the_size_limit(archive: Path) -> None:
    with WarcWriter(archive, warcinfo={"citecheck-run-id": "r9"}, max_size=4000) as writer:
        refs = [writer.write_exchange(make_exchange(f"http://127.0.0.1:8000/{n}",
                                                    random.Random(n).randbytes(3000)))
                for n in range(6)]
    names = [path.name for path in writer.files]
    assert len(names) >= 3 and len(set(names)) == len(names)
    assert [name.rsplit("-", 1)[1] for name in names] == [
        f"{n:05d}.warc.gz" for n in range(len(names))]
    assert {ref.warc for ref in refs} == set(names)
    for path in writer.files:
        assert verify_warc(path) == []
        first = records(path)[0][0]
        assert first.rec_type == "warcinfo"
        assert first.rec_headers.get_header("WARC-Filename") == path.name
    assert not list(layout_module.warc_dir(archive).glob("*.open"))


def test_a_file_is_open_while_written_and_final_once_closed(archive: Path) -> None:
    writer = WarcWriter(archive, warcinfo={})
    ref = writer.write_exchange(make_exchange("http://127.0.0.1:8000/o", b"open"))
    folder = layout_module.warc_dir(archive)
    assert [p.name for p in folder.iterdir()] == [ref.warc + ".open"]
    assert writer.close() == [folder / ref.warc]
    assert [p.name for p in folder.iterdir()] == [ref.warc]
    assert writer.close() == [folder / ref.warc]  # closing twice is harmless
    with pytest.raises(ArchiveError):
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/late", b"late"))


def test_an_existing_file_name_is_never_reused(archive: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = iter(["aaaaaa", "bbbbbb"])
    monkeypatch.setattr(layout_module, "new_token", lambda: next(tokens))
    moment = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    taken = layout_module.warc_dir(archive) / (
        layout_module.new_warc_name(moment, "aaaaaa", 0) + ".open")
    taken.parent.mkdir(parents=True)
    taken.write_bytes(b"another writer's bytes")
    with WarcWriter(archive, warcinfo={}, now=lambda: moment) as writer:
        ref = writer.write_exchange(make_exchange("http://127.0.0.1:8000/x", b"mine"))
    assert "-bbbbbb-" in ref.warc
    assert taken.read_bytes() == b"another writer's bytes"


def test_the_warcinfo_record_names_software_format_and_run(archive: Path) -> None:
    with WarcWriter(archive, warcinfo={"citecheck-run-id": "r7",
                                       "citecheck-command": "run"}) as writer:
        writer.write_metadata("urn:test", {"a": 1})
    warcinfo, block = records(writer.files[0])[0]
    text = block.decode()
    assert warcinfo.rec_headers.get_header("WARC-Type") == "warcinfo"
    for line in ("software: citecheck/", "format: WARC File Format 1.1",
                 "citecheck-archive-format: 1", "citecheck-run-id: r7",
                 "citecheck-command: run"):
        assert line in text


def test_threads_never_interleave_record_groups(archive: Path) -> None:
    refs: list = []

    def work(worker: int) -> None:
        for n in range(15):
            body = f"thread {worker} page {n} ".encode() * 200
            refs.append(writer.write_exchange(
                make_exchange(f"http://127.0.0.1:8000/{worker}/{n}", body)))

    with WarcWriter(archive, warcinfo={}) as writer:
        threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    [path] = writer.files
    assert verify_warc(path) == []
    assert len(refs) == 120 and len({ref.offset for ref in refs}) == 120
    assert sum(r.rec_type == "response" for r, _ in records(path)) == 120


def test_a_large_body_is_streamed_not_held_in_memory(archive: Path) -> None:
    size = 24 * 1024 * 1024
    with tempfile.TemporaryFile() as body:
        for n in range(size // 65536):
            body.write(bytes([n % 256]) * 65536)
        body.seek(0)
        ex = make_exchange("http://127.0.0.1:8000/big.pdf", body,
                           headers=[("Content-Type", "application/pdf")])
        with WarcWriter(archive, warcinfo={}) as writer:
            tracemalloc.start()
            ref = writer.write_exchange(ex)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    assert peak < size // 8
    assert ref.length > 0 and verify_warc(writer.files[0]) == []


class FailingBody(io.BytesIO):
    """A body whose file fails part-way through the second read (the one that writes it)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0
        self.fail_after = len(data) // 65536 + 4  # the digest pass reads 64 KiB at a time

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        if self.reads > self.fail_after:
            raise OSError(5, "Input/output error")
        return super().read(size)


def test_a_failed_write_leaves_the_file_valid(archive: Path) -> None:
    with WarcWriter(archive, warcinfo={}) as writer:
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/1", b"one"))
        with pytest.raises(ArchiveError):
            writer.write_exchange(make_exchange("http://127.0.0.1:8000/2",
                                                FailingBody(bytes(range(256)) * 800)))
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/3", b"three"))
    assert verify_warc(writer.files[0]) == []
    uris = [r.rec_headers.get_header("WARC-Target-URI") for r, _ in records(writer.files[0])]
    assert uris[1:] == ["http://127.0.0.1:8000/1"] * 2 + ["http://127.0.0.1:8000/3"] * 2


def test_a_full_disk_mid_group_leaves_the_file_valid(archive: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from citecheck.archive import writer as writer_module

    real_copy = writer_module._copy
    calls = []

    def copy_then_fail(source: io.BufferedIOBase, raw: io.FileIO) -> None:
        calls.append(1)
        if len(calls) == 5:  # warcinfo, 2 records, then the 2nd response: part of it, then fail
            raw.write(source.read(20))
            raise OSError(28, "No space left on device")
        real_copy(source, raw)

    monkeypatch.setattr(writer_module, "_copy", copy_then_fail)
    with WarcWriter(archive, warcinfo={}) as writer:
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/1", b"one"))
        with pytest.raises(ArchiveError):
            writer.write_exchange(make_exchange("http://127.0.0.1:8000/2", b"two" * 100))
    assert verify_warc(writer.files[0]) == []
    uris = [r.rec_headers.get_header("WARC-Target-URI") for r, _ in records(writer.files[0])]
    assert uris[1:] == ["http://127.0.0.1:8000/1"] * 2


def test_text_that_never_came_off_a_socket_is_still_written(archive: Path) -> None:
    ex = make_exchange("http://127.0.0.1:8000/é à?q=ü", b"body",
                       headers=[("X-Note", "vérifié ✓")])
    ex.reason = "Gut ✓"
    with WarcWriter(archive, warcinfo={}) as writer:
        ref = writer.write_exchange(ex)
    assert verify_warc(writer.files[0]) == []
    stored = read_response(archive, ref, max_bytes=10)
    assert (stored.reason, stored.header("X-Note"), stored.body) == ("Gut ✓", "vérifié ✓",
                                                                     b"body")
