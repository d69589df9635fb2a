"""`citecheck …` run as a limited child with the airlock: the `cli` fixture's runner."""

from __future__ import annotations

import itertools
from pathlib import Path

from hostile_child import ChildRun, LimitedChild
from hostile_tally import ChildCrashed, Hang, Tally

CLI_LIMIT = 60.0  # seconds a citecheck command may run in a case before it is killed
CLI_CODES = (0, 1, 2)  # exit codes of a command that did not crash (3 is a bug)


class CliRunner:
    """`citecheck …` in limited children with the airlock; peaks and stops go to the tally.

    A child killed at its limit is a Hang; one that exits 3, with another code than expected,
    or with a traceback on stderr, is a ChildCrashed: both count against the suite.
    """

    def __init__(self, tally: Tally, folder: Path) -> None:
        self.tally = tally
        self.folder = folder
        self._serial = itertools.count()

    def start(self, *args: str, cwd: Path | None = None,
              env: dict[str, str] | None = None) -> tuple[LimitedChild, Path]:
        """Start `citecheck ARGS`; the child and the file its airlock logs to."""
        log = self.folder / f"airlock-{next(self._serial)}.log"
        child = LimitedChild(["-m", "citecheck", *args], cwd=cwd or self.folder,
                             env={"HOSTILE_AIRLOCK": str(log), **(env or {})})
        return child, log

    def finish(self, child: LimitedChild, log: Path, *, limit: float = CLI_LIMIT,
               codes: tuple[int, ...] = CLI_CODES, killed: bool = False) -> ChildRun:
        """Wait for a started command and judge how it ended (a kill of ours is no crash)."""
        ran = child.finish(limit)
        self.tally.child_peak(ran.peak_rss)
        if log.exists():
            self.tally.canary_hits += len(log.read_text().splitlines())
        if ran.timed_out:
            raise Hang(f"citecheck ran {ran.wall:.1f} s and was killed: {ran.stderr[-500:]}")
        if "Traceback" in ran.stderr or not (killed or ran.returncode in codes):
            raise ChildCrashed(f"exit {ran.returncode}: {ran.stderr[-2000:]}")
        return ran

    def __call__(self, *args: str, cwd: Path | None = None, limit: float = CLI_LIMIT,
                 codes: tuple[int, ...] = CLI_CODES,
                 env: dict[str, str] | None = None) -> ChildRun:
        """Run `citecheck ARGS` to its end."""
        child, log = self.start(*args, cwd=cwd, env=env)
        return self.finish(child, log, limit=limit, codes=codes)
