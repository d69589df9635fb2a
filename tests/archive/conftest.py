"""Fixtures for the archive tests: exchanges built by hand, an archive folder, a small run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from archive_helpers import make_exchange, sample_result

from citecheck.archive import ArchiveIndex, RunEnd, WarcWriter
from citecheck.models import DocumentInfo

DOCUMENT = DocumentInfo("annual-report.docx", "docx", "9f2c" * 16)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An empty archive folder."""
    return tmp_path / "archive"


@pytest.fixture
def document() -> DocumentInfo:
    """The document the sample runs are about."""
    return DOCUMENT


@pytest.fixture
def sample_run(archive: Path) -> dict:
    """A finished run written the way pipeline.py writes one: WARC first, then the index."""
    pages = {
        "http://127.0.0.1:8000/report": b"<html><title>Water report</title>wells</html>",
        "http://127.0.0.1:8000/law": b"<html><title>Penal code</title>Article 93</html>",
        "http://127.0.0.1:8000/copy": b"<html><title>Water report</title>wells</html>",
    }
    with ArchiveIndex.open(archive) as index:
        run_id = index.start_run("run", DOCUMENT, {"workers": 2})
        info = index.run_info(run_id)
        with WarcWriter(archive, warcinfo=info.warcinfo(), dedup=index.payload_original) as writer:
            results = []
            for number, (url, body) in enumerate(pages.items(), start=1):
                ex = make_exchange(url, body, started=dt.datetime(2026, 3, 1, 12, number,
                                                                  tzinfo=dt.UTC))
                ref = writer.write_exchange(ex)
                index.add_capture(url, ref, status=ex.status, mime=ex.header("Content-Type"),
                                  run_id=run_id)
                result = sample_result(str(number), url, ref, text=body.decode())
                writer.write_result(run_id, DOCUMENT, result)
                index.add_result(run_id, DOCUMENT, result)
                results.append(result)
            end = RunEnd(run_id, "2026-03-01T12:10:00Z", {"ok": len(results)})
            writer.write_run_end(end)
        index.record_run_end(end)
    return {"run_id": run_id, "results": results, "files": writer.files, "pages": pages}
