"""extract() and run(): orchestrate the stages; no printing, no click (check() is in check.py).

Each URL is resolved and archived by a fetch worker; its page is extracted in the helper
process and verified on the one CPU-stage thread (citecheck/stages.py), behind a bounded
queue, so a page's text is held only while its citations are verified: memory stays flat
however many links a report has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from citecheck import __version__
from citecheck.errors import EXIT_INTERNAL, ArchiveError
from citecheck.models import (
    Citation,
    CitationResult,
    Code,
    DocumentInfo,
    Finding,
    Kind,
    LinkResult,
    LinkStatus,
    PageMetadata,
    RunResult,
    Severity,
)
from citecheck.settings import Settings
from citecheck.stages import CpuStage, PendingPage
from citecheck.verify.links import apply_page_verdict, link_findings

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, url
CITATION_SUFFIXES = {".yml", ".yaml"}


def utc_now() -> str:
    """The current UTC time as ISO 8601 with a Z."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Inputs:
    """What a command works on: the document, its citations and the offline findings."""

    document: DocumentInfo
    citations: tuple[Citation, ...]
    findings: tuple[Finding, ...]
    path: Path


def load_inputs(path: Path, fmt: str | None = None) -> Inputs:
    """Read citations.yml, or extract a document on the fly, and run the offline checks."""
    from citecheck.verify.offline import offline_findings

    if path.suffix.lower() in CITATION_SUFFIXES and fmt is None:
        from citecheck.citations.store import load_citations

        loaded = load_citations(path)
        findings = offline_findings(loaded.citations, None)
        return Inputs(loaded.document, tuple(loaded.citations), tuple(findings), path)
    document, info = _read_document(path, fmt)
    from citecheck.citations.build import build_citations

    citations = build_citations(document)
    findings = [*document.findings, *offline_findings(citations, document)]
    return Inputs(info, tuple(citations), tuple(findings), path)


def _read_document(path: Path, fmt: str | None):
    from citecheck.documents import load_document

    document = load_document(path, fmt)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return document, DocumentInfo(name=path.name, format=document.format, sha256=digest)


def extract(doc_path: Path, out_path: Path, *, fmt: str | None = None, force: bool = False):
    """Extract a document's citations into citations.yml (merging hand edits); return the result."""
    from citecheck.citations.build import build_citations, citations_from_texts
    from citecheck.citations.store import load_citations, save_citations
    from citecheck.verify.offline import offline_findings

    document, info = _read_document(doc_path, fmt)
    merge = save_citations(out_path, build_citations(document), info, force=force,
                           base_of=citations_from_texts)
    citations = load_citations(out_path).citations
    findings = [*document.findings, *offline_findings(citations, document)]
    now = utc_now()
    result = assemble("extract", info, citations, findings, {}, started=now, finished=now)
    return result, merge


def assemble(command: str, document: DocumentInfo, citations: Sequence[Citation],
             findings: Iterable[Finding], outcomes: dict[str, CitationResult], **run) -> RunResult:
    """Put citations and their outcomes together in document order.

    A citation with an outcome already carries all its findings; the others get theirs from
    `findings`, whose entries about no known note become the document's findings.
    """
    by_note, loose = findings_by_note(citations, findings)
    results = [outcomes.get(c.id) or CitationResult(c, findings=tuple(by_note.get(c.id, ())))
               for c in citations]
    return RunResult(command=command, document=document, results=tuple(results),
                     findings=tuple(loose), **run)


def findings_by_note(citations: Sequence[Citation], findings: Iterable[Finding]
                     ) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Findings grouped by note (codes a note silences left out), and the document's own."""
    ignored = {c.id: set(c.ignore) for c in citations}
    by_note: dict[str, list[Finding]] = defaultdict(list)
    loose = []
    for finding in findings:
        if finding.note_id not in ignored:
            loose.append(finding)
        elif finding.code not in ignored[finding.note_id]:
            by_note[finding.note_id].append(finding)
    return by_note, loose


# --------------------------------------------------------------------------- run


