"""recover_open_files: finish the `.open` WARC files a killed run left behind."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from citecheck.archive import layout
from citecheck.archive.scan import Member, find_magic, scan_members
from citecheck.errors import ArchiveError

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What recovery did with one `.open` file."""

    RENAMED = "renamed"  # complete as it was: renamed to its final name
    TRUNCATED = "truncated"  # cut after its last complete record group, then renamed
    REMOVED = "removed"  # held no record group: deleted
    LIVE = "live"  # a running writer holds it: left alone
    DAMAGED = "damaged"  # a bad record with valid ones after it: left for a person to look at


@dataclass(frozen=True)
class RecoveredFile:
    """One `.open` file and what recovery did with it."""

    path: Path  # where the file is now (its final name unless left alone or removed)
    outcome: Outcome
    groups: int = 0  # record groups kept (an exchange, or a metadata record)
    dropped_bytes: int = 0


def recover_open_files(archive_dir: Path) -> list[RecoveredFile]:
    """Truncate every unlocked `.open` file after its last complete record group and rename it."""
    folder = layout.warc_dir(archive_dir)
    if not folder.is_dir():
        return []
    suffix = layout.WARC_SUFFIX + layout.OPEN_SUFFIX
    return [recover_file(path) for path in sorted(folder.glob("*" + suffix))]


def recover_file(path: Path) -> RecoveredFile:
    """Recover one `.open` file unless a live writer holds its lock."""
    try:
        with open(path, "r+b") as handle:
            if not layout.try_lock(handle, exclusive=True):
                return RecoveredFile(path, Outcome.LIVE)
            if not layout.same_file(path, handle):  # its writer finished it meanwhile
                return RecoveredFile(path.with_name(layout.final_name(path)), Outcome.LIVE)
            return _recover_locked(path, handle)
    except FileNotFoundError:  # finished by its writer between listing and opening
        return RecoveredFile(path.with_name(layout.final_name(path)), Outcome.LIVE)
    except OSError as exc:
        raise ArchiveError(f"cannot recover: {exc.strerror}", where=str(path)) from exc


def _recover_locked(path: Path, handle: BinaryIO) -> RecoveredFile:
    size = handle.seek(0, os.SEEK_END)
    keep, groups, bad = complete_prefix(handle)
    if bad is not None and _valid_member_after(handle, bad):
        log.warning("%s: a damaged record at offset %d with valid ones after it; left as is",
                    path, bad)
        return RecoveredFile(path, Outcome.DAMAGED, groups, 0)
    if groups == 0:
        path.unlink()
        layout.fsync_dir(path.parent)
        return RecoveredFile(path, Outcome.REMOVED, 0, size)
    if keep < size:
        handle.truncate(keep)
    os.fsync(handle.fileno())
    final = path.with_name(layout.final_name(path))
    if final.exists():
        raise ArchiveError(f"{final.name} exists already; rename one of them by hand",
                           where=str(path))
    os.rename(path, final)
    layout.fsync_dir(path.parent)
    outcome = Outcome.TRUNCATED if keep < size else Outcome.RENAMED
    log.info("%s: %s, %d record groups kept", final.name, outcome, groups)
    return RecoveredFile(final, outcome, groups, size - keep)


def complete_prefix(handle: BinaryIO) -> tuple[int, int, int | None]:
    """The end of the last complete record group, the groups before it, and the first bad offset.

    A group is a request with its response (or revisit), or a metadata record; the warcinfo
    record must come first. A request whose response never made it is dropped with the tail.
    """
    keep, groups, pending = 0, 0, None
    for index, member in enumerate(scan_members(handle, resync=False, keep=False)):
        if not member.ok or (index == 0) != (member.facts.rec_type == "warcinfo"):
            return keep, groups, member.offset
        kind = member.facts.rec_type
        if kind == "request":
            pending = member
            continue
        if kind in ("response", "revisit") and not _pairs(pending, member):
            return keep, groups, member.offset
        pending = None
        keep = member.end
        groups += kind != "warcinfo"
    return keep, groups, None


def _pairs(request: Member | None, response: Member) -> bool:
    return request is not None and response.facts.record_id in request.facts.concurrent_to


def _valid_member_after(handle: BinaryIO, bad: int) -> bool:
    """Whether a complete, valid record follows a bad one (damage, not an interrupted write)."""
    start = find_magic(handle, bad + 1)
    if start is None:
        return False
    return any(member.ok for member in scan_members(handle, start=start, keep=False))

