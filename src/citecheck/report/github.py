"""GitHub Actions workflow commands: one annotation per finding, at the citing clause's line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class AnnotationTarget:
    """Where annotations point: a file of the repository, and the line of each footnote in it.

    `lines` maps note ids to lines of `file` (the entries of citations.yml); without it, a
    footnote's line is that of its citing clause, else of its note, in the document.
    """

    file: str
    lines: Mapping[str, int] | None = field(default=None, compare=False)


def render_github(result: RunResult, target: AnnotationTarget | None = None) -> str:
    """One `::error|warning|notice file=…,line=…,title=…::message` line per finding."""
    file = target.file if target else result.document.name
    lines = [_command(finding, file, None) for finding in result.findings]
    for item in result.results:
        line = _line(item, target.lines if target else None)
        lines += [_command(finding, file, line) for finding in item.findings]
    return "".join(f"{line}\n" for line in lines)


def _line(item: CitationResult, lines: Mapping[str, int] | None) -> int | None:
    if lines is not None:
        return lines.get(item.citation.id)
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
