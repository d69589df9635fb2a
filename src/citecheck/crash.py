"""Bugs made visible: a traceback saved to a file, named in a one-line message."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback

from citecheck import __version__


def save_traceback(exc: BaseException | None = None) -> str | None:
    """Save the current (or given) exception's traceback to a temporary file; its path."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    text = ("".join(traceback.format_exception(exc)) if exc is not None
            else traceback.format_exc())
    try:
        fd, path = tempfile.mkstemp(prefix=f"citecheck-crash-{stamp}-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"citecheck {__version__}\nargv: {sys.argv!r}\n\n{text}")
        return path
    except OSError:
        return None


def describe(exc: BaseException) -> str:
    """An exception as one short line: its type and message."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
