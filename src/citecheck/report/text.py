"""The terminal report: a rich table of the footnotes, the findings, one summary line."""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from citecheck.models import CitationResult, Finding, LinkStatus, RunResult, Severity
from citecheck.report.common import (
    MATCH,
    MISMATCH,
    UNVERIFIED,
    findings_by_severity,
    link_status,
    severity_label,
    short_url,
    shown_url,
    status_label,
    summary_line,
    verdicts,
)

_STATUS_STYLES = {
    LinkStatus.OK: "green",
    LinkStatus.DEAD: "bold red",
    LinkStatus.UNREACHABLE: "red",
    LinkStatus.INVALID_URL: "red",
    LinkStatus.BLOCKED: "yellow",
    LinkStatus.REFUSED: "yellow",
    LinkStatus.SKIPPED: "dim",
    LinkStatus.NOT_CHECKED: "dim",
}
_SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_VERDICT_STYLES = {MATCH: "green", MISMATCH: "bold red", UNVERIFIED: "yellow"}
_WIDE = 100  # below this many columns the verdict headers shrink to one letter
# A value longer than this is cut for the terminal: rich wraps a long value in time that grows
# with the square of its length, and a page's text can be megabytes long.
VALUE_LIMIT = 2000


def render_text(result: RunResult, *, color: bool = False, width: int = 100) -> str:
    """The report for a terminal or a log, `width` columns wide, in colour only if asked."""
    out = StringIO()
    console = Console(file=out, width=width, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, markup=False,
                      emoji=False, legacy_windows=False)
    title = f"citecheck {result.command}: {capped(result.document.name)}"
    console.print(Text(title, style="bold"))
    for notice in result.notices:
        console.print(Text(f"notice: {capped(notice)}", style="yellow"))
    if result.results and result.command == "extract":
        console.print(_citation_table(result, width))
    elif result.results:
        console.print(_footnote_table(result, width))
        console.print(Text(_legend(width), style="dim"))
    findings = result.all_findings()
    if findings:
        console.print(Text("findings", style="bold"))
        console.print(_findings_table(findings))
    console.print(Text(summary_line(result), style="bold"), soft_wrap=True)
    return out.getvalue()


def _footnote_table(result: RunResult, width: int) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True,
                  padding=(0, 1))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("link", overflow="fold", ratio=3)
    table.add_column("HTTP", justify="right", no_wrap=True)
    headers = _verdict_headers(width)
    for name in headers:
        table.add_column(name, justify="center", no_wrap=True)
    codes_width = min(22, max((len(f.code.value) for f in result.all_findings()), default=8))
    table.add_column("findings", overflow="ellipsis", no_wrap=True, min_width=codes_width)
    url_limit = _url_limit(result, width, headers, codes_width)
    for item in result.results:
        table.add_row(*_footnote_row(item, url_limit))
    return table


def _citation_table(result: RunResult, width: int) -> Table:
    """What extract found in each note: the cited fields, before any page is fetched."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True,
                  padding=(0, 1))
    ids = max(len(item.citation.id) for item in result.results)
    codes = max((len(f.code.value) for f in result.all_findings()), default=8)
    publisher, link = max(10, width // 7), max(12, width // 7)
    title = max(16, width - ids - 10 - publisher - link - codes - 10)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=title)
    table.add_column("publisher", overflow="ellipsis", no_wrap=True, max_width=publisher)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("link", no_wrap=True, min_width=min(link, 12))
    table.add_column("findings", no_wrap=True, min_width=codes)
    for item in result.results:
        cited = item.citation
        repeat = f"(same as {cited.same_as})" if cited.same_as else f"({cited.kind.value})"
        table.add_row(
            Text(cited.id), Text(cited.title or repeat), Text(cited.publisher or ""),
            Text(cited.date or ""),
            Text(short_url(cited.url, link) if cited.url else
                 f"= note {cited.same_as}" if cited.same_as else ""),
            Text("\n".join(dict.fromkeys(f.code.value for f in item.findings))),
        )
    return table


def _url_limit(result: RunResult, width: int, headers: tuple[str, ...], codes_width: int) -> int:
    # the link column gets what the others leave: shorten URLs to that rather than fold them
    ids_width = max(len(item.citation.id) for item in result.results)
    others = ids_width + len("· not-checked") + len("HTTP") + sum(map(len, headers)) + codes_width
    gaps = 2 * (4 + len(headers))  # one space of padding each side between 5 + 3 columns
    return max(12, width - others - gaps)


def _verdict_headers(width: int) -> tuple[str, str, str]:
    return ("title", "date", "publ") if width >= _WIDE else ("T", "D", "P")


def _legend(width: int) -> str:
    fields = "" if width >= _WIDE else "T title, D date, P publisher: "
    return f"{fields}✓ matches the page, ✗ differs, ? could not verify"


def _footnote_row(item: CitationResult, url_limit: int) -> list[Text]:
    status = link_status(item)
    url = shown_url(item)
    http = item.link.http_status if item.link and item.link.http_status else None
    marks = [Text(mark, style=_VERDICT_STYLES.get(mark, "")) for mark in verdicts(item).values()]
    codes = "\n".join(dict.fromkeys(f.code.value for f in item.findings))
    return [
        Text(item.citation.id),
        Text(status_label(status), style=_STATUS_STYLES[status]),
        Text(short_url(url, url_limit) if url else f"({item.citation.kind.value})"),
        Text(str(http) if http else "–"),
        *marks,
        Text(codes),
    ]


def _findings_table(findings: list[Finding]) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column("severity", no_wrap=True)
    table.add_column("note", no_wrap=True)
    table.add_column("code", no_wrap=True)
    table.add_column("message", overflow="fold")
    for finding in findings_by_severity(findings):
        table.add_row(
            Text(severity_label(finding.severity), style=_SEVERITY_STYLES[finding.severity]),
            Text(f"note {finding.note_id}" if finding.note_id else "document"),
            Text(finding.code.value),
            Text(capped(finding.message)),
        )
    return table


def capped(text: str, limit: int = VALUE_LIMIT) -> str:
    """A value cut to `limit` characters, an ellipsis marking the cut.

    >>> capped("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"
