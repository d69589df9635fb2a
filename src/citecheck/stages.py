"""Where a run's CPU work happens: pages are extracted in a helper process, verdicts on one thread.

Under the GIL, threads extract no faster than one page at a time, and while one does, the
fetch workers wait for the interpreter to read their sockets. So the fetch workers only fetch
and archive; each page body goes to one helper process (the second CPU) for `extract_page`,
and one CPU-stage thread takes the pages in the order they were queued to verify them and
write their verdicts. The queue between them is bounded, so the bodies waiting stay few.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor

from citecheck.models import PageMetadata

log = logging.getLogger(__name__)

# Pages fetched and waiting for the CPU stage, at most: enough to keep fetching at full
# speed through the helper's first seconds (its imports, dateparser's first compilations),
# and the bytes of their bodies, at most (one page alone may be larger).
QUEUED_PAGES = 128
QUEUED_BYTES = 64_000_000


class CpuStage:
    """One thread for the CPU-bound work of a run, fed by the fetch workers through a queue.

    `submit` blocks while `limit` tasks wait or their sizes add up past `max_bytes`. Tasks
    run one at a time, in the order given; the first exception one raises is raised again by
    `finish`.
    """

    def __init__(self, limit: int = QUEUED_PAGES, max_bytes: int = QUEUED_BYTES) -> None:
        self.limit = limit
        self.max_bytes = max_bytes
        self._queued = 0
        self._bytes = 0
        self._room = threading.Condition()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citecheck-stage")
        self._errors: list[BaseException] = []

    def submit(self, task: Callable[[], None], size: int = 0) -> None:
        """Queue a task holding `size` bytes; waits while the queue is full."""
        with self._room:
            while self._queued and (self._queued >= self.limit
                                    or self._bytes + size > self.max_bytes):
                self._room.wait()
            self._queued += 1
            self._bytes += size
        try:
            future = self._pool.submit(task)
        except BaseException:
            self._release(size)
            raise
        future.add_done_callback(lambda done: self._done(done, size))

    def _done(self, future: Future, size: int) -> None:
        self._release(size)
        if not future.cancelled() and future.exception() is not None:
            with self._room:
                self._errors.append(future.exception())  # type: ignore[arg-type]

    def _release(self, size: int) -> None:
        with self._room:
            self._queued -= 1
            self._bytes -= size
            self._room.notify_all()

    def finish(self) -> None:
        """Wait for every queued task; raise the first error one of them raised."""
        self._pool.shutdown(wait=True)
        if self._errors:
            raise self._errors[0]

    def __enter__(self) -> CpuStage:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- the helper process

_helper: ProcessPoolExecutor | None = None
_helper_lock = threading.Lock()


def extract_in_helper(body: bytes, *, url: str, headers: Sequence[tuple[str, str]],
                      status: int, max_decoded: int) -> Future[PageMetadata]:
    """Start `extract_page` on the helper process (started on first use, kept until exit)."""
    from citecheck.extract import extract_page

    return _pool().submit(extract_page, body, url=url, headers=list(headers), status=status,
                          max_decoded=max_decoded)


def start_helper() -> None:
    """Start the helper now, so that it imports the extractors while the first pages arrive."""
    _pool().submit(_load_extractors)


def _load_extractors() -> None:
    import citecheck.extract  # noqa: F401


def page_from(future: Future[PageMetadata], content_type: str) -> PageMetadata:
    """The helper's page; if the helper died on it, a page that says only what is known."""
    try:
        return future.result()
    except BrokenProcessPool:
        log.warning("the extraction helper stopped (killed or out of memory); starting a new one")
        _drop_pool()
        return PageMetadata(content_type=content_type.split(";")[0].strip().lower(), size=0)


def _pool() -> ProcessPoolExecutor:
    global _helper
    with _helper_lock:
        if _helper is None:
            # spawn: a fresh interpreter, not a fork of this one with its threads and locks
            _helper = ProcessPoolExecutor(max_workers=1, initializer=_helper_logs,
                                          mp_context=multiprocessing.get_context("spawn"))
        return _helper


def _drop_pool() -> None:
    global _helper
    with _helper_lock:
        broken, _helper = _helper, None
    if broken is not None:
        broken.shutdown(wait=False, cancel_futures=True)


def _helper_logs() -> None:
    """In the helper: log records go nowhere unless CITECHECK_LOG asks, as in the CLI."""
    level = os.environ.get("CITECHECK_LOG", "").upper()
    if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        logging.basicConfig(level=level, format="%(name)s: %(levelname)s: %(message)s")
    else:
        logging.getLogger().addHandler(logging.NullHandler())
        logging.captureWarnings(True)


atexit.register(_drop_pool)
