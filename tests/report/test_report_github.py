import dataclasses
import re

import pytest

from citecheck.models import Severity
from citecheck.report import render
from citecheck.report.github import escape_data, escape_property

COMMAND = re.compile(
    r"^::(error|warning|notice) file=([^:,]*)(?:,line=(\d+))?,title=([^:,]+)::(.*)$")


def unescape(text: str) -> str:
    # as the Actions runner does it (ActionCommand.UnescapeData / UnescapeProperty)
    for token, replacement in [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"),
                               ("%", "%25")]:
        text = text.replace(replacement, token)
    return text


def commands(run) -> list[re.Match]:
    lines = render(run, "github").splitlines()
    matches = [COMMAND.match(line) for line in lines]
    assert all(matches), lines
    return matches


def test_one_command_per_finding_with_its_severity(run):
    found = commands(run)
    assert len(found) == len(run.all_findings())
    expected = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    assert [m.group(1) for m in found] == [expected[f.severity] for f in run.all_findings()]
    assert [m.group(4) for m in found] == [f.code.value for f in run.all_findings()]
    assert {unescape(m.group(2)) for m in found} == {run.document.name}


def test_line_is_the_context_line_else_the_note_line(run):
    lines = {m.group(5).split(":")[0]: m.group(3) for m in commands(run)}
    assert lines["footnote 2"] == "15"  # the citing clause
    assert lines["footnote 4"] == "104"  # no clause line: the note's line
    assert lines["footnote 6"] is None  # neither
    assert commands(run)[0].group(3) is None  # a document-level finding


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("plain", "plain", "plain"),
    ("100%", "100%25", "100%25"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("%0A::warning::", "%250A::warning::", "%250A%3A%3Awarning%3A%3A"),
    ("x,y:z", "x,y:z", "x%2Cy%3Az"),
])
def test_escaping_round_trips_through_the_runner_rules(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop
    assert unescape(escape_property(raw)) == raw


def test_document_names_with_commas_and_colons(make_run, run):
    weird = dataclasses.replace(run.document, name="C:\\reports\\a,b.txt")
    found = commands(make_run(document=weird))
    assert {unescape(m.group(2)) for m in found} == {"C:\\reports\\a,b.txt"}


def test_no_findings_no_output(make_run):
    assert render(make_run(results=(), findings=()), "github") == ""


def test_a_target_points_every_command_at_its_file_and_lines(run):
    from citecheck.report import AnnotationTarget

    target = AnnotationTarget("reports/citations.yml", {"2": 40, "3": 52})
    lines = render(run, "github", annotations=target).splitlines()
    found = [COMMAND.match(line) for line in lines]
    assert all(found) and len(found) == len(run.all_findings())
    assert {unescape(m.group(2)) for m in found} == {"reports/citations.yml"}
    by_note = {m.group(5).split(":")[0]: m.group(3) for m in found}
    assert (by_note["footnote 2"], by_note["footnote 3"]) == ("40", "52")
    assert by_note["footnote 4"] is None  # no entry line known: the file, without a line


def test_a_target_file_name_is_cleaned_and_escaped(run):
    from citecheck.report import AnnotationTarget

    target = AnnotationTarget("odd,name\n::error::x.yml", {})
    for line in render(run, "github", annotations=target).splitlines():
        match = COMMAND.match(line)
        assert match, line
        assert "\n" not in unescape(match.group(2))
