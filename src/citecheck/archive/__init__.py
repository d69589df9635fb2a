"""WARC writing and reading (warcio), the index (sqlite-utils), rebuild and repair.

The archive folder layout and record formats are a public contract: docs/archive-format.md.
"""

from citecheck.archive.index import ArchiveIndex, CaptureRow, CheckRow, new_run_id
from citecheck.archive.payloads import RunEnd, RunInfo
from citecheck.archive.reader import StoredResponse, read_record_bytes, read_response
from citecheck.archive.rebuild import RebuildStats, rebuild_index
from citecheck.archive.records import RevisitTarget
from citecheck.archive.recover import Outcome, RecoveredFile, recover_open_files
from citecheck.archive.scan import Problem, ProblemCode
from citecheck.archive.verify import verify_warc
from citecheck.archive.writer import WarcWriter

__all__ = [
    "ArchiveIndex",
    "CaptureRow",
    "CheckRow",
    "Outcome",
    "Problem",
    "ProblemCode",
    "RebuildStats",
    "RecoveredFile",
    "RevisitTarget",
    "RunEnd",
    "RunInfo",
    "StoredResponse",
    "WarcWriter",
    "new_run_id",
    "read_record_bytes",
    "read_response",
    "rebuild_index",
    "recover_open_files",
    "verify_warc",
]
