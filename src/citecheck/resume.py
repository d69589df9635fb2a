"""Resuming an interrupted run: the links it archived are not fetched again.

A run that was killed or interrupted never writes its run-end. The next `citecheck run` of the
same document, with the same fetch settings, takes over every link that run finished: its
link result (status, hops, capture) stands for a fetch when its capture is complete (in a
finished WARC file: recovered, or closed by its writer) and at most RESUME_WINDOW old, and
its citations are verified again from that capture, as `run --offline` does. Links that
failed through a bug or for want of a network, or that got no capture, are fetched again.
`run --refetch` fetches every link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.archive import layout
from citecheck.archive.index import ArchiveIndex
from citecheck.models import CitationResult, DocumentInfo, LinkResult
from citecheck.verify.history import parse_time

RESUME_WINDOW = dt.timedelta(hours=24)
FETCH_SETTINGS = ("user_agent", "deadline", "max_body", "allow_private", "proxy")
FETCHED_AGAIN = frozenset({"error", "no-network"})  # causes that say nothing about the link


@dataclass(frozen=True)
class Resume:
    """What a run takes over from an interrupted one: url -> its link result."""

    run_id: str | None = None
    links: Mapping[str, LinkResult] = field(default_factory=dict)


def same_fetch_settings(before: Mapping[str, Any], now: Mapping[str, Any]) -> bool:
    """Whether two runs' settings summaries fetch alike (same agent, limits, guard, proxy)."""
    return all(before.get(key) == now.get(key) for key in FETCH_SETTINGS)


def reusable_links(results: Iterable[CitationResult], urls: Collection[str], *,
                   now: dt.datetime, finished: Callable[[str], bool]) -> dict[str, LinkResult]:
    """The links among `urls` that an interrupted run's results may stand for."""
    links: dict[str, LinkResult] = {}
    for result in results:
        url, link = result.citation.url, result.link
        if url in urls and link is not None and _reusable(link, now, finished):
            links.setdefault(url, link)
    return links


def _reusable(link: LinkResult, now: dt.datetime, finished: Callable[[str], bool]) -> bool:
    capture = link.capture
    if capture is None or link.cause in FETCHED_AGAIN:
        return False
    when = parse_time(capture.timestamp)
    return when is not None and now - when <= RESUME_WINDOW and finished(capture.warc)


def find_resume(index: ArchiveIndex, archive_dir: Path, document: DocumentInfo,
                summary: Mapping[str, Any], urls: Collection[str]) -> Resume:
    """The interrupted run of this document to resume, and the links taken over from it."""
    previous = index.interrupted_run(document)
    if previous is None or not same_fetch_settings(previous.settings, summary):
        return Resume()
    folder = layout.warc_dir(archive_dir)
    links = reusable_links(index.results(previous.run_id), urls, now=dt.datetime.now(dt.UTC),
                           finished=lambda name: (folder / name).is_file())
    return Resume(previous.run_id, links) if links else Resume()
