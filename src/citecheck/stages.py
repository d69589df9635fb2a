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
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class PendingPage:
    """A final response on its way to `extract_page`: in the helper, or here if it cannot be."""

    body: bytes
    url: str
    headers: list[tuple[str, str]]
    status: int
    max_decoded: int
    cited: str  # the URL the note cites, and the hops on the way, for the home-page check
    via: list[str] = field(default_factory=list)
    future: Future[tuple[PageMetadata, str | None]] | None = None
    generation: int = 0  # the helper that has it

    def result(self) -> tuple[PageMetadata, str | None]:
        """The page's metadata and the home-page verdict, waiting for the helper if it has it.

        When the helper dies (killed, out of memory), every page it held fails: each is sent
        once more, to a new helper, and a page that fails twice is given up (it may be the
        one that killed it). A helper that never worked could not start (an embedding
        program's unguarded main module): pages are extracted in this process instead.
        """
        for attempt in range(2):
            if self.future is None:
                return self._extract_here()
            try:
                found = self.future.result()
            except (BrokenProcessPool, CancelledError):
                _helper.drop(self.generation, usable=_helper.worked)
                self.future = self._submit() if attempt == 0 else None
                if self.future is None and _helper.usable:
                    return self._given_up()
                continue
            _helper.worked = True
            return found
        return self._given_up()

    def _submit(self) -> Future[tuple[PageMetadata, str | None]] | None:
        future, self.generation = _helper.submit(extract_for_run, self.body, self.url,
                                                 self.headers, self.status, self.max_decoded,
                                                 self.cited, self.via)
        return future

    def _given_up(self) -> tuple[PageMetadata, str | None]:
        log.warning("the extraction helper stopped twice on %s; its metadata is left out",
                    self.url)
        declared = next((v for k, v in self.headers if k.lower() == "content-type"), "")
        media = declared.split(";")[0].strip().lower() or "application/octet-stream"
        return PageMetadata(content_type=media, size=len(self.body)), None

    def _extract_here(self) -> tuple[PageMetadata, str | None]:
        return extract_for_run(self.body, self.url, self.headers, self.status, self.max_decoded,
                               self.cited, self.via)


class _Helper:
    """The one helper process of this process: started on first use, kept until exit."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.usable = True  # False once it could not even start: extract in-process from then
        self.worked = False  # True once it has returned a page
        self.generation = 0  # how many helpers were started
        self.lock = threading.Lock()

    def submit(self, task: Callable[..., Any], *args: Any) -> tuple[Future | None, int]:
        """Run a task there: its future (None when the helper cannot be used), and which
        helper took it (to `drop` that one only)."""
        with self.lock:
            if not self.usable:
                return None, self.generation
            if self.pool is None:
                # spawn: a fresh interpreter, not a fork of this one with its threads and locks
                self.pool = ProcessPoolExecutor(max_workers=1, initializer=_helper_logs,
                                                mp_context=multiprocessing.get_context("spawn"))
                self.generation += 1
            pool, generation = self.pool, self.generation
        try:
            return pool.submit(task, *args), generation
        except (BrokenProcessPool, RuntimeError, OSError):
            self.drop(generation, usable=self.worked)
            return None, generation

    def drop(self, generation: int, *, usable: bool) -> None:
        """Forget helper `generation` if it is still the current one; the next submit starts a
        new one, if `usable`."""
        with self.lock:
            broken = self.pool if generation == self.generation else None
            if broken is not None:
                self.pool = None
            self.usable = self.usable and usable
        if broken is not None:
            broken.shutdown(wait=False)  # its pending pages fail and are sent again
            log.debug("extraction helper dropped (usable from now on: %s)", self.usable)


_helper = _Helper()


def extract_in_helper(body: bytes, *, url: str, headers: Sequence[tuple[str, str]],
                      status: int, max_decoded: int, cited: str,
                      via: Sequence[str] = ()) -> PendingPage:
    """Start extracting a final page on the helper; `.result()` on the CPU stage gives it.

    This process never imports the extractors (nor holds their caches) while the helper works.
    """
    pending = PendingPage(body, url, list(headers), status, max_decoded, cited, list(via))
    pending.future = pending._submit()
    return pending


def extract_for_run(body: bytes, url: str, headers: list[tuple[str, str]], status: int,
                    max_decoded: int, cited: str,
                    via: Sequence[str] = ()) -> tuple[PageMetadata, str | None]:
    """The page's metadata, and whether `cited` (or a hop `via`) ended on the home page.

    Runs in the helper process.
    """
    from citecheck.extract import extract_page, home_page_redirect

    page = extract_page(body, url=url, headers=headers, status=status, max_decoded=max_decoded)
    return page, home_page_redirect(cited, url, via=list(via))


def start_helper() -> None:
    """Start the helper now, so that it imports the extractors while the first pages arrive."""
    _helper.submit(_load_extractors)  # a helper that cannot start fails the first page


def _load_extractors() -> None:
    import citecheck.extract  # noqa: F401


def _helper_logs() -> None:
    """In the helper: log records go nowhere unless CITECHECK_LOG asks, as in the CLI."""
    level = os.environ.get("CITECHECK_LOG", "").upper()
    if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        logging.basicConfig(level=level, format="%(name)s: %(levelname)s: %(message)s")
    else:
        logging.getLogger().addHandler(logging.NullHandler())
        logging.captureWarnings(True)


atexit.register(lambda: _helper.drop(_helper.generation, usable=False))
