"""ArchiveIndex.open_readonly and ArchiveIndex.capture: what browse and export read through."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from browse_helpers import SITE

from citecheck.archive import ArchiveIndex
from citecheck.errors import ArchiveError


def snapshot(path):
    return path.read_bytes(), path.stat().st_mtime_ns


def test_readonly_index_refuses_writes_and_leaves_the_file_alone(built, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(built.path, archive)
    before = snapshot(archive / "index.db")
    index = ArchiveIndex.open_readonly(archive)
    try:
        assert index.latest_capture(f"{SITE}/articles/detention") is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            index.db.execute("create table intruder (x)")
        with pytest.raises(ArchiveError):
            index.add_check("https://a.example/", ok=True, status="ok", reason=None, at="now")
    finally:
        index.close()
    assert snapshot(archive / "index.db") == before


def test_readonly_index_without_a_database_says_so(tmp_path):
    with pytest.raises(ArchiveError, match="no index.db"):
        ArchiveIndex.open_readonly(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_capture_by_record_id(built):
    ref = built.ref("report-1", f"{SITE}/articles/removed")
    index = ArchiveIndex.open_readonly(built.path)
    try:
        row = index.capture(ref.record_id)
        assert row is not None and row.ref == ref and row.http_status == 404
        assert row.url == f"{SITE}/articles/removed"
        assert index.capture("<urn:uuid:00000000-0000-0000-0000-000000000000>") is None
    finally:
        index.close()
