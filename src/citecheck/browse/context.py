"""What every view needs: the archive folder, a read-only index per request, record ids in URLs."""

from __future__ import annotations

import re
from pathlib import Path

from flask import abort, current_app, g

from citecheck.archive import ArchiveIndex

ARCHIVE_KEY = "CITECHECK_ARCHIVE"
HOSTS_KEY = "CITECHECK_HOSTS"
MAX_BODY_KEY = "CITECHECK_MAX_BODY"
MAX_DECODED_KEY = "CITECHECK_MAX_DECODED"
_RECORD_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]{0,199}")


def archive_dir() -> Path:
    """The archive folder this app serves."""
    return current_app.config[ARCHIVE_KEY]


def archive_index() -> ArchiveIndex:
    """The index, opened read-only once per request (closed when the request ends)."""
    if "index" not in g:
        g.index = ArchiveIndex.open_readonly(archive_dir())
    return g.index


def close_index(_error: BaseException | None = None) -> None:
    """Close the request's index connection, if one was opened."""
    index = g.pop("index", None)
    if index is not None:
        index.close()


def record_slug(record_id: str) -> str:
    """A WARC-Record-ID as a URL path segment: `<urn:uuid:…>` -> `urn:uuid:…`."""
    return record_id.strip().removeprefix("<").removesuffix(">")


def record_id_of(slug: str) -> str:
    """The WARC-Record-ID a path segment names; 404 for anything that cannot be one."""
    if not _RECORD_SLUG.fullmatch(slug):
        abort(404)
    return f"<{slug}>"
