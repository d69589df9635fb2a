"""Archive checks for the durability and concurrency cases, through the CLI's own commands.

`citecheck archive verify`, `archive recover` and `index rebuild` run in this process (the
command-line entry point, not a child: they read files and need no limits), the run under
test in a limited child. The WARC files are the truth: the index a run leaves may lag them
after a kill, never disagree. `assert_index_agrees` checks that every capture and every
citation result the index lists is readable and identical in an index rebuilt from the
WARC files alone, in a copy of the archive.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from citecheck.archive import layout
from citecheck.archive.index import ArchiveIndex
from citecheck.archive.reader import read_response
from citecheck.cli import run_cli

WAIT_LIMIT = 30.0  # seconds wait_for waits for a condition before the case fails
CAPTURE_COLUMNS = ("record_id", "url", "timestamp", "http_status", "mime", "payload_digest",
                   "warc", "offset", "length", "revisit_of", "truncated", "run_id")


def citecheck(*args: str) -> tuple[int, str, str]:
    """`citecheck ARGS` through the CLI entry point, in this process: code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_cli(list(args))
    return code, out.getvalue(), err.getvalue()


def open_files(archive: Path) -> list[Path]:
    """The `.open` WARC files of an archive."""
    return [p for p in layout.warc_files(archive) if p.name.endswith(layout.OPEN_SUFFIX)]


def assert_verified(archive: Path) -> int:
    """`archive verify` passes on every finished WARC file; how many there are."""
    code, out, err = citecheck("archive", "verify", "--archive", str(archive))
    assert (code, out) == (0, ""), out + err
    return len(layout.warc_files(archive, include_open=False))


def recover_and_verify(archive: Path) -> None:
    """Verify, `archive recover` the `.open` files, verify again: all valid, none left open."""
    assert_verified(archive)
    code, _, err = citecheck("archive", "recover", "--archive", str(archive))
    assert code == 0, err
    assert open_files(archive) == []
    assert_verified(archive)


def rows(database: Path, sql: str) -> list[dict[str, Any]]:
    """Rows of a query on an index file, read-only."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql)]


def has_tables(database: Path) -> bool:
    """Whether an index file has its tables (a run killed as it opened it leaves none)."""
    return bool(rows(database, "select name from sqlite_master where type = 'table'"))


def assert_index_agrees(archive: Path, scratch: Path) -> None:
    """Every capture and result the index lists is readable and the same in a rebuilt index."""
    copy = scratch / "rebuilt"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(archive, copy)
    code, _, err = citecheck("index", "rebuild", "--archive", str(copy))
    assert code == 0, err
    ours, rebuilt = layout.index_path(archive), layout.index_path(copy)
    if not has_tables(ours):
        return  # killed before it made the index's tables: it lists nothing to compare
    captures = _keyed(rows(ours, "select * from captures"), "record_id")
    assert captures.items() <= _keyed(rows(rebuilt, "select * from captures"),
                                      "record_id").items()
    results = "select run_id, citation_id, result, capture_record_id from citations"
    assert _keyed(rows(ours, results), "run_id", "citation_id").items() <= _keyed(
        rows(rebuilt, results), "run_id", "citation_id").items()
    _assert_readable(archive, captures)


def _keyed(found: list[dict[str, Any]], *key: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    return {tuple(row[k] for k in key): tuple(sorted(row.items())) for row in found}


def _assert_readable(archive: Path, captures: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
    with ArchiveIndex.open_readonly(archive) as index:
        for (record_id,) in captures:
            row = index.capture(record_id)
            assert row is not None
            stored = read_response(archive, row.ref, max_bytes=2**20, locate=index.locate)
            assert stored.record_id == record_id


def wait_for(condition: Callable[[], bool], limit: float = WAIT_LIMIT) -> None:
    """Poll a condition every 10 ms (a process we do not control gets there in its own time)."""
    until = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < until, "the condition never came true"
        time.sleep(0.01)
