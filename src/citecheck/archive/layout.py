"""Where things live in an archive folder, WARC file names, safe name resolution and file locks.

    ARCHIVE/index.db          the index (SQLite, WAL: index.db-wal and index.db-shm beside it)
    ARCHIVE/archive.lock      advisory lock: writers hold it shared, rebuild_index exclusive
    ARCHIVE/warc/NAME.warc.gz           a finished WARC file
    ARCHIVE/warc/NAME.warc.gz.open      a WARC file being written (or left by a killed run)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from citecheck.errors import ArchiveError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, single-run use only
    fcntl = None  # type: ignore[assignment]

INDEX_NAME = "index.db"
LOCK_NAME = "archive.lock"
WARC_FOLDER = "warc"
WARC_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"

_NAME_RX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.warc\.gz")


def warc_dir(archive_dir: Path) -> Path:
    """The folder holding the WARC files of an archive."""
    return archive_dir / WARC_FOLDER


def index_path(archive_dir: Path) -> Path:
    """The index database of an archive."""
    return archive_dir / INDEX_NAME


def new_warc_name(now: dt.datetime, token: str, serial: int) -> str:
    """A WARC file name: citecheck-20261128T174100Z-3f9a1c-00000.warc.gz."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"citecheck-{stamp}-{token}-{serial:05d}{WARC_SUFFIX}"


def new_token() -> str:
    """Six random hex digits that keep two writers' file names apart."""
    return secrets.token_hex(3)


def final_name(path: Path) -> str:
    """The finished file name of a WARC path, `.open` suffix removed."""
    name = path.name
    return name[: -len(OPEN_SUFFIX)] if name.endswith(OPEN_SUFFIX) else name


def warc_files(archive_dir: Path, *, include_open: bool = True) -> list[Path]:
    """Every WARC file of an archive in name order (creation time), optionally the `.open` ones."""
    folder = warc_dir(archive_dir)
    if not folder.is_dir():
        return []
    paths = [p for p in folder.iterdir() if p.name.endswith(WARC_SUFFIX)]
    if include_open:
        paths += [p for p in folder.iterdir() if p.name.endswith(WARC_SUFFIX + OPEN_SUFFIX)]
    return sorted(paths, key=lambda p: p.name)


def resolve_warc(archive_dir: Path, name: str) -> Path:
    """The path of a WARC file named in a capture; refuses anything but a plain name in warc/."""
    if not isinstance(name, str) or not _NAME_RX.fullmatch(name):
        raise ArchiveError(f"{name!r} is not a WARC file name of this archive",
                           where=str(archive_dir))
    folder = warc_dir(archive_dir)
    for candidate in (folder / name, folder / (name + OPEN_SUFFIX)):
        if candidate.exists():
            real = candidate.resolve()
            if real.parent != folder.resolve() or not real.is_file():
                raise ArchiveError(f"{name} points outside the archive's warc folder",
                                   where=str(archive_dir))
            return real
    raise ArchiveError(f"no WARC file {name} in the archive", where=str(folder))


def try_lock(handle: BinaryIO, *, exclusive: bool) -> bool:
    """Take an advisory lock on an open file without waiting; False if another holds it."""
    if fcntl is None:  # pragma: no cover
        return True
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    try:
        fcntl.flock(handle.fileno(), mode)
    except BlockingIOError:
        return False
    return True


def acquire_archive_lock(archive_dir: Path, *, exclusive: bool) -> BinaryIO:
    """Take the archive lock (writers shared, rebuild exclusive); close the handle to release it."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    handle = open(archive_dir / LOCK_NAME, "ab")  # noqa: SIM115 - held until the caller closes it
    if not try_lock(handle, exclusive=exclusive):
        handle.close()
        what = "a run is writing to it" if exclusive else "its index is being rebuilt"
        raise ArchiveError(f"the archive is busy: {what}; try again when that is done",
                           where=str(archive_dir))
    return handle


def same_file(path: Path, handle: BinaryIO) -> bool:
    """Whether `path` still names the file open as `handle` (not renamed or removed since)."""
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def archive_lock(archive_dir: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the archive lock for the length of a `with` block."""
    handle = acquire_archive_lock(archive_dir, exclusive=exclusive)
    try:
        yield
    finally:
        handle.close()


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    with contextlib.suppress(OSError):  # some file systems refuse to open or sync folders
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
