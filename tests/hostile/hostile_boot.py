"""Start a Python program under resource limits: `hostile_boot.py AS FSIZE -m module args…`.

The limits are set here, in the child itself, before anything else is imported, rather than in
a preexec_fn: the test process runs server threads, and Python code between fork and exec is
not safe in a threaded parent. `-m module` runs a module as `python -m` would; otherwise the
first argument is a script path. With HOSTILE_AIRLOCK=FILE in the environment, the airlock
(hostile_net.Airlock) is installed first and appends every stop to FILE.
"""

import os
import resource
import runpy
import sys


def main() -> None:
    """Apply the address-space and file-size limits, then run the target in this process."""
    address_space, file_size, *target = sys.argv[1:]
    _limit(resource.RLIMIT_AS, int(address_space))
    _limit(resource.RLIMIT_FSIZE, int(file_size))
    if os.environ.get("HOSTILE_AIRLOCK"):
        from hostile_net import Airlock  # only once the limits are set

        Airlock(os.environ["HOSTILE_AIRLOCK"]).install()
    if target[0] == "-m":
        sys.argv = [target[1], *target[2:]]
        runpy.run_module(target[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = target
        runpy.run_path(target[0], run_name="__main__")


def _limit(which: int, value: int) -> None:
    """Lower a limit to `value` (never above the hard limit already in force)."""
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


if __name__ == "__main__":
    main()
