"""check's reports for CI: JUnit that parses, annotations on the document's lines, Markdown."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import sqlite_utils
from check_site import NOTES, OFFLINE_NOTE, citecheck
from junitparser import Failure, JUnitXml

COMMAND = re.compile(
    r"^::(error|warning|notice) file=([^:,]*)(?:,line=(\d+))?,title=([a-z0-9-]+)::(.*)$")


def github(project, *extra: str):
    """check --format github as a subprocess (its real stdout), with the JSON report beside it."""
    proc = citecheck(project, "check", "--allow-private", "--retries", "0", "--format",
                     "github", "--report", "json=check.json", *extra)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    report = json.loads((project / "check.json").read_text(encoding="utf-8"))
    return proc, report


def findings_count(report: dict) -> int:
    return len(report["findings"]) + sum(len(c["findings"]) for c in report["citations"])


def test_github_lines_point_at_the_document_lines(project, site):
    site.kill("/articles/dies")
    site.turn_hostile()
    proc, report = github(project)
    lines = proc.stdout.decode().splitlines()
    matches = [COMMAND.match(line) for line in lines]
    assert all(matches), lines  # page text never starts a line, never adds a command
    assert len(matches) == findings_count(report)
    assert {m.group(2) for m in matches} == {"report.txt"}
    report_lines = (project / "report.txt").read_text(encoding="utf-8").splitlines()
    for match in matches:
        note_id = match.group(5).split(":")[0].removeprefix("footnote ")
        assert f"[footnoteRef:{note_id}]" in report_lines[int(match.group(3)) - 1]
    assert "link-failing" in {m.group(4) for m in matches}
    assert not [line for line in proc.stderr.decode().splitlines() if line.startswith("::")]


def test_github_lines_point_at_citations_yml_without_the_document(project, site):
    (project / "report.txt").unlink()
    site.kill("/articles/dies")
    proc, _ = github(project)
    matches = [COMMAND.match(line) for line in proc.stdout.decode().splitlines()]
    assert matches and all(matches)
    assert {m.group(2) for m in matches} == {"citations.yml"}
    entries = (project / "citations.yml").read_text(encoding="utf-8").splitlines()
    for match in matches:
        note_id = match.group(5).split(":")[0].removeprefix("footnote ")
        assert entries[int(match.group(3)) - 1] == f"- id: '{note_id}'"


def test_junit_has_a_testcase_per_footnote_and_parses(project, site, cli):
    site.kill("/articles/dies")
    site.turn_hostile()
    assert cli("check", "--allow-private", "--retries", "0", "--format", "junit", "-o",
               "links.xml", "--fail-on", "warning") == 1
    ET.parse(project / "links.xml")  # well-formed XML
    suites = list(JUnitXml.fromfile(str(project / "links.xml")))
    assert [suite.name for suite in suites] == ["citecheck check"]
    cases = {case.name: case for case in suites[0]}
    assert set(cases) == {f"footnote {n}" for n in range(1, len(NOTES) + 2)}
    failure = _failure(cases["footnote 2"])
    assert failure.message == "link-failing" and "failed 1 of the 3 checks" in failure.text
    assert _failure(cases["footnote 1"]) is None
    assert "link-missing" in _failure(cases[f"footnote {OFFLINE_NOTE}"]).message
    hostile = _failure(cases["footnote 6"])
    assert "\x1b" not in hostile.text and "\x07" not in hostile.text


def _failure(case) -> Failure | None:
    return next((r for r in case.result if isinstance(r, Failure)), None)


def test_markdown_summary_and_text_report_in_one_check(project, site, cli, capsys):
    site.turn_hostile()
    code = cli("check", "--allow-private", "--retries", "0", "--report",
               "markdown=summary.md", "--report", "junit=links.xml")
    out = capsys.readouterr().out
    summary = (project / "summary.md").read_text(encoding="utf-8")
    assert code == 1  # the note's title is no longer the page's: an error
    assert summary.startswith("## citecheck check: report.txt")
    assert "`content-drift`" in summary and (project / "links.xml").is_file()
    assert out.startswith("citecheck check: report.txt")
    assert "\x1b" not in out and not [line for line in out.splitlines() if line.startswith("::")]
    rows = sqlite_utils.Database(project / "archive" / "index.db")["checks"].count
    assert rows == len(NOTES)  # one check, however many reports
