"""GitHub Actions workflow commands: one annotation per finding, at the citing clause's line."""

from __future__ import annotations

from citecheck.models import CitationResult, Finding, RunResult, Severity

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's message escaped as the Actions runner unescapes it.

    >>> escape_data("50% done\\nnext")
    '50%25 done%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property (file, title) escaped: also ":" and ",", which end a property.

    >>> escape_property("a:b,c")
    'a%3Ab%2Cc'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: RunResult) -> str:
    """One `::error|warning|notice file=…,line=…,title=…::message` line per finding."""
    lines = [_command(finding, result.document.name, None) for finding in result.findings]
    for item in result.results:
        line = _line(item)
        lines += [_command(finding, result.document.name, line) for finding in item.findings]
    return "".join(f"{line}\n" for line in lines)


def _line(item: CitationResult) -> int | None:
    context = item.citation.context
    if context is not None and context.line is not None:
        return context.line
    return item.citation.note_line


def _command(finding: Finding, document: str, line: int | None) -> str:
    properties = [f"file={escape_property(document)}"]
    if line is not None:
        properties.append(f"line={line}")
    properties.append(f"title={escape_property(finding.code.value)}")
    where = f"footnote {finding.note_id}: " if finding.note_id else ""
    message = escape_data(f"{where}{finding.message}")
    return f"::{_COMMANDS[finding.severity]} {','.join(properties)}::{message}"
