from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from archive_helpers import make_exchange

from citecheck.archive import (
    ArchiveIndex,
    WarcWriter,
    read_record_bytes,
    read_response,
)
from citecheck.archive.layout import warc_dir
from citecheck.errors import ArchiveError

REPORT = "http://127.0.0.1:8000/report"


def test_a_response_reads_back_as_received(archive: Path, sample_run: dict) -> None:
    ref = sample_run["results"][0].link.capture
    stored = read_response(archive, ref, max_bytes=1_000_000)
    assert stored.status == 200 and stored.reason == "OK"
    assert stored.body == sample_run["pages"][REPORT] and stored.complete
    assert stored.content_type == "text/html; charset=utf-8"
    assert stored.header("content-length") == str(len(stored.body))
    assert (stored.target_uri, stored.record_id, stored.date) == (REPORT, ref.record_id,
                                                                  ref.timestamp)
    assert stored.revisit_of is None and stored.truncated is None and stored.ip == "127.0.0.1"


def test_the_body_is_bounded(archive: Path, sample_run: dict) -> None:
    ref = sample_run["results"][0].link.capture
    stored = read_response(archive, (ref.warc, ref.offset), max_bytes=10)
    assert stored.body == sample_run["pages"][REPORT][:10] and not stored.complete


@pytest.mark.parametrize("through_index", [True, False])
def test_a_revisit_reads_the_body_of_its_original(archive: Path, sample_run: dict,
                                                  through_index: bool) -> None:
    original, _, copy = (r.link.capture for r in sample_run["results"])
    with ArchiveIndex.open(archive) as index:
        stored = read_response(archive, copy, max_bytes=1_000_000,
                               locate=index.locate if through_index else None)
    assert stored.target_uri == "http://127.0.0.1:8000/copy"
    assert stored.record_id == copy.record_id and stored.revisit_of == original.record_id
    assert stored.body == sample_run["pages"][REPORT] and stored.status == 200


def test_a_file_still_being_written_can_be_read(archive: Path) -> None:
    with WarcWriter(archive, warcinfo={}) as writer:
        ref = writer.write_exchange(make_exchange("http://127.0.0.1:8000/now", b"fresh"))
        assert read_response(archive, ref, max_bytes=100).body == b"fresh"


def test_a_record_that_is_not_a_response_is_refused(archive: Path, sample_run: dict) -> None:
    [path] = sample_run["files"]
    with pytest.raises(ArchiveError):
        read_response(archive, (path.name, 0), max_bytes=100)  # the warcinfo record
    for offset in range(1, 400, 3):  # never a record boundary
        with pytest.raises(ArchiveError):
            read_response(archive, (path.name, offset), max_bytes=100)


@pytest.mark.parametrize("name", [
    "../index.db", "../../etc/passwd", "/etc/passwd", "warc/x.warc.gz", "x/../y.warc.gz",
    "", ".warc.gz", "..warc.gz", "index.db", "missing.warc.gz", "x.warc.gz\x00",
])
def test_only_plain_names_in_the_warc_folder_are_read(archive: Path, sample_run: dict,
                                                      name: str) -> None:
    with pytest.raises(ArchiveError):
        read_response(archive, (name, 0), max_bytes=100)
    with pytest.raises(ArchiveError):
        read_record_bytes(archive, name, 0, 10)


def test_a_symlink_out_of_the_archive_is_refused(archive: Path, sample_run: dict,
                                                 tmp_path: Path) -> None:
    outside = tmp_path / "outside.warc.gz"
    outside.write_bytes(sample_run["files"][0].read_bytes())
    (warc_dir(archive) / "link.warc.gz").symlink_to(outside)
    with pytest.raises(ArchiveError):
        read_response(archive, ("link.warc.gz", 0), max_bytes=100)


def test_record_bytes_are_the_gzip_member_as_stored(archive: Path, sample_run: dict) -> None:
    ref = sample_run["results"][1].link.capture
    data = read_record_bytes(archive, ref.warc, ref.offset, ref.length)
    assert data == sample_run["files"][0].read_bytes()[ref.offset: ref.offset + ref.length]
    record = gzip.decompress(data)
    assert record.startswith(b"WARC/1.1\r\nWARC-Type: response\r\n")
    assert ref.record_id.encode() in record


@pytest.mark.parametrize(("offset", "length"), [(-1, 10), (0, 0), (0, 10**9), (5, 100)])
def test_record_bytes_outside_a_record_are_refused(archive: Path, sample_run: dict,
                                                   offset: int, length: int) -> None:
    with pytest.raises(ArchiveError):
        read_record_bytes(archive, sample_run["files"][0].name, offset, length)
