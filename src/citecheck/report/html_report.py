"""The HTML report: one self-contained, autoescaped page (inline CSS, no script, no fetch)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2

from citecheck.models import CitationResult, Finding, LinkStatus, RunResult, Severity
from citecheck.report.common import (
    MATCH,
    MISMATCH,
    UNVERIFIED,
    VERDICT_WORDS,
    comparison_rows,
    findings_by_severity,
    is_http_url,
    link_status,
    severity_counts,
    severity_label,
    short_url,
    shown_url,
    status_counts,
    status_label,
    summary_line,
    verdicts,
)

_STATUS_CLASSES = {
    LinkStatus.OK: "good", LinkStatus.DEAD: "bad", LinkStatus.UNREACHABLE: "bad",
    LinkStatus.INVALID_URL: "bad", LinkStatus.BLOCKED: "warn", LinkStatus.REFUSED: "warn",
    LinkStatus.SKIPPED: "muted", LinkStatus.NOT_CHECKED: "muted",
}
_SEVERITY_CLASSES = {Severity.ERROR: "bad", Severity.WARNING: "warn", Severity.INFO: "info"}
_VERDICT_CLASSES = {MATCH: "good", MISMATCH: "bad", UNVERIFIED: "warn"}
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("citecheck.report", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2")


def render_html(result: RunResult) -> str:
    """The report as one HTML page that opens offline and runs no script."""
    return _template().render(**_page(result))


def _page(result: RunResult) -> dict[str, Any]:
    statuses = status_counts(result)
    return {
        "run": result,
        "summary": summary_line(result),
        "statuses": [{"label": status_label(status), "css": _STATUS_CLASSES[status],
                      "count": statuses[status.value]} for status in LinkStatus
                     if statuses[status.value]],
        "severities": [{"label": severity_label(severity), "css": _SEVERITY_CLASSES[severity],
                        "count": n} for severity, n in _severity_items(result)],
        "document_findings": [_finding(f) for f in findings_by_severity(list(result.findings))],
        "footnotes": [_footnote(item) for item in result.results],
    }


def _severity_items(result: RunResult) -> list[tuple[Severity, int]]:
    counts = severity_counts(result)
    return [(severity, counts[severity.value]) for severity in reversed(Severity)]


def _footnote(item: CitationResult) -> dict[str, Any]:
    citation, status = item.citation, link_status(item)
    url = shown_url(item)
    return {
        "id": citation.id,
        "anchor": "fn-" + _NOT_ID.sub("_", citation.id),
        "kind": citation.kind.value,
        "text": citation.text,
        "status": {"label": status_label(status), "css": _STATUS_CLASSES[status]},
        "reason": item.link.reason if item.link else None,
        "http": item.link.http_status if item.link else None,
        "url": _url(url),
        "verdicts": [_verdict(name, mark) for name, mark in verdicts(item).items()],
        "codes": list(dict.fromkeys(f.code.value for f in item.findings)),
        "comparison": _comparison(item),
        "redirects": [{"url": _url(hop.url), "status": hop.status, "kind": hop.kind.value}
                      for hop in (item.link.hops if item.link else ())],
        "capture": item.link.capture if item.link else None,
        "context": citation.context.text if citation.context else None,
        "same_as": citation.same_as,
        "findings": [_finding(f) for f in findings_by_severity(list(item.findings))],
    }


def _url(url: str | None) -> dict[str, Any] | None:
    if not url:
        return None
    return {"text": url, "short": short_url(url), "href": url if is_http_url(url) else None}


def _verdict(name: str, mark: str) -> dict[str, str]:
    word = VERDICT_WORDS[mark] or "not cited"
    return {"name": name, "mark": mark or "–", "word": word,
            "css": _VERDICT_CLASSES.get(mark, "muted")}


def _comparison(item: CitationResult) -> list[dict[str, Any]]:
    return [{"field": field, "cited": cited, "found": value, **_verdict(field, mark)}
            for field, cited, value, mark in comparison_rows(item)]


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "label": severity_label(finding.severity),
        "css": _SEVERITY_CLASSES[finding.severity],
        "code": finding.code.value,
        "message": finding.message,
        "evidence": sorted(finding.evidence.items()),
    }
