"""Child processes under resource limits, each one's peak memory read from its own rusage.

`run_limited` starts `python hostile_boot.py AS FSIZE …` (the child limits itself before it
imports anything) and reaps it with os.wait4, whose rusage belongs to that one child: its
ru_maxrss is the child's peak resident set, even when it was killed. RUSAGE_CHILDREN would
mix every child of the session together. The resource cases run `hostile_driver.py` this way;
the CLI cases of later phases will run `-m citecheck …` through the same function.
"""

from __future__ import annotations

import json
import os
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
    child_env = {**os.environ, **(env or {})}
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), child_env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, str(BOOT), str(address_space), str(file_size), *args],
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=child_env, cwd=cwd)
        status, usage, timed_out = _reap(proc, limit)
        wall = time.monotonic() - began
        out.seek(0)
        err.seek(0)
        return ChildRun(os.waitstatus_to_exitcode(status), out.read().decode(errors="replace"),
                        err.read().decode(errors="replace"), usage.ru_maxrss * 1024, wall,
                        timed_out)


def _reap(proc: subprocess.Popen[bytes], limit: float) -> tuple[int, Any, bool]:
    """Wait for the child with wait4 (its own rusage), killing it after `limit` seconds."""
    lock = threading.Lock()
    reaped = False
    timed_out = threading.Event()

    def expire() -> None:
        with lock:
            if not reaped:
                timed_out.set()
                os.kill(proc.pid, signal.SIGKILL)

    timer = threading.Timer(limit, expire)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
        with lock:
            reaped = True
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
    return status, usage, timed_out.is_set()


def driver_args(url: str, settings: dict[str, Any], *, record_sleeps: bool = False) -> list[str]:
    """The arguments that make a child resolve `url` with those Settings changes."""
    job = {"url": url, "settings": settings, "record_sleeps": record_sleeps}
    return [str(DRIVER), json.dumps(job)]
