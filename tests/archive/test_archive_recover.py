from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from archive_helpers import make_exchange
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.archive import (
    ArchiveIndex,
    Outcome,
    WarcWriter,
    read_response,
    recover_open_files,
    verify_warc,
)
from citecheck.archive.layout import warc_dir
from citecheck.archive.scan import scan_members

ROOT = Path(__file__).resolve().parents[2]


def complete_file(archive: Path) -> tuple[bytes, list]:
    """A finished file: warcinfo, three exchanges, a metadata record; and its member spans."""
    with WarcWriter(archive / "source", warcinfo={}) as writer:
        for n in range(3):
            writer.write_exchange(make_exchange(f"http://127.0.0.1:8000/{n}",
                                                f"page {n} ".encode() * 300))
        writer.write_metadata("urn:citecheck:test", {"n": 3})
    [path] = writer.files
    with open(path, "rb") as handle:
        members = [(m.offset, m.end, m.facts.rec_type) for m in scan_members(handle)]
    return path.read_bytes(), members


@pytest.fixture
def source(archive: Path) -> tuple[bytes, list]:
    return complete_file(archive)


def left_open(archive: Path, data: bytes) -> Path:
    """What a killed writer leaves: a `.open` file nobody holds."""
    folder = warc_dir(archive)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "citecheck-20260301T120000Z-dead00-00000.warc.gz.open"
    path.write_bytes(data)
    return path


def group_ends(members: list) -> list[int]:
    """Offsets where a record group ends: after a response, revisit or metadata record."""
    return [end for _, end, kind in members if kind in ("response", "revisit", "metadata")]


def expected_keep(members: list, cut: int) -> int:
    return max([end for end in group_ends(members) if end <= cut], default=0)


@pytest.mark.parametrize(("where", "outcome", "groups"), [
    ("whole", Outcome.RENAMED, 4),
    ("inside the last response", Outcome.TRUNCATED, 2),
    ("after a request", Outcome.TRUNCATED, 2),
    ("inside the metadata record", Outcome.TRUNCATED, 3),
    ("inside the warcinfo", Outcome.REMOVED, 0),
    ("after the warcinfo", Outcome.REMOVED, 0),
    ("nothing", Outcome.REMOVED, 0),
])
def test_a_killed_writers_file_is_cut_after_its_last_complete_group(
        archive: Path, source: tuple, where: str, outcome: Outcome, groups: int) -> None:
    data, members = source
    request_3, response_3, metadata = members[5], members[6], members[7]
    cut = {"whole": len(data), "inside the last response": (response_3[0] + response_3[1]) // 2,
           "after a request": request_3[1], "inside the metadata record": metadata[0] + 30,
           "inside the warcinfo": members[0][1] // 2, "after the warcinfo": members[0][1],
           "nothing": 0}[where]
    path = left_open(archive, data[:cut])
    [recovered] = recover_open_files(archive)
    assert (recovered.outcome, recovered.groups) == (outcome, groups)
    if outcome == Outcome.REMOVED:
        assert not path.exists() and not list(warc_dir(archive).iterdir())
        return
    final = path.with_name(path.name.removesuffix(".open"))
    assert recovered.path == final and not path.exists()
    assert final.read_bytes() == data[: expected_keep(members, cut)]
    assert verify_warc(final) == []


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(min_value=0, max_value=1))
def test_any_cut_recovers_to_a_valid_prefix(tmp_path_factory: pytest.TempPathFactory,
                                            fraction: float) -> None:
    archive = tmp_path_factory.mktemp("archive")
    data, members = complete_file(archive)
    cut = int(len(data) * fraction)
    path = left_open(archive, data[:cut])
    [recovered] = recover_open_files(archive)
    keep = expected_keep(members, cut)
    if keep == 0:
        assert recovered.outcome == Outcome.REMOVED and not path.exists()
    else:
        assert recovered.path.read_bytes() == data[:keep]
        assert verify_warc(recovered.path) == []


def test_a_file_a_live_writer_holds_is_left_alone(archive: Path) -> None:
    with WarcWriter(archive, warcinfo={}) as writer:
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/live", b"live"))
        [path] = warc_dir(archive).iterdir()
        before = path.read_bytes()
        [recovered] = recover_open_files(archive)
        assert recovered.outcome == Outcome.LIVE
        assert path.read_bytes() == before
        writer.write_exchange(make_exchange("http://127.0.0.1:8000/on", b"still writing"))
    assert verify_warc(writer.files[0]) == []


def test_damage_with_valid_records_after_it_is_left_for_a_person(archive: Path,
                                                                 source: tuple) -> None:
    data, members = source
    start, end, _ = members[2]
    middle = (start + end) // 2
    path = left_open(archive, data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    [recovered] = recover_open_files(archive)
    assert recovered.outcome == Outcome.DAMAGED and path.exists()


def test_a_run_killed_at_a_random_moment_leaves_an_index_that_agrees(archive: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"),
                                                       str(Path(__file__).parent)]))
    code = f"import archive_helpers; archive_helpers.keep_writing({str(archive)!r}, 300_000)"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env)
    try:
        printed = [child.stdout.readline().decode().strip() for _ in range(6)]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert all(printed), "the writer stopped before it was killed"
    [recovered] = recover_open_files(archive)
    assert recovered.outcome in (Outcome.TRUNCATED, Outcome.RENAMED)
    assert verify_warc(recovered.path) == []
    with ArchiveIndex.open(archive, create=False) as index:
        rows = list(index.db.query("select * from captures"))
        assert set(printed) <= {row["record_id"] for row in rows}
        for row in rows:  # every capture the index knows is in the WARC, readable
            stored = read_response(archive, (row["warc"], row["offset"]), max_bytes=10)
            assert stored.record_id == row["record_id"] and stored.target_uri == row["url"]


def test_recovered_records_read_back(archive: Path, source: tuple) -> None:
    data, members = source
    left_open(archive, data[: members[5][1]])
    [recovered] = recover_open_files(archive)
    with open(recovered.path, "rb") as handle:
        kinds = [m.facts.rec_type for m in scan_members(handle)]
    assert kinds == ["warcinfo", "request", "response", "request", "response"]
    assert gzip.decompress(recovered.path.read_bytes()).count(b"WARC/1.1\r\n") == 5


def test_a_file_finished_while_listed_is_left_alone(archive: Path) -> None:
    from citecheck.archive.recover import recover_file

    gone = warc_dir(archive) / "citecheck-20260301T120000Z-gone00-00000.warc.gz.open"
    assert recover_file(gone).outcome == Outcome.LIVE
