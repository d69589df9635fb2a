"""check(): has anything changed for the worse since the sources were archived?

Each distinct URL of the inputs is resolved again (the resolver, guard and timeouts of `run`,
one FetchSession) and compared with its newest capture in the archive: a link that now fails
(weighed against its history, verify/history.py), a chain that now ends elsewhere, a page whose
title or text drifted (verify/drift.py). A body byte-identical to its capture (same payload
digest) is not read again. The citations are verified against the live page as `run` does,
and the offline checks of the notes still run.

`check` writes the history of every check into the index (`checks`) and nothing else, unless
`archive_changed`: pages that drifted or moved are then captured into a new WARC file with
their index rows, as `run` writes them. No network at all is no evidence of rot: the history is
then left as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from citecheck.archive.index import ArchiveIndex
from citecheck.extract.soft404 import home_page_redirect
from citecheck.fetch.exchange import Exchange
from citecheck.fetch.resolver import Resolution
from citecheck.fetch.session import FetchSession
from citecheck.models import (
    CaptureRef,
    Citation,
    CitationResult,
    Code,
    Finding,
    LinkResult,
    LinkStatus,
    PageMetadata,
    RunResult,
    Severity,
)
from citecheck.pipeline import (
    Inputs,
    Progress,
    assemble,
    findings_by_note,
    settings_summary,
    status_counts,
    web_citations,
)
from citecheck.settings import Settings
from citecheck.stages import extract_in_helper, start_helper
from citecheck.verify.drift import compare_pages, drift_finding, redirect_change
from citecheck.verify.history import (
    Observation,
    describe_span,
    failure_streak,
    fresh,
    history_findings,
    observation,
)
from citecheck.verify.links import apply_page_verdict, link_findings

if TYPE_CHECKING:
    from citecheck.archive.writer import WarcWriter

log = logging.getLogger(__name__)

NETWORK_CAUSES = frozenset({"dns", "connect", "no-network"})


def iso(moment: dt.datetime) -> str:
    """A moment as the index writes it: ISO 8601 UTC to the second, with a Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Baseline:
    """What the archive knows of a URL before this check: its newest captured result, its past."""

    result: CitationResult | None
    observations: tuple[Observation, ...] = ()

    @property
    def capture(self) -> CaptureRef | None:
        """The newest capture of the URL's final page."""
        link = self.result.link if self.result else None
        return link.capture if link else None

    @property
    def page(self) -> PageMetadata | None:
        """The captured page (text left out), when the link was ok then."""
        result = self.result
        if result is None or result.link is None or result.link.status is not LinkStatus.OK:
            return None
        return result.page


def load_baseline(index: ArchiveIndex, url: str) -> Baseline:
    """The newest captured result of a URL and every look at it: its checks and that capture."""
    result = index.latest_result(url)
    seen = [observation(row.at, row.status, row.ok and bool(row.reason))
            for row in index.checks_for(url)]
    if result is not None and result.link is not None:
        link = result.link
        when = link.checked_at or (link.capture.timestamp if link.capture else None)
        seen.append(observation(when, link.status.value))
    return Baseline(result, tuple(o for o in seen if o is not None))


@dataclass
class _Live:
    """What looking at a URL now found, before its history is weighed."""

    link: LinkResult
    page: PageMetadata | None = None  # text dropped, unless the page was archived
    changes: tuple[Finding, ...] = ()  # redirect-changed, content-drift; no note id yet
    verified: dict[str, list[Finding]] = field(default_factory=dict)  # note id -> findings
    cached: bool = False
    archived: bool = False


@dataclass
class _Check:
    """The shared state of one check: what the worker threads write into."""

    inputs: Inputs
    settings: Settings
    archive_dir: Path
    now: dt.datetime
    index: ArchiveIndex
    by_url: dict[str, list[Citation]]
    progress: Progress | None = None
    archiver: _Archiver | None = None
    baselines: dict[str, Baseline] = field(default_factory=dict)
    live: dict[str, _Live] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: int = 0
    total: int = 0  # URLs to fetch (the cache serves the others)


def check(inputs: Inputs, settings: Settings, archive_dir: Path, *,
          now: dt.datetime | None = None, offline: bool = False, archive_changed: bool = False,
          session: FetchSession | None = None, progress: Progress | None = None,
          command_line: str = "") -> RunResult:
    """Check every link of the inputs against the archive now, record the history, report."""
    moment = now or dt.datetime.now(dt.UTC)
    clock = _clock(moment)
    if offline:
        return assemble("check", inputs.document, inputs.citations, inputs.findings, {},
                        started=iso(moment), finished=iso(clock()), offline=True)
    if archive_changed:
        from citecheck.archive.recover import recover_open_files

        recover_open_files(archive_dir)
    with ArchiveIndex.open(archive_dir) as index:
        state = _Check(inputs, settings, archive_dir, moment, index,
                       web_citations(inputs.citations), progress)
        if archive_changed:
            state.archiver = _Archiver(index, archive_dir, inputs, settings, command_line)
        try:
            result = _check(state, session, clock)
        finally:
            if state.archiver is not None:
                state.archiver.close()
    return result


