"""The JSON report: a stable, versioned document (docs/report-format.md, report.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from citecheck import __version__
from citecheck.models import (
    CaptureRef,
    Citation,
    CitationResult,
    Context,
    Finding,
    Hop,
    Locator,
    PageMetadata,
    RunResult,
)
from citecheck.report.common import (
    VERDICT_WORDS,
    link_status,
    severity_counts,
    status_counts,
    verdicts,
)

REPORT_SCHEMA_VERSION = "1.0"


def render_json(result: RunResult) -> str:
    """The report as indented JSON text."""
    return json.dumps(report_data(result), indent=2, ensure_ascii=False) + "\n"


def report_data(result: RunResult) -> dict[str, Any]:
    """The report as JSON-ready data (what `render_json` writes)."""
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generator": f"citecheck {__version__}",
        "command": result.command,
        "run_id": result.run_id,
        "started": result.started,
        "finished": result.finished,
        "offline": result.offline,
        "document": {"name": result.document.name, "format": result.document.format,
                     "sha256": result.document.sha256},
        "summary": {"citations": len(result.results), "status": status_counts(result),
                    "severity": severity_counts(result)},
        "notices": list(result.notices),
        "findings": [_finding(f) for f in result.findings],
        "citations": [_citation_result(item) for item in result.results],
    }


def _citation_result(item: CitationResult) -> dict[str, Any]:
    citation, link = item.citation, item.link
    return {
        "id": citation.id,
        "kind": citation.kind.value,
        "text": citation.text,
        "url": citation.url or (link.url if link else None),
        "final_url": link.final_url if link else None,
        "status": link_status(item).value,
        "http_status": link.http_status if link else None,
        "reason": link.reason if link else None,
        "cause": link.cause if link else None,
        "checked_at": link.checked_at if link else None,
        "redirects": [_hop(hop) for hop in link.hops] if link else [],
        "capture": _capture(link.capture) if link and link.capture else None,
        "cited": _cited(citation),
        "found": _found(item.page) if item.page else None,
        "verdicts": {name: VERDICT_WORDS[mark] for name, mark in verdicts(item).items()},
        "context": _context(citation.context) if citation.context else None,
        "note_line": citation.note_line,
        "same_as": citation.same_as,
        "findings": [_finding(f) for f in item.findings],
    }


def _hop(hop: Hop) -> dict[str, Any]:
    return {"url": hop.url, "status": hop.status, "kind": hop.kind.value,
            "location": hop.location}


def _capture(capture: CaptureRef) -> dict[str, Any]:
    return {"warc": capture.warc, "offset": capture.offset, "length": capture.length,
            "timestamp": capture.timestamp, "record_id": capture.record_id,
            "truncated": capture.truncated}


def _cited(citation: Citation) -> dict[str, Any]:
    return {
        "title": citation.title,
        "publisher": citation.publisher,
        "date": citation.date,
        "date_precision": citation.date_precision.value if citation.date_precision else None,
        "accessed": citation.accessed,
        "locators": [_locator(loc) for loc in citation.locators],
    }


def _found(page: PageMetadata) -> dict[str, Any]:
    return {
        "title": page.title,
        "title_source": page.title_source,
        "published": page.published,
        "published_source": page.published_source,
        "modified": page.modified,
        "modified_source": page.modified_source,
        "site_name": page.site_name,
        "author": page.author,
        "lang": page.lang,
        "canonical_url": page.canonical_url,
        "content_type": page.content_type,
        "soft404": page.soft404,
        "blocked": page.blocked,
    }


def _context(context: Context) -> dict[str, Any]:
    return {"text": context.text, "line": context.line, "paragraph": context.paragraph,
            "locators": [_locator(loc) for loc in context.locators]}


def _locator(locator: Locator) -> dict[str, Any]:
    return {"kind": locator.kind, "value": locator.value, "text": locator.text,
            "instrument": locator.instrument}


def _finding(finding: Finding) -> dict[str, Any]:
    return {"code": finding.code.value, "severity": finding.severity.value,
            "message": finding.message, "note_id": finding.note_id,
            "evidence": {key: _text(value) for key, value in finding.evidence.items()}}


def _text(value: object) -> str:
    # evidence is typed as strings; a stage that slips in a number (a score) still gives a string
    return value if isinstance(value, str) else str(value)
