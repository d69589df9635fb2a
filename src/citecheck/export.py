"""`citecheck export`: the archive (or one document's captures) as WACZ, or as a CDXJ index.

WACZ packages are made by the `wacz` package (py-wacz, what `wacz create` runs) and open in
ReplayWeb.page; CDXJ indexes are made by `cdxj-indexer` and serve pywb. Both read finished WARC
files only (`.open` ones are being written, or wait for recovery). One document's export takes
the WARC files of its runs whole; a revisit there whose original lies in another document's file
gets that one record copied, byte for byte, into a small extra WARC file, so the package replays
on its own and carries no other document's pages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cdxj_indexer.main import write_cdx_index

from citecheck.archive import ArchiveIndex, layout, read_record_bytes
from citecheck.archive.payloads import RunInfo, warcinfo_block, warcinfo_fields
from citecheck.archive.records import encode, warcinfo_record
from citecheck.archive.scan import read_member
from citecheck.errors import ArchiveError, InputError

log = logging.getLogger(__name__)

CDXJ_RECORDS = "response,revisit,resource,metadata"  # cdxj-indexer's default, said explicitly
ORIGINALS_NAME = "citecheck-export-originals.warc.gz"


@dataclass(frozen=True)
class ExportResult:
    """What an export packaged or indexed, and what it left out."""

    warcs: tuple[str, ...]  # WARC file names, as inside the WACZ or named in the CDXJ
    skipped: tuple[str, ...]  # `.open` files: being written, or left by a killed run
    pages: int  # cited pages listed in the WACZ's pages.jsonl
    copied_originals: int  # records copied from other documents' files (one-document export)


@dataclass(frozen=True)
class _Selection:
    files: list[Path]
    skipped: list[str]
    runs: set[str] | None  # None: every run
    originals: list[tuple[str, int, int]]  # (warc, offset, length) to copy


def export_archive(archive_dir: Path, *, wacz: Path | None = None, cdxj: Path | None = None,
                   document: str | None = None) -> ExportResult:
    """Write a WACZ package and/or a CDXJ index of the archive, or of one document's captures."""
    for target in (wacz, cdxj):
        if target is not None and not target.resolve().parent.is_dir():
            raise InputError("no such folder to write into", where=str(target))
    index = ArchiveIndex.open_readonly(archive_dir)
    try:
        selection = _select(index, archive_dir, document)
        pages = _pages(index, selection.runs)
    finally:
        index.close()
    if cdxj is not None:
        _write_cdxj(archive_dir, selection, cdxj)
    names = [p.name for p in selection.files]
    if wacz is not None:
        names = _package(archive_dir, selection, wacz, pages, document)
    return ExportResult(tuple(names), tuple(selection.skipped), len(pages),
                        len(selection.originals))


def _package(archive_dir: Path, selection: _Selection, wacz: Path, pages: list[dict[str, str]],
             document: str | None) -> list[str]:
    """Write the WACZ; returns the names of the WARC files inside it."""
    with tempfile.TemporaryDirectory(prefix="citecheck-export-") as scratch:
        inputs = list(selection.files)
        if selection.originals:
            inputs.append(_write_originals(archive_dir, selection.originals, Path(scratch)))
        _write_wacz(inputs, wacz, pages, Path(scratch), document)
    return [p.name for p in inputs]


# --------------------------------------------------------------------------- what to export


def _select(index: ArchiveIndex, archive_dir: Path, document: str | None) -> _Selection:
    finished = layout.warc_files(archive_dir, include_open=False)
    skipped = [p.name for p in layout.warc_files(archive_dir) if p not in finished]
    if document is None:
        if not finished:
            raise InputError("the archive has no finished WARC file to export",
                             where=str(archive_dir))
        return _Selection(finished, skipped, None, [])
    runs = _runs_of(index, document)
    files = [path for path in finished if _run_of_file(path) in runs]
    if not files:
        raise InputError(f"no finished WARC file holds {document!r}'s captures (see "
                         "`citecheck archive recover`)", where=str(archive_dir))
    return _Selection(files, skipped, runs,
                      _foreign_originals(index, runs, {path.name for path in files}))


def _foreign_originals(index: ArchiveIndex, runs: set[str],
                       files: set[str]) -> list[tuple[str, int, int]]:
    """Where the originals of these runs' revisits are, when outside the selected files."""
    originals = []
    for row in _rows(index, "select distinct revisit_of from captures where revisit_of is not "
                            f"null and run_id in ({_marks(runs)})", sorted(runs)):
        original = index.capture(row["revisit_of"])
        if original is not None and original.ref.warc not in files:
            originals.append((original.ref.warc, original.ref.offset, original.ref.length))
    return originals