def _check(state: _Check, session: FetchSession | None,
           clock: Callable[[], dt.datetime]) -> RunResult:
    if state.settings.max_age is not None:  # the cache decides before fetching
        state.baselines = {url: load_baseline(state.index, url) for url in state.by_url}
        _serve_from_cache(state)
    down = _fetch(state, session)
    verdicts = {url: _weigh(state, url, down) for url in state.by_url}
    outcomes = _outcomes(state, verdicts)
    _record_history(state, verdicts)
    result = assemble("check", state.inputs.document, state.inputs.citations,
                      state.inputs.findings, outcomes, started=iso(state.now),
                      finished=iso(clock()), notices=tuple(_notices(state, verdicts)))
    if state.archiver is not None and state.archiver.run_id is not None:
        result = state.archiver.finish(state, result)
    return result


def _clock(start: dt.datetime) -> Callable[[], dt.datetime]:
    """`start` moving on with the real time (a check's `now` may be injected)."""
    begun = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - begun)


# --------------------------------------------------------------------------- the cache


def _serve_from_cache(state: _Check) -> None:
    """URLs checked ok, unchanged, within max_age: their result comes from that check."""
    for url, baseline in state.baselines.items():
        hit = fresh(baseline.observations, state.now, state.settings.max_age)
        if hit is not None:
            state.live[url] = _cached(state, url, baseline, hit)


def _cached(state: _Check, url: str, baseline: Baseline, hit: Observation) -> _Live:
    previous = baseline.result.link if baseline.result else None
    if previous is not None and previous.status is LinkStatus.OK:
        link = dataclasses.replace(previous, checked_at=iso(hit.at))
    else:
        link = LinkResult(url, LinkStatus.OK, checked_at=iso(hit.at), capture=baseline.capture)
    page = baseline.page
    if page is None or baseline.capture is None:
        return _Live(link, cached=True)
    page = dataclasses.replace(page, text=_captured_text(state, url, baseline.capture))
    verified = _verify(state.by_url[url], link, page)
    return _Live(link, dataclasses.replace(page, text=""), verified=verified, cached=True)


# --------------------------------------------------------------------------- fetching


def _fetch(state: _Check, session: FetchSession | None) -> bool:
    """Resolve the URLs the cache did not serve; True when there turned out to be no network."""
    from citecheck.fetch.scheduler import resolve_all

    urls = [url for url in state.by_url if url not in state.live]
    if not urls:
        return False
    start_helper()
    state.total = len(urls)
    own = session is None
    session = session or FetchSession(state.settings)
    try:
        resolve_all(urls, state.settings,
                    lambda url, resolution: _finish_url(state, url, resolution), session)
        return session.network_down or (_nothing_connected(state, urls)
                                        and not session.confirm_network())
    finally:
        if own:
            session.close()


def _nothing_connected(state: _Check, urls: list[str]) -> bool:
    """Whether every link fetched failed before any server answered (DNS or connect)."""
    links = [state.live[url].link for url in urls if url in state.live]
    return bool(links) and all(link.status is LinkStatus.UNREACHABLE
                               and link.cause in NETWORK_CAUSES for link in links)


def _finish_url(state: _Check, url: str, resolution: Resolution) -> None:
    """Judge one resolved URL against its capture (in a worker thread)."""
    try:
        live = _judge(state, url, resolution)
    finally:
        resolution.close()
    with state.lock:
        state.live[url] = live
        state.done += 1
        if state.progress:
            state.progress(state.done, state.total, url)


def _judge(state: _Check, url: str, resolution: Resolution) -> _Live:
    baseline = state.baselines.get(url)
    if baseline is None:  # read here, in the worker, while other requests are on the wire
        baseline = load_baseline(state.index, url)
        with state.lock:
            state.baselines[url] = baseline
    link = dataclasses.replace(resolution.link, checked_at=iso(state.now),
                               capture=baseline.capture)
    final = resolution.exchanges[-1] if resolution.exchanges else None
    page, same = None, False
    if final is not None and link.status is LinkStatus.OK and 200 <= final.status < 300:
        link, page, same = _live_page(state, url, link, final, baseline)
    changes = _changes(state, url, link, None if same else page, baseline)
    archived = bool(changes) and state.archiver is not None and link.status is LinkStatus.OK
    if archived:
        link = dataclasses.replace(link, capture=state.archiver.capture(url, resolution))
    verified = _verify(state.by_url[url], link, page) if page is not None else {}
    if page is not None and not archived:
        page = dataclasses.replace(page, text="")
    return _Live(link, page, tuple(changes), verified, archived=archived)


