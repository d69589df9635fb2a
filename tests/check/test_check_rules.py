"""The pure parts of check: failure rule, cache, drift, redirect changes, annotation targets."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

import citecheck.annotate
import citecheck.check
import citecheck.verify.drift
import citecheck.verify.history
from citecheck.annotate import annotation_target, entry_lines
from citecheck.models import Code, DocumentInfo, LinkResult, LinkStatus, PageMetadata, Severity
from citecheck.verify.drift import (
    comparable_url,
    compare_pages,
    drift_finding,
    redirect_change,
    text_kept,
)
from citecheck.verify.history import (
    Observation,
    counts_as_dead,
    failure_streak,
    fresh,
    history_findings,
    observation,
)

T0 = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
DAY = 86400.0
OK, DEAD, GONE, BLOCKED = (LinkStatus.OK, LinkStatus.DEAD, LinkStatus.UNREACHABLE,
                           LinkStatus.BLOCKED)


def seen(*steps: tuple[float, LinkStatus]) -> list[Observation]:
    return [Observation(T0 + dt.timedelta(days=days), status) for days, status in steps]


@pytest.mark.parametrize("module", [citecheck.verify.drift, citecheck.verify.history,
                                    citecheck.check, citecheck.annotate])
def test_doctests(module):
    failures, _ = doctest.testmod(module)
    assert failures == 0


@pytest.mark.parametrize(("steps", "failures", "first_day"), [
    ([], 0, None),
    ([(0, OK)], 0, None),
    ([(0, DEAD)], 1, 0),
    ([(0, OK), (1, DEAD), (2, GONE)], 2, 1),
    ([(0, DEAD), (1, OK), (2, DEAD)], 1, 2),  # counted since the last success
    ([(0, DEAD), (1, BLOCKED), (2, DEAD)], 2, 0),  # a blocked check neither counts nor resets
    ([(2, DEAD), (0, DEAD), (1, OK)], 1, 2),  # order of the rows does not matter
])
def test_failure_streak(steps, failures, first_day):
    streak = failure_streak(seen(*steps))
    assert streak.failures == failures
    expected = None if first_day is None else T0 + dt.timedelta(days=first_day)
    assert streak.first == expected


@pytest.mark.parametrize(("steps", "needed", "span", "dead"), [
    ([(0, DEAD), (1, DEAD), (3, DEAD)], 3, 3 * DAY, True),
    ([(0, DEAD), (1, DEAD), (2, DEAD)], 3, 3 * DAY, False),  # three failures, two days
    ([(0, DEAD), (5, DEAD)], 3, 3 * DAY, False),  # five days, two failures
    ([(0, DEAD), (0.1, DEAD), (0.2, DEAD), (3, DEAD)], 3, 3 * DAY, True),
    ([(0, DEAD)], 1, 0, True),  # --dead-after 1 --dead-span 0: dead at once
    ([(0, DEAD), (1, OK), (2, DEAD), (3, DEAD)], 3, DAY, False),
])
def test_counts_as_dead(steps, needed, span, dead):
    assert counts_as_dead(failure_streak(seen(*steps)), needed, span) is dead


@pytest.mark.parametrize(("steps", "changed", "age_days", "hit"), [
    ([(0, OK)], False, 1, True),
    ([(0, OK)], False, 0.5, False),  # checked a day ago, max age half a day
    ([(0, DEAD)], False, 1, False),  # failures are never served
    ([(0, GONE)], False, 1, False),  # timeouts and connection errors neither
    ([(0, OK)], True, 1, False),  # a page that had drifted is looked at again
    ([(-1, OK), (0, DEAD)], False, 5, False),  # the newest look decides
    ([], False, 1, False),
])
def test_fresh(steps, changed, age_days, hit):
    observations = [Observation(o.at, o.status, changed) for o in seen(*steps)]
    now = T0 + dt.timedelta(days=1)
    found = fresh(observations, now, age_days * DAY)
    assert (found is not None) is hit


def test_no_max_age_no_cache():
    assert fresh(seen((0, OK)), T0, None) is None


@pytest.mark.parametrize(("at", "status", "valid"), [
    ("2026-03-01T12:00:00Z", "ok", True),
    ("2026-03-01T12:00:00+00:00", "dead", True),
    ("2026-03-01T12:00:00", "unreachable", True),
    ("yesterday", "ok", False),
    ("2026-03-01T12:00:00Z", "gone-fishing", False),
    (None, "ok", False),
])
def test_observation_from_stored_values(at, status, valid):
    assert (observation(at, status) is not None) is valid


@pytest.mark.parametrize(("status", "cause", "steps", "codes"), [
    (DEAD, "http", [(0, DEAD)], [Code.LINK_FAILING]),
    (DEAD, "http", [(0, DEAD), (1, DEAD), (3, DEAD)], [Code.LINK_DEAD]),
    (GONE, "timeout", [(0, GONE), (2, GONE), (4, GONE)], [Code.LINK_UNREACHABLE]),
    (GONE, "loop", [(0, GONE)], [Code.LINK_FAILING]),
    (BLOCKED, "http", [(0, BLOCKED)], [Code.LINK_BLOCKED]),  # blocked is said at once
    (LinkStatus.REFUSED, "refused", [], [Code.LINK_REFUSED]),
    (OK, None, [(0, OK)], []),
])
def test_history_findings(status, cause, steps, codes):
    link = LinkResult("https://example.org/a", status, reason="why", cause=cause)
    found = history_findings(link, failure_streak(seen(*steps)), 3, 3 * DAY, "7")
    assert [f.code for f in found] == codes
    assert all(f.note_id == "7" for f in found)


def test_link_failing_says_how_far_it_is_from_dead():
    link = LinkResult("https://example.org/a", DEAD, reason="HTTP 404", cause="http")
    [finding] = history_findings(link, failure_streak(seen((0, OK), (1, DEAD))), 3, 3 * DAY,
                                 "7")
    assert finding.severity is Severity.WARNING
    assert finding.evidence["failures"] == "1" and finding.evidence["needed"] == "3"
    assert finding.evidence["first_failure"] == "2026-03-02 12:00 UTC"
    assert finding.evidence["last_ok"] == "2026-03-01 12:00 UTC"
    assert "failed 1 of the 3 checks needed over 3 days" in finding.message


@pytest.mark.parametrize(("before", "now", "same"), [
    ("https://example.org/a", "http://www.example.org/a/", True),
    ("https://example.org/a?utm_source=x&id=2", "https://example.org/a?id=2", True),
    ("https://example.org/a?b=1&a=2", "https://example.org/a?a=2&b=1", True),
    ("https://example.org/a#part", "https://example.org/a", True),
    ("https://example.org/a", "https://example.org/", False),
    ("https://example.org/a", "https://example.org/login?next=/a", False),
    ("https://example.org/a", "https://example.net/a", False),
    ("https://example.org:8443/a", "https://example.org/a", False),
])
def test_comparable_urls(before, now, same):
    assert (comparable_url(before) == comparable_url(now)) is same
    assert (redirect_change(before, now, before) is None) is same


def test_redirect_change_says_both_ends():
    finding = redirect_change("https://example.org/a", "https://example.org/", "https://s.example/x")
    assert finding.code is Code.LINK_REDIRECT_CHANGED and finding.severity is Severity.WARNING
    assert finding.evidence == {"url": "https://s.example/x", "before": "https://example.org/a",
                                "now": "https://example.org/"}


ARTICLE = ("The commission heard forty witnesses over three weeks and found that the camp "
           "held twice as many people as it was built for, with one doctor for all of them. ")


@pytest.mark.parametrize(("before", "now", "low", "high"), [
    (ARTICLE * 3, ARTICLE * 3, 1.0, 1.0),
    (ARTICLE, ARTICLE.upper().replace(",", " ,"), 1.0, 1.0),  # normal forms compared
    (ARTICLE, "Menu Home News " + ARTICLE + " Related stories: more", 1.0, 1.0),
    (ARTICLE, ARTICLE.replace("forty", "fifty"), 0.7, 0.9),  # one word costs its shingles
    (ARTICLE, "An entirely different story about the harbour strike and its end.", 0.0, 0.0),
    (ARTICLE, "", 0.0, 0.0),
])
def test_text_kept(before, now, low, high):
    assert low <= text_kept(before, now) <= high


def test_nothing_captured_nothing_to_compare():
    assert text_kept("", ARTICLE) is None


def page(title: str | None, published: str | None = "2023-03-14", text: str = ARTICLE):
    return PageMetadata("text/html", 1000, title=title, published=published, text=text)


@pytest.mark.parametrize(("before", "now", "drifted"), [
    (page("Camp holds twice its capacity"), page("Camp holds twice its capacity"), False),
    (page("Camp holds twice its capacity"), page("Camp holds twice its capacity (updated)"),
     False),
    (page("Camp holds twice its capacity"), page("Sign in to continue"), True),
    (page("Camp holds twice its capacity"), page(None), True),
    (page(None), page("Anything"), False),  # no title captured: nothing to compare
    (page("Same"), page("Same", text="A short notice: this page was removed."), True),
    (page("Same"), page("Same", published="2024-01-01"), False),  # a date alone is not drift
])
def test_compare_pages(before, now, drifted):
    drift = compare_pages(before, before.text, now, 0.5)
    finding = drift_finding(drift, "https://example.org/a", "2026-01-01T10:00:00Z", 0.5)
    assert (finding is not None) is drifted


def test_drift_says_what_changed():
    before = page("Camp holds twice its capacity")
    now = page("Sign in to continue", published="2024-01-01", text="Sign in.")
    finding = drift_finding(compare_pages(before, before.text, now, 0.5), "https://x.example/a",
                            "2026-01-01T10:00:00Z", 0.5)
    assert finding.code is Code.CONTENT_DRIFT and finding.severity is Severity.WARNING
    assert finding.evidence["title_before"] == "Camp holds twice its capacity"
    assert finding.evidence["title_now"] == "Sign in to continue"
    assert (finding.evidence["published_before"], finding.evidence["published_now"]) == (
        "2023-03-14", "2024-01-01")
    assert finding.evidence["text_kept"] == "0.00"
    assert "since its capture of 2026-01-01" in finding.message


CITATIONS = """# citecheck citations
version: 1
document: {name: report.md, format: markdown, sha256: null}
citations:
- id: '1'
  kind: web
  url: https://example.org/a
  text: 'A, link: https://example.org/a'
