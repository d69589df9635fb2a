"""Child side of the resource cases: resolve URLs, print what happened as one JSON line.

`hostile_driver.py '{"url": …, "settings": {…}, "record_sleeps": true, "repeat": 1}'` builds
Settings with those changes, resolves the URL (`repeat` times, in one FetchSession that reads
no proxy from the environment) through citecheck.fetch.resolver.resolve, and prints the last
outcome (status, cause, exchanges), the longest resolve, the open descriptors and threads
left at the end, and its own peak resident set (VmHWM).
"""

import json
import os
import sys
import threading
import time

from hostile_child import vm_hwm
from hostile_net import Airlock


def main() -> None:
    """Resolve the URL given as JSON on the command line and print the outcome as JSON."""
    from citecheck.fetch.resolver import resolve
    from citecheck.fetch.session import FetchSession
    from citecheck.settings import Settings

    airlock = Airlock()  # as in the test process: nothing leaves this machine
    airlock.install()
    job = json.loads(sys.argv[1])
    settings = Settings(**job.get("settings", {}))
    sleeps: list[float] = []
    sleep = sleeps.append if job.get("record_sleeps") else time.sleep
    times = []
    with FetchSession(settings, environ={}, sleep=sleep) as session:
        for _ in range(job.get("repeat", 1)):
            began = time.monotonic()
            resolution = resolve(job["url"], settings, session)
            times.append(time.monotonic() - began)
            resolution.close()
    link = resolution.link
    exchanges = [{"status": e.status, "truncated": e.truncated, "body_length": e.body_length,
                  "headers": len(e.response_headers)} for e in resolution.exchanges]
    print(json.dumps({
        "status": link.status.value, "cause": resolution.cause, "reason": link.reason,
        "final_url": link.final_url, "hops": len(link.hops), "exchanges": exchanges,
        "elapsed": max(times), "sleeps": sleeps, "fds": len(os.listdir("/proc/self/fd")),
        "threads": threading.active_count(), "airlock": airlock.stopped,
        "peak_rss": vm_hwm(),
    }))


if __name__ == "__main__":
    main()