def _live_page(state: _Check, url: str, link: LinkResult, final: Exchange,
               baseline: Baseline) -> tuple[LinkResult, PageMetadata, bool]:
    """The live page: the captured one when the body is the same, else extracted afresh."""
    from citecheck.archive.records import digest_body

    before, capture = baseline.page, baseline.capture
    if before is not None and capture is not None and capture.payload_digest is not None \
            and digest_body(b"", final.body).payload == capture.payload_digest:
        page = dataclasses.replace(before, text=_captured_text(state, url, capture))
        home = home_page_redirect(link.url, link.final_url or final.url,
                                  via=[hop.url for hop in link.hops])
        return apply_page_verdict(link, page, home), page, True
    final.body.seek(0)
    body = final.body.read(state.settings.max_body)
    # in the helper process, as run does: threads importing dateparser at once can deadlock
    page, home = extract_in_helper(body, url=final.url, headers=final.response_headers,
                                   status=final.status, max_decoded=state.settings.max_decoded,
                                   cited=link.url, via=[hop.url for hop in link.hops]).result()
    return apply_page_verdict(link, page, home), page, False


def _changes(state: _Check, url: str, link: LinkResult, page: PageMetadata | None,
             baseline: Baseline) -> list[Finding]:
    """What differs from the capture: where the chain ends, and (for a new body) the page."""
    previous = baseline.result.link if baseline.result else None
    if previous is None:
        return []
    found = []
    if link.http_status is not None:  # a server answered: the chain has an end to compare
        moved = redirect_change(previous.final_url, link.final_url, url)
        found += [moved] if moved else []
    before, capture = baseline.page, baseline.capture
    if page is not None and before is not None and capture is not None \
            and link.status is LinkStatus.OK:
        threshold = state.settings.drift_threshold
        drift = compare_pages(before, _captured_text(state, url, capture), page, threshold)
        drifted = drift_finding(drift, url, capture.timestamp, threshold)
        found += [drifted] if drifted else []
    return found


def _captured_text(state: _Check, url: str, capture: CaptureRef) -> str:
    """The captured page's main text: from the index, else extracted again from the WARC."""
    from citecheck.archive.reader import read_response
    from citecheck.errors import ArchiveError

    text = state.index.page_text(url, capture.record_id)
    if text:
        return text
    try:
        stored = read_response(state.archive_dir, capture, max_bytes=state.settings.max_body,
                               locate=state.index.locate)
    except ArchiveError as exc:
        log.warning("cannot read the capture of %s: %s", url, exc)
        return ""
    page, _ = extract_in_helper(stored.body, url=stored.target_uri, headers=stored.headers,
                                status=stored.status or 200,
                                max_decoded=state.settings.max_decoded, cited=url).result()
    return page.text


def _verify(citations: list[Citation], link: LinkResult,
            page: PageMetadata) -> dict[str, list[Finding]]:
    """Each citation of a URL against its page, as `run` verifies it."""
    from citecheck.verify.page import verify_page

    if link.status is not LinkStatus.OK:
        return {}
    return {c.id: verify_page(c, page, final_url=link.final_url or link.url) for c in citations}


# --------------------------------------------------------------------------- weighing


@dataclass(frozen=True)
class _Verdict:
    """A URL's outcome with its history weighed: the link, its findings, what to record."""

    live: _Live
    link: LinkResult
    findings: tuple[Finding, ...]  # no note id yet
    recorded: bool  # goes into the check history


def _weigh(state: _Check, url: str, down: bool) -> _Verdict:
    live, baseline = state.live[url], state.baselines[url]
    link, recorded = live.link, False
    if down and link.status is LinkStatus.UNREACHABLE and link.cause in NETWORK_CAUSES:
        link = dataclasses.replace(link, status=LinkStatus.NOT_CHECKED, cause="no-network",
                                   reason=f"no network ({link.reason})")
        findings: list[Finding] = []
    elif live.cached:
        findings = link_findings(link, None)
    else:
        settings = state.settings
        now = Observation(state.now, link.status, bool(live.changes))
        streak = failure_streak([*baseline.observations, now])
        findings = [*history_findings(link, streak, settings.dead_after_failures,
                                      settings.dead_after_span, None), *live.changes]
        recorded = link.status is not LinkStatus.SKIPPED
    if baseline.result is None:
        findings.append(_not_archived(url))
    return _Verdict(live, link, tuple(findings), recorded)


def _not_archived(url: str) -> Finding:
    return Finding(Code.NOT_ARCHIVED, Severity.WARNING,
                   f"{url} has no capture in the archive yet; run `citecheck run` to capture "
                   "it, then `citecheck check` compares with it", None, {"url": url})