@dataclass
class _Run:
    """The shared state of one run: what the worker threads write into."""

    inputs: Inputs
    settings: Settings
    archive_dir: Path
    run_id: str
    by_url: dict[str, list[Citation]]
    progress: Progress | None
    writer: object = None
    index: object = None
    outcomes: dict[str, CitationResult] = dataclasses.field(default_factory=dict)
    offline: dict[str, list[Finding]] = dataclasses.field(default_factory=dict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    done: int = 0
    network_down: bool = False
    stage: CpuStage | None = None  # a run with the network: where pages are verified
    resume: object = None  # resume.Resume: the links an interrupted run already archived
    taken: int = 0  # links verified from an interrupted run's captures instead of fetched


def web_citations(citations: Iterable[Citation]) -> dict[str, list[Citation]]:
    """Citations that carry their own URL, grouped by URL (each URL is fetched once)."""
    by_url: dict[str, list[Citation]] = defaultdict(list)
    for citation in citations:
        if citation.url and citation.kind is Kind.WEB:
            by_url[citation.url].append(citation)
    return dict(by_url)


def run(inputs: Inputs, settings: Settings, archive_dir: Path, *, offline: bool = False,
        progress: Progress | None = None, command_line: str = "",
        refetch: bool = False) -> RunResult:
    """Resolve, archive, extract and verify every link of the inputs; index it all.

    Links an interrupted run of the same document already archived are taken over from it
    (see resume.py) unless `refetch`.
    """
    from citecheck.archive.index import ArchiveIndex
    from citecheck.archive.recover import recover_open_files
    from citecheck.resume import Resume, find_resume

    started = utc_now()
    if not offline:
        recover_open_files(archive_dir)
    with ArchiveIndex.open(archive_dir) as index:
        command = "run --offline" if offline else "run"
        summary = settings_summary(settings, command_line)
        by_url = web_citations(inputs.citations)
        resume = (Resume() if offline or refetch
                  else find_resume(index, archive_dir, inputs.document, summary, by_url))
        run_id = index.start_run(command, inputs.document, summary)
        state = _Run(inputs, settings, archive_dir, run_id, by_url, progress, index=index,
                     resume=resume)
        state.offline, _ = findings_by_note(inputs.citations, inputs.findings)
        if offline:
            _verify_from_archive(state)
        else:
            _fetch_and_verify(state)
        _record_unfetched(state)
        result = assemble("run", inputs.document, inputs.citations, inputs.findings,
                          state.outcomes, run_id=run_id, started=started, finished=utc_now(),
                          offline=offline, notices=tuple(_notices(state)))
        _end_run(state, result)
    return result


def settings_summary(settings: Settings, command_line: str) -> dict[str, object]:
    """What a run records of its settings (warcinfo, index): what decides what was fetched."""
    return {"version": __version__, "command_line": command_line,
            "user_agent": settings.user_agent, "deadline": settings.deadline,
            "max_body": settings.max_body, "allow_private": settings.allow_private,
            "proxy": bool(settings.proxy)}


def _end_run(state: _Run, result: RunResult) -> None:
    from citecheck.archive.payloads import RunEnd

    end = RunEnd(state.run_id, result.finished or utc_now(), status_counts(result),
                 tuple(result.findings))
    if state.writer is not None:
        state.writer.write_run_end(end)
        state.writer.close()
    state.index.record_run_end(end)


def _fetch_and_verify(state: _Run) -> None:
    from citecheck.archive.writer import WarcWriter
    from citecheck.fetch.scheduler import resolve_all
    from citecheck.fetch.session import FetchSession
    from citecheck.stages import start_helper

    start_helper()
    state.writer = WarcWriter(state.archive_dir,
                              warcinfo=state.index.run_info(state.run_id).warcinfo(),
                              max_size=state.settings.warc_max_size,
                              dedup=state.index.payload_original)
    try:
        urls = _take_over(state)
        with (FetchSession(state.settings, ca_bundle=state.settings.ca_bundle) as session,
              CpuStage() as state.stage):
            resolve_all(urls, state.settings,
                        lambda url, resolution: _finish_url(state, url, resolution), session)
            state.stage.finish()
            state.network_down = session.network_down or (
                _nothing_connected(state) and not session.confirm_network())
        if state.network_down:
            _relabel_no_network(state)
    except BaseException:
        state.writer.close()
        raise


def _take_over(state: _Run) -> list[str]:
    """Verify the links an interrupted run archived from their captures; the URLs left to fetch."""
    left = []
    for url in state.by_url:
        link = state.resume.links.get(url)
        if link is None or not _took_over(state, url, link):
            left.append(url)
    return left


def _took_over(state: _Run, url: str, link: LinkResult) -> bool:
    """Verify one URL from the interrupted run's capture; False (fetch it) if it cannot be read."""
    try:
        _verify_capture(state, url, link)
    except ArchiveError as exc:
        log.warning("fetching %s again: its capture cannot be read (%s)", url, exc.one_line())
        return False
    state.taken += 1
    return True


def _nothing_connected(state: _Run) -> bool:
    """Whether every fetched link failed before any server answered (DNS or connect)."""
    links = [r.link for r in state.outcomes.values() if r.link is not None]
    return bool(links) and all(link.status is LinkStatus.UNREACHABLE
                               and link.cause in ("dns", "connect") for link in links)


def _relabel_no_network(state: _Run) -> None:
    """The failures that made the breaker trip were the missing network too, not dead links."""
    for note_id, result in list(state.outcomes.items()):
        link = result.link
        if link and link.status is LinkStatus.UNREACHABLE and link.cause in ("dns", "connect"):
            link = dataclasses.replace(link, cause="no-network",
                                       reason=f"no network ({link.reason})")
            kept = [f for f in result.findings if f.code is not Code.LINK_UNREACHABLE]
            findings = (*link_findings(link, note_id), *kept)
            state.outcomes[note_id] = dataclasses.replace(result, link=link, findings=findings)


def _finish_url(state: _Run, url: str, resolution) -> None:
    """Archive one resolved URL (in its fetch worker), then queue its page for the CPU stage."""
    from citecheck.fetch.resolver import crashed

    try:
        try:
            link, pending, size = _archive(state, resolution)
        finally:
            resolution.close()
    except Exception as exc:  # a bug on one link must not stop the others (exit code 3 later)
        link, pending, size = crashed(url, exc).link, None, 0
    state.stage.submit(lambda: _verify_fetched(state, url, link, pending), size)


def _archive(state: _Run, resolution) -> tuple[LinkResult, PendingPage | None, int]:
    """Write every hop's exchange; start extracting the final page when the link ended ok.

    Returns the link with its capture, the page being extracted, and the body's size.
    """
    from citecheck.stages import extract_in_helper

    link, refs = resolution.link, []
    for exchange in resolution.exchanges:
        ref = state.writer.write_exchange(exchange)
        state.index.add_capture(exchange.url, ref, status=exchange.status,
                                mime=exchange.header("Content-Type"), run_id=state.run_id)
        refs.append(ref)
    if not refs:
        return link, None, 0
    link = dataclasses.replace(link, capture=refs[-1])
    final = resolution.exchanges[-1]
    if link.status is not LinkStatus.OK or not 200 <= final.status < 300:
        return link, None, 0
    final.body.seek(0)
    body = final.body.read(state.settings.max_body)
    pending = extract_in_helper(body, url=final.url, headers=final.response_headers,
                                status=final.status, max_decoded=state.settings.max_decoded,
                                cited=link.url, via=[hop.url for hop in link.hops])
    return link, pending, len(body)


def _verify_fetched(state: _Run, url: str, link: LinkResult,
                    pending: PendingPage | None) -> None:
    """On the CPU stage: the page's say on the link, then the citations' verdicts."""
    from citecheck.fetch.resolver import crashed

    try:
        page = None
        if pending is not None:
            page, home = pending.result()
            link = apply_page_verdict(link, page, home)
        _verify_citations(state, url, link, page)
    except Exception as exc:  # a bug on one page must not stop the others (exit code 3 later)
        _verify_citations(state, url, crashed(url, exc).link, None)


def _page_verdict(link: LinkResult, body: bytes, url: str, headers, status: int,
                  settings: Settings) -> tuple[LinkResult, PageMetadata]:
    """Extract a page here, in this thread (offline runs), and give its say on the link."""
    from citecheck.extract import extract_page, home_page_redirect

    page = extract_page(body, url=url, headers=headers, status=status,
                        max_decoded=settings.max_decoded)
    home = home_page_redirect(link.url, link.final_url or url,
                              via=[hop.url for hop in link.hops])
    return apply_page_verdict(link, page, home), page


def _verify_citations(state: _Run, url: str, link: LinkResult, page: PageMetadata | None) -> None:
    from citecheck.verify.page import verify_page

    for citation in state.by_url[url]:
        findings = [*state.offline.get(citation.id, ()), *link_findings(link, citation.id)]
        if page is not None and link.status is LinkStatus.OK:
            findings += verify_page(citation, page, final_url=link.final_url or url)
        silenced = set(citation.ignore)
        findings = [f for f in findings if f.code not in silenced]
        result = CitationResult(citation, link, page, tuple(findings))
        _record(state, result)
        with state.lock:
            state.outcomes[citation.id] = dataclasses.replace(result, page=summary_of(page))
    with state.lock:
        state.done += 1
        if state.progress:
            state.progress(state.done, len(state.by_url), url)


def summary_of(page: PageMetadata | None) -> PageMetadata | None:
    """What a run keeps of a page once verified: the values reports show, not the text or the
    candidate sets (they are in the index and the WARC metadata record), so memory stays flat."""
    if page is None:
        return None
    return dataclasses.replace(page, text="", titles=(), dates=(), site_names=())


def _record_unfetched(state: _Run) -> None:
    """Record the citations no URL of this run covered (ibid, no link…)."""
    for citation in state.inputs.citations:
        if citation.id not in state.outcomes:
            result = CitationResult(citation, findings=tuple(state.offline.get(citation.id, ())))
            state.outcomes[citation.id] = result
            _record(state, result)


def _record(state: _Run, result: CitationResult) -> None:
    """WARC first, index second: the index may lag the WARCs after a kill, never disagree."""
    if state.writer is not None:
        state.writer.write_result(state.run_id, state.inputs.document, result)
    state.index.add_result(state.run_id, state.inputs.document, result)


def _verify_from_archive(state: _Run) -> None:
    """`run --offline`: verify every citation against its latest capture, no network."""
    for url in state.by_url:
        previous = state.index.latest_result(url)
        link = previous.link if previous else None
        if link is None or link.capture is None:
            _not_archived(state, url)
            continue
        try:
            _verify_capture(state, url, link)
        except ArchiveError as exc:
            _not_archived(state, url, f"its capture cannot be read ({exc.one_line()})")


def _verify_capture(state: _Run, url: str, link: LinkResult) -> None:
    """Verify a URL's citations against the capture a stored link result points at.

    Raises ArchiveError when the capture cannot be read; a bug is that link's outcome.
    """
    from citecheck.archive.reader import read_response
    from citecheck.fetch.resolver import crashed

    page = None
    link = dataclasses.replace(link, status=_status_before_page(link))
    if link.status is LinkStatus.OK:
        stored = read_response(state.archive_dir, link.capture,
                               max_bytes=state.settings.max_body, locate=state.index.locate)
        try:
            link, page = _page_verdict(link, stored.body, stored.target_uri, stored.headers,
                                       stored.status or 200, state.settings)
        except Exception as exc:  # a bug on one page must not stop the others (exit 3 later)
            link = crashed(url, exc).link
    _verify_citations(state, url, link, page)


def page_text_of(stored) -> str:
    """The main text of an archived response (for rebuilding the full-text index)."""
    from citecheck.extract import extract_page

    return extract_page(stored.body, url=stored.target_uri, headers=stored.headers,
                        status=stored.status or 200).text


def _status_before_page(link: LinkResult) -> LinkStatus:
    """A stored status that came from the page (soft 404, wall) is judged again from the page."""
    if link.status in (LinkStatus.DEAD, LinkStatus.BLOCKED) and link.cause is None:
        return LinkStatus.OK
    return link.status


def _not_archived(state: _Run, url: str, why: str = "has no capture in the archive yet") -> None:
    for citation in state.by_url[url]:
        finding = Finding(Code.NOT_ARCHIVED, Severity.WARNING,
                          f"{url} {why}; run `citecheck run` without --offline to capture it",
                          citation.id, {"url": url})
        link = LinkResult(url, LinkStatus.NOT_CHECKED, reason="not archived")
        findings = (*state.offline.get(citation.id, ()), finding)
        state.outcomes[citation.id] = CitationResult(citation, link, None, findings)
        _record(state, state.outcomes[citation.id])


def _notices(state: _Run) -> list[str]:
    notices = []
    if state.taken:
        notices.append(f"resumed the interrupted run {state.resume.run_id}: {state.taken} "
                       "link(s) it had archived were not fetched again (--refetch fetches "
                       "every link)")
    down = sum(1 for r in state.outcomes.values() if r.link and r.link.cause == "no-network")
    if down:
        notices.append(f"no network: {down} citation(s) could not be checked; "
                       "the offline checks ran; try again when online, or use --proxy")
    bugs = sum(1 for r in state.outcomes.values() if r.link and r.link.cause == "error")
    if bugs:
        notices.append(f"internal error: citecheck failed on {bugs} citation(s) because of a "
                       "bug (the reasons say where the traceback was saved); please report it")
    return notices


def status_counts(result: RunResult) -> dict[str, int]:
    """How many citations ended in each link status."""
    counts: dict[str, int] = defaultdict(int)
    for item in result.results:
        counts[(item.link.status if item.link else LinkStatus.NOT_CHECKED).value] += 1
    return dict(counts)


def exit_code(result: RunResult, fail_on: Severity | None) -> int:
    """0 when no finding is at or above fail_on (None: never fail), else 1; 3 after a bug."""
    if any(r.link is not None and r.link.cause == "error" for r in result.results):
        return EXIT_INTERNAL
    if fail_on is None:
        return 0
    worst = max((f.severity.rank for f in result.all_findings()), default=-1)
    return 1 if worst >= fail_on.rank else 0
