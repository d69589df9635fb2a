"""Child side of the resource cases: resolve one URL, print what happened as one JSON line.

`hostile_driver.py '{"url": …, "settings": {…}, "record_sleeps": true}'` builds Settings with
those changes, resolves the URL through citecheck.fetch.resolver.resolve in a FetchSession
that reads no proxy from the environment, and prints the status, cause, exchanges, its own
elapsed time (around resolve only) and its own peak resident set.
"""

import json
import resource
import sys
import time


def main() -> None:
    """Resolve the URL given as JSON on the command line and print the outcome as JSON."""
    from citecheck.fetch.resolver import resolve
    from citecheck.fetch.session import FetchSession
    from citecheck.settings import Settings

    job = json.loads(sys.argv[1])
    settings = Settings(**job.get("settings", {}))
    sleeps: list[float] = []
    sleep = sleeps.append if job.get("record_sleeps") else time.sleep
    began = time.monotonic()
    with FetchSession(settings, environ={}, sleep=sleep) as session:
        resolution = resolve(job["url"], settings, session)
    elapsed = time.monotonic() - began
    link = resolution.link
    exchanges = [{"status": e.status, "truncated": e.truncated, "body_length": e.body_length,
                  "headers": len(e.response_headers)} for e in resolution.exchanges]
    resolution.close()
    print(json.dumps({
        "status": link.status.value, "cause": resolution.cause, "reason": link.reason,
        "final_url": link.final_url, "hops": len(link.hops), "exchanges": exchanges,
        "elapsed": elapsed, "sleeps": sleeps,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
