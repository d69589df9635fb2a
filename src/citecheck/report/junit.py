"""JUnit XML: one testsuite, one testcase per footnote, failing at or above `fail_on`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from citecheck.models import CitationResult, Finding, LinkStatus, RunResult, Severity
from citecheck.report.common import at_or_above, findings_by_severity, link_status, shown_url
from citecheck.report.safety import xml_safe

_UNCHECKED = {LinkStatus.NOT_CHECKED, LinkStatus.SKIPPED}


def render_junit(result: RunResult, *, fail_on: Severity = Severity.ERROR) -> str:
    """The report as a JUnit XML document."""
    suite = ET.Element("testsuite", name=f"citecheck {result.command}")
    if result.started:
        suite.set("timestamp", result.started)
    cases = [_case(item, result.document.name, fail_on) for item in result.results]
    if result.findings:
        cases.insert(0, _document_case(result, fail_on))
    suite.extend(cases)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(case.find("failure") is not None for case in cases)))
    suite.set("skipped", str(sum(case.find("skipped") is not None for case in cases)))
    suite.set("errors", "0")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return xml_safe(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n')


def _case(item: CitationResult, document: str, fail_on: Severity) -> ET.Element:
    case = ET.Element("testcase", name=f"footnote {item.citation.id}", classname=document)
    status = link_status(item)
    _add_findings(case, item.findings, fail_on)
    if case.find("failure") is None and status in _UNCHECKED:
        ET.SubElement(case, "skipped", message=f"link {status.value} ({item.citation.kind.value})")
    url = shown_url(item)
    out = [f"status: {status.value}"] + ([f"url: {url}"] if url else [])
    _system_out(case, out + _lines(f for f in item.findings if f.severity.rank < fail_on.rank))
    return case


def _document_case(result: RunResult, fail_on: Severity) -> ET.Element:
    case = ET.Element("testcase", name="document", classname=result.document.name)
    _add_findings(case, result.findings, fail_on)
    lower = _lines(f for f in result.findings if f.severity.rank < fail_on.rank)
    if lower:
        _system_out(case, lower)
    return case


def _add_findings(case: ET.Element, findings: tuple[Finding, ...], fail_on: Severity) -> None:
    failing = findings_by_severity(at_or_above(findings, fail_on))
    if failing:
        codes = ", ".join(dict.fromkeys(f.code.value for f in failing))
        failure = ET.SubElement(case, "failure", message=codes, type=failing[0].code.value)
        failure.text = "\n".join(_lines(failing))


def _lines(findings: Iterable[Finding]) -> list[str]:
    return [f"{f.severity.value} {f.code.value}: {f.message}" for f in findings]


def _system_out(case: ET.Element, lines: list[str]) -> None:
    ET.SubElement(case, "system-out").text = "\n".join(lines)
