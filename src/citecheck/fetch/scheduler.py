"""Resolve many URLs at once: a pool of workers, each distinct URL once, hosts spread out.

Per-host limits (concurrency and delay) are enforced per request by the session's
`HostLimiter`, so a shortener and the sites it points to count separately. URLs are queued
round-robin by host, so that workers do not all wait on one busy host while others idle.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, zip_longest

from citecheck.fetch.resolver import Resolution, crashed, resolve
from citecheck.fetch.session import FetchSession
from citecheck.fetch.urls import host_of
from citecheck.settings import Settings

log = logging.getLogger(__name__)


def resolve_all(urls: Iterable[str], settings: Settings,
                on_done: Callable[[str, Resolution], None],
                session: FetchSession | None = None) -> None:
    """Resolve each distinct URL once on `settings.workers` threads; `on_done` as each finishes.

    `on_done` is called from the worker threads: the caller locks whatever it shares. An
    exception raised by `on_done` stops nothing else and is raised again at the end.
    """
    queue = spread_by_host(urls)
    if session is not None:
        _run(queue, settings, on_done, session)
        return
    with FetchSession(settings) as own:
        _run(queue, settings, on_done, own)


def _run(queue: list[str], settings: Settings, on_done: Callable[[str, Resolution], None],
         session: FetchSession) -> None:
    def work(url: str) -> bool:
        try:
            resolution = resolve(url, settings, session)
        except Exception as exc:  # a bug on one link must not stop the others: see crashed()
            resolution = crashed(url, exc)
        on_done(url, resolution)
        return resolution.cause == "no-network"

    with ThreadPoolExecutor(max_workers=settings.workers,
                            thread_name_prefix="citecheck-fetch") as pool:
        futures = [pool.submit(work, url) for url in queue]
    errors = [f.exception() for f in futures if f.exception() is not None]
    skipped = sum(1 for f in futures if f.exception() is None and f.result())
    if skipped:
        log.warning("no network: %d of %d URL(s) not checked", skipped, len(queue))
    if errors:
        raise errors[0]  # type: ignore[misc]


def spread_by_host(urls: Iterable[str]) -> list[str]:
    """Distinct URLs, first host's first URL, second host's first URL, …, then second URLs."""
    by_host: OrderedDict[str, list[str]] = OrderedDict()
    for url in dict.fromkeys(urls):
        by_host.setdefault(host_of(url), []).append(url)
    rounds = zip_longest(*by_host.values())
    return [url for url in chain.from_iterable(rounds) if url is not None]
