"""Child processes under resource limits, each one's peak memory measured on its own.

`run_limited` starts `python hostile_boot.py AS FSIZE …` (the child limits itself before it
imports anything) and, while it runs, polls VmHWM in /proc/PID/status: the high-water mark of
that child's own address space, so the last reading before it ends is its peak, even when it
is killed. ru_maxrss is no good here: RUSAGE_CHILDREN mixes every child of the session, and
even one child's own figure (wait4, or RUSAGE_SELF inside it) starts from the test process's
resident set, because Linux carries the high-water mark across fork and exec. The resource
cases run `hostile_driver.py` this way; the CLI cases run `-m citecheck` through a
`LimitedChild` (conftest's `cli`), which can also be killed at a chosen moment.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
BOOT = HERE / "hostile_boot.py"
DRIVER = HERE / "hostile_driver.py"
ADDRESS_SPACE = 2 * 2**30  # virtual memory: threads reserve stacks and arenas they never touch
FILE_SIZE = 128 * 2**20  # no file the child writes may grow past this (bodies cap at 50 MB)
CHILD_LIMIT = 60.0  # a child still running after this is killed
POLL = 0.02  # seconds between two readings of the child's VmHWM
_HWM = re.compile(rb"^VmHWM:\s+(\d+) kB", re.MULTILINE)


@dataclass
class ChildRun:
    """How one child ended: exit code, output, peak resident set (bytes), wall time."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss: int
    wall: float
    timed_out: bool

    def result(self) -> dict[str, Any]:
        """The JSON object on the child's last line of output."""
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_limited(args: list[str], *, address_space: int = ADDRESS_SPACE,
                file_size: int = FILE_SIZE, limit: float = CHILD_LIMIT,
                env: dict[str, str] | None = None, cwd: Path | None = None) -> ChildRun:
    """Run `python <args>` (a script, or `-m module`) under the limits; reap it with wait4."""
    child = LimitedChild(args, address_space=address_space, file_size=file_size, env=env,
                         cwd=cwd)
    return child.finish(limit)


class LimitedChild:
    """A running child under the limits, its VmHWM polled, its output kept in temporary files."""

    def __init__(self, args: list[str], *, address_space: int = ADDRESS_SPACE,
                 file_size: int = FILE_SIZE, env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> None:
        child_env = {**os.environ, **(env or {})}
        child_env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(SRC), str(HERE), child_env.get("PYTHONPATH")]))
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        self.began = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, str(BOOT), str(address_space), str(file_size), *args],
            stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._err, env=child_env,
            cwd=cwd)
        self._peaks: list[int] = []
        self._watcher = threading.Thread(target=_watch_peak, args=(self.proc, self._peaks),
                                         daemon=True)
        self._watcher.start()

    def kill(self) -> None:
        """SIGKILL the child now (it may have ended already)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)

    def finish(self, limit: float = CHILD_LIMIT) -> ChildRun:
        """Wait for the child (killing it after `limit` s in all) and collect how it ended."""
        left = max(0.0, limit - (time.monotonic() - self.began))
        returncode, timed_out = _reap(self.proc, left)
        self._watcher.join()
        wall = time.monotonic() - self.began
        outputs = []
        for stream in (self._out, self._err):
            stream.seek(0)
            outputs.append(stream.read().decode(errors="replace"))
            stream.close()
        return ChildRun(returncode, outputs[0], outputs[1], max(self._peaks, default=0), wall,
                        timed_out)


def vm_hwm(pid: int | str = "self") -> int:
    """The peak resident set of a live process's address space (bytes; 0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            found = _HWM.search(status.read())
    except OSError:
        return 0
    return int(found.group(1)) * 1024 if found else 0


def _watch_peak(proc: subprocess.Popen[bytes], peaks: list[int]) -> None:
    """Keep the child's latest VmHWM until it has exited (the mark only ever rises)."""
    while proc.returncode is None:
        peaks.append(max(vm_hwm(proc.pid), max(peaks, default=0)))
        time.sleep(POLL)


def _reap(proc: subprocess.Popen[bytes], limit: float) -> tuple[int, bool]:
    """Wait for the child, killing it after `limit` seconds: (exit code, whether killed)."""
    try:
        return proc.wait(limit), False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        return proc.wait(), True


def driver_args(url: str, settings: dict[str, Any], *, record_sleeps: bool = False,
                repeat: int = 1) -> list[str]:
    """The arguments that make a child resolve `url` (`repeat` times) with those Settings."""
    job = {"url": url, "settings": settings, "record_sleeps": record_sleeps, "repeat": repeat}
    return [str(DRIVER), json.dumps(job)]