def _runs_of(index: ArchiveIndex, document: str) -> set[str]:
    """The runs of the document named `document` (its name, or its sha256)."""
    rows = _rows(index, "select runs.run_id from runs join documents using (document_id) "
                        "where documents.name = ? or documents.sha256 = ?", [document, document])
    if not rows:
        names = sorted({row["name"] for row in _rows(index, "select name from documents", [])})
        raise InputError(f"no document {document!r} in the archive; documents: "
                         f"{', '.join(names) or 'none'}", where="--document")
    return {row["run_id"] for row in rows}


def _run_of_file(path: Path) -> str | None:
    """The run a WARC file belongs to, from its warcinfo record (its first)."""
    with open(path, "rb") as handle:
        member = read_member(handle, 0)
    info = RunInfo.from_warcinfo(member.facts.warcinfo()) if member.facts else None
    return info.run_id if info else None


def _pages(index: ArchiveIndex, runs: set[str] | None) -> list[dict[str, str]]:
    """The cited pages (the final response of each footnote's link) for pages.jsonl."""
    where = f"where c.run_id in ({_marks(runs)})" if runs is not None else ""
    rows = _rows(index, "select cap.url, cap.timestamp, coalesce(p.title, c.title) as title "
                        "from citations c join captures cap on cap.record_id = c.capture_record_id"
                        " left join pages p on p.run_id = c.run_id and p.citation_id = "
                        f"c.citation_id {where} order by cap.timestamp",
                 sorted(runs) if runs is not None else [])
    unique = {(row["timestamp"], row["url"]): row for row in rows}
    return [{"url": url, "ts": ts, "title": row["title"] or url}
            for (ts, url), row in unique.items()]


def _rows(index: ArchiveIndex, sql: str, params: list[str]) -> list[dict]:
    return list(index.db.query(sql, params))


def _marks(values: set[str]) -> str:
    return ", ".join("?" * len(values))


# --------------------------------------------------------------------------- writing


def _write_originals(archive_dir: Path, originals: list[tuple[str, int, int]],
                     folder: Path) -> Path:
    """A WARC file of records copied as stored (each its own gzip member) after a warcinfo."""
    path = folder / ORIGINALS_NAME
    fields = warcinfo_fields({"citecheck-export": "originals of revisit records in this export, "
                                                  "copied from other WARC files of the archive"})
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    info = encode(warcinfo_record(warcinfo_block(fields), now, ORIGINALS_NAME), 6)
    with open(path, "wb") as out, info.data:
        out.write(info.data.read())
        for warc, offset, length in originals:
            out.write(read_record_bytes(archive_dir, warc, offset, length))
    return path


def _write_cdxj(archive_dir: Path, selection: _Selection, target: Path) -> None:
    """A sorted CDXJ index naming the WARC files in ARCHIVE/warc/, as pywb reads it.

    Revisit originals stay where they are: their files are indexed too, then only their lines
    are kept.
    """
    keep: dict[str, set[int]] = {}
    for warc, offset, _ in selection.originals:
        keep.setdefault(warc, set()).add(offset)
    extra = [layout.resolve_warc(archive_dir, name) for name in sorted(keep)]
    with _atomic(target) as temp:
        write_cdx_index(str(temp), [str(p) for p in [*selection.files, *extra]],
                        {"sort": True, "records": CDXJ_RECORDS})
        if keep:
            lines = temp.read_text(encoding="utf-8").splitlines(keepends=True)
            temp.write_text("".join(line for line in lines if _kept(line, keep)),
                            encoding="utf-8")


def _kept(line: str, only: dict[str, set[int]]) -> bool:
    """Whether a CDXJ line is from a selected file, or is one of the records kept from others."""
    fields = json.loads(line.split(" ", 2)[2])
    offsets = only.get(fields.get("filename", ""))
    return offsets is None or int(fields.get("offset", -1)) in offsets


def _write_wacz(inputs: list[Path], target: Path, pages: list[dict[str, str]], scratch: Path,
                document: str | None) -> None:
    from wacz.main import main as wacz_main  # imported late: it changes cdxj-indexer's defaults

    pages_file = scratch / "pages.jsonl"
    header = {"format": "json-pages-1.0", "id": "pages", "title": "Cited pages"}
    pages_file.write_text("".join(json.dumps(line) + "\n" for line in [header, *pages]),
                          encoding="utf-8")
    title = f"citecheck: {document}" if document else "citecheck archive"
    args = ["create", "-o", "", "--title", title, "--desc",
            "Web sources cited by a report, preserved by citecheck"]
    args += ["-p", str(pages_file)] if pages else ["--detect-pages"]
    with _atomic(target) as temp:
        args[2] = str(temp)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = wacz_main([*args, *(str(p) for p in inputs)])
        log.debug("wacz create: %s", output.getvalue())
        if code != 0:
            raise ArchiveError(f"wacz create failed: {output.getvalue().strip()[-300:]}",
                               where=str(target))


@contextlib.contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    """A temporary file beside `target`, renamed onto it once written, removed on failure."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
