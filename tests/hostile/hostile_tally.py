"""The figures of the hostile suite, collected by the cases themselves, and its one-line summary.

A case is one test of tests/hostile that ran (skips are not cases). A crash is a case that ended
in an exception other than a failed assertion (the code under test raised, a child exited with
an unexpected code). A hang is a case that ran past its deadline + 1 s (or whose child did).
Canary hits are connections the canary accepted outside a control run. Peak is the largest
resident set of any child process. Kills are recorded by the durability cases (a later phase).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

GRACE = 1.0  # seconds past a deadline before a case counts as a hang
DEFAULT_DEADLINE = 5.0  # the in-process cases' own request deadline


class Hang(Exception):
    """A case (or its child) ran past its deadline + GRACE."""


class ChildCrashed(Exception):
    """A child process exited with an unexpected code."""


@dataclass
class Case:
    """One running case: its deadline, and the elapsed time a child measured, if any."""

    nodeid: str
    deadline: float = DEFAULT_DEADLINE
    elapsed: float | None = None  # set when the timed work ran in a child

    def overran(self, duration: float) -> bool:
        """Whether the case ran past its deadline + GRACE (a child's own clock when it has one)."""
        measured = self.elapsed if self.elapsed is not None else duration
        return measured > self.deadline + GRACE


@dataclass
class Tally:
    """Session-wide counts; `summary()` is the line printed at the end of the run."""

    cases: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    canary_hits: int = 0
    peak_rss: int = 0  # bytes, the largest child's
    fetch_peak_rss: int = 0  # bytes, the largest child that only fetches (bombs, big bodies)
    kills: int = 0
    kills_recovered: int = 0

    def record(self, case: Case | None, call: pytest.CallInfo[Any]) -> None:
        """Count one finished case from its call phase."""
        excinfo = call.excinfo
        if excinfo is not None and excinfo.errisinstance(pytest.skip.Exception):
            return
        self.cases += 1
        nodeid = case.nodeid if case else "?"
        overran = case.overran(call.duration) if case else False
        if overran or (excinfo is not None and _hung(excinfo)):
            self.hangs.append(nodeid)
        elif excinfo is not None and not excinfo.errisinstance(AssertionError):
            self.crashes.append(nodeid)

    def child_peak(self, rss: int, *, fetching: bool = False) -> None:
        """Note a child's peak resident set (bytes); `fetching` for a child that only fetches."""
        self.peak_rss = max(self.peak_rss, rss)
        if fetching:
            self.fetch_peak_rss = max(self.fetch_peak_rss, rss)

    def summary(self) -> str:
        """The one line: `hostile: N cases, 0 crashes, 0 hangs, 0 canary hits, peak 61 MB …`."""
        peak = f"peak {self.peak_rss / 1e6:.0f} MB" if self.peak_rss else "peak n/a"
        if self.fetch_peak_rss:
            peak += f" (fetching {self.fetch_peak_rss / 1e6:.0f} MB)"
        return (f"hostile: {self.cases} cases, {len(self.crashes)} crashes, {len(self.hangs)} "
                f"hangs, {self.canary_hits} canary hits, {peak}, "
                f"{self.kills_recovered}/{self.kills} kills recovered")


def _hung(excinfo: pytest.ExceptionInfo[BaseException]) -> bool:
    """A Hang, or pytest-timeout stopping the case (it fails it with "Timeout >N s")."""
    if excinfo.errisinstance(Hang):
        return True
    return excinfo.errisinstance(pytest.fail.Exception) and "Timeout" in str(excinfo.value)
