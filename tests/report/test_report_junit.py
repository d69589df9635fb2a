import dataclasses

import lxml.etree
import pytest
from junitparser import Failure, JUnitXml, Skipped

from citecheck.models import Severity
from citecheck.report import render


def parse(run, **options):
    text = render(run, "junit", **options)
    lxml.etree.fromstring(text.encode("utf-8"))  # well-formed for a strict parser too
    suites = list(JUnitXml.fromstring(text.encode("utf-8")))
    assert len(suites) == 1
    return suites[0]


def cases_by_name(suite) -> dict:
    return {case.name: case for case in suite}


def test_one_testcase_per_footnote_plus_the_document(run):
    suite = parse(run)
    names = [case.name for case in suite]
    assert names == ["document"] + [f"footnote {r.citation.id}" for r in run.results]
    assert {case.classname for case in suite} == {run.document.name}
    assert suite.tests == len(names)


@pytest.mark.parametrize(("fail_on", "failing"), [
    (Severity.ERROR, {"document", "footnote 2", "footnote 3", "footnote 7", "footnote 9"}),
    (Severity.WARNING, {"document", "footnote 2", "footnote 3", "footnote 4", "footnote 7",
                        "footnote 8", "footnote 9"}),
    (Severity.INFO, {"document", "footnote 2", "footnote 3", "footnote 4", "footnote 6",
                     "footnote 7", "footnote 8", "footnote 9", "footnote 11"}),
])
def test_failures_at_or_above_fail_on(run, fail_on, failing):
    suite = parse(run, fail_on=fail_on)
    failed = {case.name for case in suite
              if any(isinstance(r, Failure) for r in case.result)}
    assert failed == failing
    assert suite.failures == len(failing)


def test_failure_carries_the_messages_lower_severities_go_to_system_out(run):
    case = cases_by_name(parse(run))["footnote 2"]
    [failure] = [r for r in case.result if isinstance(r, Failure)]
    assert failure.type == "title-mismatch"
    assert "title-mismatch on note 2" in failure.text
    assert "publisher-mismatch" not in failure.text
    assert "publisher-mismatch on note 2" in case.system_out
    assert "date-matches-updated on note 2" in case.system_out


def test_unchecked_links_without_failures_are_skipped(run):
    cases = cases_by_name(parse(run))
    skipped = {name for name, case in cases.items()
               if any(isinstance(r, Skipped) for r in case.result)}
    assert skipped == {"footnote 5", "footnote 6", "footnote 10", "footnote 12"}
    assert cases["footnote 1"].is_passed


def test_control_characters_never_break_the_xml(make_run, run):
    item = run.results[1]
    nasty = "".join(chr(c) for c in range(32)) + "\x7f\x85\ud800\ufffe end"
    finding = dataclasses.replace(item.findings[0], message=nasty)
    citation = dataclasses.replace(item.citation, id="2\x00\x0b")
    suite = parse(make_run(results=(dataclasses.replace(item, citation=citation,
                                                        findings=(finding,)),)))
    [case] = [case for case in suite if case.name.startswith("footnote")]
    assert case.name == "footnote 2"
    assert "end" in case.result[0].text


def test_empty_run_is_an_empty_suite(make_run):
    suite = parse(make_run(results=(), findings=()))
    assert suite.tests == 0 and list(suite) == []
