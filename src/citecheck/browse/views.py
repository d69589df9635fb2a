"""The UI's pages: home, a document's citations, one citation, search, WARC record download."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from citecheck.archive import ArchiveIndex, StoredResponse, read_record_bytes, read_response
from citecheck.browse import context, present, queries
from citecheck.errors import ArchiveError
from citecheck.models import CaptureRef, CitationResult, LinkStatus

log = logging.getLogger(__name__)

bp = Blueprint("ui", __name__)

TEXT_EXCERPT = 3000  # characters of a captured page's text shown under the replay


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"status_badge": present.status_badge, "severity_badge": present.severity_badge,
            "ordered_statuses": present.ordered_statuses,
            "record_slug": context.record_slug, "archive_name": context.archive_dir().name}


@bp.get("/")
def home() -> str:
    """The documents and runs in the archive, with their counts."""
    index = context.archive_index()
    docs = queries.documents(index)
    all_runs = queries.runs(index)
    latest = {}
    for summary in all_runs:  # newest first: the first seen is a document's latest run
        latest.setdefault(summary.document_id, summary)
    names = {doc["document_id"]: doc["name"] for doc in docs}
    return render_template("home.html", documents=docs, latest=latest, runs=all_runs,
                           names=names, archive=str(context.archive_dir()))


@bp.get("/documents/<path:document_id>")
def document(document_id: str) -> str:
    """A document's citations in one run (the latest unless ?run= says otherwise)."""
    index = context.archive_index()
    doc = queries.document(index, document_id) or abort(404)
    runs = queries.runs(index, document_id)
    run_id = request.args.get("run") or (runs[0].run_id if runs else "")
    chosen = next((summary for summary in runs if summary.run_id == run_id), None)
    if runs and chosen is None:
        abort(404)
    query = present.CitationQuery.from_args(request.args)
    rows = queries.citations(index, run_id) if chosen else []
    hits = {hit["citation_id"] for hit in queries.search(index, query.q, run_id=run_id,
                                                         limit=1000)} if query.q else set()
    return render_template(
        "document.html", doc=doc, runs=runs, run=chosen, query=query,
        rows=present.select_rows(rows, query, hits), total=len(rows),
        statuses=[name for name, _ in present.ordered_statuses(
            Counter(row["link_status"] for row in rows))],
        codes=queries.finding_codes(rows), sorts=present.SORTS.items(),
        document_findings=queries.document_findings(index, run_id) if chosen else [])


@bp.get("/runs/<run_id>/citations/<path:citation_id>")
def citation(run_id: str, citation_id: str) -> str:
    """One citation: cited vs found, findings, redirect chain, capture, history, replay."""
    index = context.archive_index()
    result = queries.citation(index, run_id, citation_id) or abort(404)
    run = queries.run(index, run_id) or abort(404)
    doc = queries.document(index, run["document_id"]) or abort(404)
    page = queries.page_row(index, run_id, citation_id)
    previous, following = _neighbours(queries.citation_ids(index, run_id), citation_id)
    return render_template(
        "citation.html", run=run, doc=doc, result=result, previous=previous, next=following,
        status=result.link.status if result.link else LinkStatus.NOT_CHECKED,
        comparison=present.comparison(result),
        text=(page["text"] or "")[:TEXT_EXCERPT] if page else "", **_evidence(index, result))


def _neighbours(ids: list[str], current: str) -> tuple[str | None, str | None]:
    """The footnotes before and after `current`, for the pager."""
    position = ids.index(current)
    return (ids[position - 1] if position else None,
            ids[position + 1] if position + 1 < len(ids) else None)


def _evidence(index: ArchiveIndex, result: CitationResult) -> dict[str, Any]:
    """The capture, its headers, the URL's capture and check history."""
    link = result.link
    capture = link.capture if link else None
    url = (link.final_url or link.url) if link else None
    return {"capture": capture, "stored": _stored(index, capture),
            "replayable": _replayable(result, capture), "history_url": url,
            "history": present.history(index.captures_for(url)) if url else [],
            "checks": index.checks_for(result.citation.url) if result.citation.url else []}


def _stored(index: ArchiveIndex, capture: CaptureRef | None) -> StoredResponse | str | None:
    """The capture's status line and headers (no body), or why they cannot be read."""
    if capture is None:
        return None
    try:
        return read_response(context.archive_dir(), capture, max_bytes=0, locate=index.locate)
    except ArchiveError as exc:
        return exc.one_line()


def _replayable(result: CitationResult, capture: CaptureRef | None) -> bool:
    """Whether to show the archived copy in a frame (browsers refuse to frame sandboxed PDFs)."""
    content_type = (result.link.content_type or "") if result.link else ""
    return capture is not None and "pdf" not in content_type.lower()


@bp.get("/search")
def search() -> str:
    """Full-text search over the captured pages' titles and text."""
    index = context.archive_index()
    q = request.args.get("q", "").strip()[:200]
    runs = {summary.run_id: summary for summary in queries.runs(index)}
    names = {doc["document_id"]: doc["name"] for doc in queries.documents(index)}
    hits = [{**hit, "parts": _snippet_parts(hit["snippet"] or "")}
            for hit in queries.search(index, q)]
    return render_template("search.html", q=q, hits=hits, runs=runs, names=names)


def _snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, is_match) pieces, so the template escapes every piece."""
    parts = []
    for piece in snippet.split(queries.HIT_START):
        hit, _, rest = piece.partition(queries.HIT_END) if queries.HIT_END in piece else (
            "", "", piece)
        parts += [(hit, True)] if hit else []
        parts += [(rest, False)] if rest else []
    return parts


@bp.get("/records/<record>/download")
def download(record: str) -> Response:
    """One capture's WARC record as stored (a valid one-record .warc.gz)."""
    row = context.archive_index().capture(context.record_id_of(record)) or abort(404)
    try:
        data = read_record_bytes(context.archive_dir(), row.ref.warc, row.ref.offset,
                                 row.ref.length)
    except ArchiveError as exc:
        log.warning("cannot read record %s: %s", row.ref.record_id, exc.one_line())
        abort(404)
    name = f"{Path(row.ref.warc).name.removesuffix('.warc.gz')}-{row.ref.offset}.warc.gz"
    return Response(data, mimetype="application/warc",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Content-Security-Policy": "sandbox; default-src 'none'"})
