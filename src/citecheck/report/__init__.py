"""One RunResult rendered many ways: text, JSON, Markdown, HTML, JUnit, GitHub.

Every renderer is a pure function of the RunResult. Text from notes and fetched pages is hostile,
so `render` cleans the whole result once (`safety.clean`: control characters, terminal escapes,
bidi overrides and workflow commands made inert, every value on one line) before a renderer sees it.
"""

from __future__ import annotations

from collections.abc import Callable

from citecheck.errors import UsageError
from citecheck.models import RunResult, Severity
from citecheck.report.common import verdicts
from citecheck.report.github import AnnotationTarget, render_github
from citecheck.report.html_report import render_html
from citecheck.report.json_report import REPORT_SCHEMA_VERSION, render_json, report_data
from citecheck.report.junit import render_junit
from citecheck.report.markdown import render_markdown
from citecheck.report.safety import clean, defuse_commands, sanitize
from citecheck.report.text import render_text

__all__ = ["FORMATS", "REPORT_SCHEMA_VERSION", "AnnotationTarget", "render", "report_data",
           "sanitize", "verdicts"]

FORMATS = ("text", "json", "markdown", "html", "junit", "github")


def render(result: RunResult, fmt: str, *, color: bool = False, width: int = 100,
           fail_on: Severity = Severity.ERROR, annotations: AnnotationTarget | None = None) -> str:
    """The report of a run in one format (see FORMATS); UsageError for an unknown format.

    `annotations` says which repository file (and lines) the `github` commands point at;
    without it they name the document and the lines of its citing clauses.
    """
    renderer = _renderers(color, width, fail_on, annotations).get(fmt)
    if renderer is None:
        raise UsageError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    output = renderer(clean(result))
    # github output is nothing but our own commands, each value escaped onto its line
    return output if fmt == "github" else defuse_commands(output)


def _renderers(color: bool, width: int, fail_on: Severity,
               annotations: AnnotationTarget | None) -> dict[str, Callable[[RunResult], str]]:
    return {
        "text": lambda result: render_text(result, color=color, width=width),
        "json": render_json,
        "markdown": render_markdown,
        "html": render_html,
        "junit": lambda result: render_junit(result, fail_on=fail_on),
        "github": lambda result: render_github(result, _clean_target(annotations)),
    }


def _clean_target(target: AnnotationTarget | None) -> AnnotationTarget | None:
    # the file name comes from citations.yml or the command line: clean it as any other value
    return None if target is None else AnnotationTarget(clean(target.file), target.lines)
