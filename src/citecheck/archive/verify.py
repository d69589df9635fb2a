"""verify_warc: a check stricter than `warcio check`, for files that must stand as evidence."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from citecheck.archive.records import BODYLESS_STATUSES
from citecheck.archive.scan import Problem, ProblemCode, RecordFacts, scan_members
from citecheck.errors import ArchiveError

PAIRED_TYPES = frozenset({"response", "revisit"})


def verify_warc(path: Path) -> list[Problem]:
    """Every problem in a WARC file, by offset; an empty list means the file is valid."""
    try:
        with open(path, "rb") as handle:
            members = list(scan_members(handle, keep=False))
    except OSError as exc:
        raise ArchiveError(f"cannot read: {exc.strerror}", where=str(path)) from exc
    if not members:
        return [Problem(0, ProblemCode.EMPTY_FILE, "the file is empty")]
    problems = [problem for member in members for problem in member.problems]
    records = [m.facts for m in members if m.facts is not None and m.end is not None]
    problems += structure_problems(records)
    return sorted(problems, key=lambda p: p.offset)


def structure_problems(records: Sequence[RecordFacts]) -> list[Problem]:
    """Problems between records: warcinfo first, unique ids, pairs linked and adjacent."""
    return [*_warcinfo_problems(records), *_duplicate_ids(records), *_pair_problems(records),
            *_truncation_problems(records)]


def _warcinfo_problems(records: Sequence[RecordFacts]) -> list[Problem]:
    problems = []
    if records and records[0].rec_type != "warcinfo":
        problems.append(Problem(records[0].offset, ProblemCode.WARCINFO_NOT_FIRST,
                                f"the file starts with a {records[0].rec_type} record"))
    problems += [Problem(r.offset, ProblemCode.WARCINFO_NOT_FIRST,
                         "a second warcinfo record: two writers in one file?")
                 for r in records[1:] if r.rec_type == "warcinfo"]
    return problems


def _duplicate_ids(records: Sequence[RecordFacts]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for record in records:
        if record.record_id in seen:
            problems.append(Problem(record.offset, ProblemCode.DUPLICATE_ID,
                                    f"{record.record_id} appears twice"))
        seen.add(record.record_id or "")
    return problems


def partners(records: Sequence[RecordFacts]) -> dict[int, int]:
    """Request and response records linked by WARC-Concurrent-To, by position in the file."""
    position = {r.record_id: i for i, r in enumerate(records)}
    links: dict[int, int] = {}
    for i, record in enumerate(records):
        for other in record.concurrent_to:
            j = position.get(other)
            if j is not None and {record.rec_type, records[j].rec_type} & {"request"} and (
                    {record.rec_type, records[j].rec_type} & PAIRED_TYPES):
                links[i], links[j] = j, i
    return links


def _pair_problems(records: Sequence[RecordFacts]) -> list[Problem]:
    links = partners(records)
    problems = []
    for i, record in enumerate(records):
        if record.rec_type not in PAIRED_TYPES | {"request"} or not _is_http(record):
            continue
        if i not in links:
            problems.append(Problem(record.offset, ProblemCode.UNPAIRED,
                                    f"{record.rec_type} {record.record_id} has no partner "
                                    "linked by WARC-Concurrent-To in this file"))
        elif abs(links[i] - i) != 1:
            problems.append(Problem(record.offset, ProblemCode.NOT_ADJACENT,
                                    f"{record.rec_type} {record.record_id} is not next to its "
                                    "partner: records from another writer in between"))
    return problems


def _truncation_problems(records: Sequence[RecordFacts]) -> list[Problem]:
    links = partners(records)
    problems = []
    for i, record in enumerate(records):
        if record.rec_type != "response" or record.header("WARC-Truncated"):
            continue
        method = records[links[i]].http_method if i in links else None
        expected = record.declared_length
        if (expected is not None and record.payload_length < expected and method != "HEAD"
                and record.http_status not in BODYLESS_STATUSES):
            problems.append(Problem(record.offset, ProblemCode.MISSING_TRUNCATED,
                                    f"body of {record.payload_length} bytes, Content-Length "
                                    f"{expected}, and no WARC-Truncated"))
    return problems


def _is_http(record: RecordFacts) -> bool:
    uri = (record.header("WARC-Target-URI") or "").lower()
    return uri.startswith(("http:", "https:"))
