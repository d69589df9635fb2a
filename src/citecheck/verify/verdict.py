"""The outcome of one comparison between a footnote's value and a page's candidates."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """How a cited value stands against the page: the findings are made from this."""

    MATCH = "match"
    UPDATED = "updated"  # dates only: the cited date is the page's modification date
    NEAR = "near"  # borderline: close, but not close enough to call a match
    MISMATCH = "mismatch"
    MISSING = "missing"  # the page offers nothing to compare with