- id: 'e2'
  kind: ibid
  text: Ibid
"""


def test_entry_lines():
    assert entry_lines(CITATIONS, "citations.yml") == {"1": 5, "e2": 9}


def test_entry_lines_of_an_empty_file():
    assert entry_lines("version: 1\ncitations: []\n", "citations.yml") == {}


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "reports" / "2026"
    folder.mkdir(parents=True)
    (folder / "citations.yml").write_text(CITATIONS, encoding="utf-8")
    return tmp_path


DOCS = {"markdown": DocumentInfo("report.md", "markdown"),
        "docx": DocumentInfo("report.docx", "docx"),
        "escape": DocumentInfo("../../etc/passwd", "markdown")}


@pytest.mark.parametrize(("document", "present", "file", "lines"), [
    ("markdown", True, "reports/2026/report.md", None),  # the document: its clauses' lines
    ("markdown", False, "reports/2026/citations.yml", {"1": 5, "e2": 9}),
    ("docx", True, "reports/2026/citations.yml", {"1": 5, "e2": 9}),  # no lines in a .docx
    ("escape", False, "reports/2026/citations.yml", {"1": 5, "e2": 9}),
])
def test_annotation_target_of_citations_yml(repo, document, present, file, lines):
    path = repo / "reports" / "2026" / "citations.yml"
    info = DOCS[document]
    if present:
        (path.parent / info.name).write_text("text", encoding="utf-8")
    target = annotation_target(path, info, True, environ={})
    assert target.file == file
    assert target.lines == lines


def test_annotation_target_of_a_document_given_directly(repo):
    path = repo / "reports" / "2026" / "report.docx"
    target = annotation_target(path, DOCS["docx"], False, environ={})
    assert (target.file, target.lines) == ("reports/2026/report.docx", {})
    target = annotation_target(path.with_suffix(".md"), DOCS["markdown"], False, environ={})
    assert (target.file, target.lines) == ("reports/2026/report.md", None)


def test_github_workspace_is_the_root(repo):
    path = repo / "reports" / "2026" / "citations.yml"
    target = annotation_target(path, DOCS["docx"], True,
                               environ={"GITHUB_WORKSPACE": str(repo / "reports")})
    assert target.file == "2026/citations.yml"
