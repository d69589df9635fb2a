import dataclasses
import re

import pytest

from citecheck.models import LinkStatus
from citecheck.report import render
from citecheck.report.common import status_label

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def footnote_rows(text: str) -> dict[str, str]:
    """The table rows that start a footnote, by id."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"\s*(\w+)\s+[✓✗⊘–·] [a-z-]+\s", line)
        if match:
            rows[match.group(1)] = line
    return rows


@pytest.mark.parametrize("width", [80, 100, 140])
def test_one_row_per_footnote_with_its_status_in_words(run, width):
    text = render(run, "text", width=width)
    rows = footnote_rows(text)
    assert list(rows) == [item.citation.id for item in run.results]
    for item in run.results:
        status = item.link.status if item.link else LinkStatus.NOT_CHECKED
        assert status_label(status) in rows[item.citation.id]
    assert max(len(line) for line in text.splitlines()[:-1]) <= width  # the summary may run on


def test_row_carries_http_status_verdicts_and_codes(run):
    rows = footnote_rows(render(run, "text", width=120))
    assert "404" in rows["3"] and "link-dead" in rows["3"]
    assert re.search(r"200\s+✗\s+✓\s+✗\s+title-mismatch", rows["2"])
    assert re.search(r"200\s+✓\s+✓\s+✓", rows["1"])
    assert "(ibid)" in rows["5"]


def test_findings_listed_worst_first_then_one_summary_line(run):
    lines = render(run, "text").splitlines()
    matches = [re.match(r"\S (error|warning|info)\s", line) for line in lines]
    severities = [m.group(1) for m in matches if m]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert len(severities) == len(run.all_findings())
    assert lines[-1].startswith("12 footnotes: 3 ok, 1 dead")
    assert "findings: 5 error, 3 warning, 4 info" in lines[-1]


def test_long_urls_are_shortened_not_wrapped(make_run, run):
    item = run.results[0]
    long_url = "https://www.example.org/" + "/".join(["section"] * 12) + "/final-page"
    link = dataclasses.replace(item.link, final_url=long_url)
    text = render(make_run(results=(dataclasses.replace(item, link=link),)), "text", width=80)
    row = footnote_rows(text)["1"]
    assert "…" in row and "final-page" in row and "https://" not in row


def test_no_colour_unless_asked(run):
    assert "\x1b" not in render(run, "text")
    coloured = render(run, "text", color=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured).splitlines()[-1] == render(run, "text").splitlines()[-1]


def test_rich_markup_in_values_is_printed_as_text(make_run, run):
    item = run.results[1]
    finding = dataclasses.replace(item.findings[0], message="[bold red]not markup[/] :warning:")
    text = render(make_run(results=(dataclasses.replace(item, findings=(finding,)),)), "text")
    assert "[bold red]not markup[/] :warning:" in text


def test_empty_run(make_run):
    text = render(make_run(results=(), findings=(), notices=()), "text")
    assert text.strip().splitlines()[-1].startswith("0 footnotes: none")


def test_the_environment_does_not_change_the_output(run, monkeypatch):
    expected = render(run, "text", width=90)
    for name, value in [("FORCE_COLOR", "1"), ("TTY_COMPATIBLE", "1"), ("COLUMNS", "30"),
                        ("TERM", "xterm-256color"), ("NO_COLOR", "1"), ("TTY_INTERACTIVE", "1")]:
        monkeypatch.setenv(name, value)
    assert render(run, "text", width=90) == expected
