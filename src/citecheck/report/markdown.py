"""The Markdown report: for a review comment or a GitHub job summary ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

import re
from urllib.parse import quote

from citecheck.models import CitationResult, Finding, RunResult
from citecheck.report.common import (
    findings_by_severity,
    is_http_url,
    link_status,
    severity_label,
    short_url,
    shown_url,
    status_label,
    summary_line,
    verdicts,
)

# Characters that start a Markdown or HTML construct in the middle of a line (GitHub-flavoured:
# emphasis, code, links and images, raw HTML and entities, table cells, strikethrough, math).
# Values never start a line here, so line-start markers (#, -, +, 1.) need no escape.
_METACHARACTERS = re.compile(r"([\\`*_\[\]<>|~&$])")
_URL_SAFE = ":/?#[]@!$&'*+,;=%-._~"
_HEADER = ("| # | status | link | HTTP | title | date | publisher | findings |\n"
           "|--:|---|---|--:|:-:|:-:|:-:|---|")


def escape(text: str) -> str:
    r"""Text with every Markdown metacharacter backslash-escaped.

    >>> escape("a|b <i>*c*</i>")
    'a\\|b \\<i\\>\\*c\\*\\</i\\>'
    """
    return _METACHARACTERS.sub(r"\\\1", text)


def render_markdown(result: RunResult) -> str:
    """The report as GitHub-flavoured Markdown."""
    parts = [f"## citecheck {result.command}: {escape(result.document.name)}",
             f"**{escape(summary_line(result))}**"]
    parts += [f"> notice: {escape(notice)}" for notice in result.notices]
    if result.results:
        parts.append("\n".join([_HEADER, *(_row(item) for item in result.results)]))
    if result.all_findings():
        parts.append("### Findings")
        parts += _finding_groups(result)
    return "\n\n".join(parts) + "\n"


def _row(item: CitationResult) -> str:
    http = item.link.http_status if item.link else None
    codes = ", ".join(f"`{code}`" for code in dict.fromkeys(f.code.value for f in item.findings))
    cells = [escape(item.citation.id), status_label(link_status(item)), _link(item),
             str(http or "–"), *(mark or "–" for mark in verdicts(item).values()), codes]
    return "| " + " | ".join(cells) + " |"


def _link(item: CitationResult) -> str:
    url = shown_url(item)
    if not url:
        return f"_{escape(item.citation.kind.value)}_"
    if not is_http_url(url):
        return escape(url)
    return f"[{escape(short_url(url))}]({quote(url, safe=_URL_SAFE)})"


def _finding_groups(result: RunResult) -> list[str]:
    groups = []
    if result.findings:
        groups.append(_group("**Document**", result.findings))
    for item in result.results:
        if item.findings:
            title = f" — {escape(item.citation.title)}" if item.citation.title else ""
            groups.append(_group(f"**Footnote {escape(item.citation.id)}**{title}", item.findings))
    return groups


def _group(heading: str, findings: tuple[Finding, ...]) -> str:
    lines = [heading, ""]
    for finding in findings_by_severity(list(findings)):
        lines.append(f"- {severity_label(finding.severity)} `{finding.code.value}`: "
                     f"{escape(finding.message)}")
    return "\n".join(lines)