def _outcomes(state: _Check, verdicts: Mapping[str, _Verdict]) -> dict[str, CitationResult]:
    """Every web citation's result: offline findings, the link's, the changes, the page's."""
    offline, _ = findings_by_note(state.inputs.citations, state.inputs.findings)
    outcomes = {}
    for url, verdict in verdicts.items():
        page = verdict.live.page if verdict.link.status is LinkStatus.OK else None
        lean = dataclasses.replace(page, text="") if page is not None else None
        for citation in state.by_url[url]:
            own = [dataclasses.replace(f, note_id=citation.id) for f in verdict.findings]
            findings = [*offline.get(citation.id, ()), *own,
                        *verdict.live.verified.get(citation.id, ())]
            silenced = set(citation.ignore)
            kept = tuple(f for f in findings if f.code not in silenced)
            outcomes[citation.id] = CitationResult(citation, verdict.link, lean, kept)
    return outcomes


def _record_history(state: _Check, verdicts: Mapping[str, _Verdict]) -> None:
    """One `checks` row per URL looked at now (not the cached, not those the network missed)."""
    rows = []
    for url, verdict in verdicts.items():
        if not verdict.recorded:
            continue
        ok = verdict.link.status is LinkStatus.OK
        changes = ", ".join(f.code.value for f in verdict.live.changes)
        reason = (changes or None) if ok else verdict.link.reason
        rows.append({"url": url, "at": iso(state.now), "ok": ok,
                     "status": verdict.link.status.value, "reason": reason})
    if rows:
        state.index.add_checks(rows)


def _notices(state: _Check, verdicts: Mapping[str, _Verdict]) -> list[str]:
    notices = []
    down = sum(1 for v in verdicts.values() if v.link.cause == "no-network")
    if down:
        notices.append(f"no network: {down} link(s) could not be checked; the offline checks "
                       "ran and the link history was left as it was; try again when online, "
                       "or use --proxy")
    cached = sum(1 for v in verdicts.values() if v.live.cached)
    if cached and state.settings.max_age is not None:
        notices.append(f"{cached} link(s) checked ok within the last "
                       f"{describe_span(state.settings.max_age)} were not fetched again "
                       "(--max-age); their results come from that check")
    return notices


# --------------------------------------------------------------------------- archiving


class _Archiver:
    """`--archive-changed`: captures the pages that changed into a new WARC, as `run` does.

    The run (in the index) and its WARC file start with the first page to capture, so a check
    where nothing changed writes no file at all.
    """

    def __init__(self, index: ArchiveIndex, archive_dir: Path, inputs: Inputs,
                 settings: Settings, command_line: str) -> None:
        self.index = index
        self.archive_dir = archive_dir
        self.inputs = inputs
        self.settings = settings
        self.command_line = command_line
        self.run_id: str | None = None
        self.writer: WarcWriter | None = None
        self._lock = threading.Lock()

    def capture(self, url: str, resolution: Resolution) -> CaptureRef:
        """Write every exchange of a resolution (WARC first, index second); the final's ref."""
        writer, run_id = self._start()
        ref = None
        for exchange in resolution.exchanges:
            ref = writer.write_exchange(exchange)
            self.index.add_capture(exchange.url, ref, status=exchange.status,
                                   mime=exchange.header("Content-Type"), run_id=run_id)
        assert ref is not None  # only a resolution with a final page is captured
        return ref

    def _start(self) -> tuple[WarcWriter, str]:
        from citecheck.archive.writer import WarcWriter

        with self._lock:
            if self.writer is None:
                summary = settings_summary(self.settings, self.command_line)
                self.run_id = self.index.start_run("check", self.inputs.document, summary)
                self.writer = WarcWriter(
                    self.archive_dir, warcinfo=self.index.run_info(self.run_id).warcinfo(),
                    max_size=self.settings.warc_max_size, dedup=self.index.payload_original)
            return self.writer, self.run_id

    def finish(self, state: _Check, result: RunResult) -> RunResult:
        """Record the results of the captured pages and the run's end; the result with its id."""
        from citecheck.archive.payloads import RunEnd

        by_id = {item.citation.id: item for item in result.results}
        for url, citations in state.by_url.items():
            live = state.live[url]
            for citation in citations if live.archived else ():
                full = dataclasses.replace(by_id[citation.id], page=live.page)
                self.writer.write_result(self.run_id, self.inputs.document, full)
                self.index.add_result(self.run_id, self.inputs.document, full)
        end = RunEnd(self.run_id, result.finished or iso(state.now), status_counts(result),
                     tuple(result.findings))
        self.writer.write_run_end(end)
        self.index.record_run_end(end)
        return dataclasses.replace(result, run_id=self.run_id)

    def close(self) -> None:
        """Finish the WARC file, if one was started."""
        if self.writer is not None:
            self.writer.close()


