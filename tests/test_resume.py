"""Which links of an interrupted run a new run takes over (resume.py), and which it fetches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from citecheck.archive.index import ArchiveIndex
from citecheck.cli import run_cli
from citecheck.models import (
    CaptureRef,
    Citation,
    CitationResult,
    DocumentInfo,
    Kind,
    LinkResult,
    LinkStatus,
)
from citecheck.resume import RESUME_WINDOW, reusable_links, same_fetch_settings

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
DONE = "citecheck-20261128T100000Z-abcdef-00000.warc.gz"
OPEN = "citecheck-20261128T100000Z-abcdef-00001.warc.gz"


def result(url: str, *, status: LinkStatus = LinkStatus.OK, cause: str | None = None,
           warc: str | None = DONE, age: dt.timedelta = dt.timedelta(hours=1)) -> CitationResult:
    capture = None if warc is None else CaptureRef(
        warc, 0, 10, (NOW - age).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), f"<urn:uuid:{url}>")
    link = LinkResult(url, status, cause=cause, capture=capture)
    return CitationResult(Citation(id=url, text=url, kind=Kind.WEB, url=url), link)


@pytest.mark.parametrize("given, taken", [
    (result("a"), True),
    (result("a", status=LinkStatus.DEAD, cause="http"), True),  # a dead page was archived too
    (result("a", status=LinkStatus.UNREACHABLE, cause="error"), False),  # a bug: fetch again
    (result("a", status=LinkStatus.UNREACHABLE, cause="no-network"), False),
    (result("a", status=LinkStatus.REFUSED, cause="refused", warc=None), False),
    (result("a", warc=OPEN), False),  # its file is not finished (a live run's)
    (result("a", age=RESUME_WINDOW + dt.timedelta(seconds=1)), False),
    (result("a", age=RESUME_WINDOW), True),
    (result("not-cited"), False),
])
def test_which_links_are_taken_over(given: CitationResult, taken: bool) -> None:
    links = reusable_links([given], {"a", "b"}, now=NOW, finished=lambda name: name == DONE)
    assert (given.citation.url in links) is taken


def test_the_first_result_of_a_url_stands_for_it() -> None:
    first, second = result("a"), result("a", warc=None)
    links = reusable_links([first, second], {"a"}, now=NOW, finished=lambda name: True)
    assert links == {"a": first.link}


@pytest.mark.parametrize("change, same", [
    ({}, True),
    ({"command_line": "citecheck run other", "version": "9"}, True),
    ({"user_agent": "other"}, False),
    ({"deadline": 5.0}, False),
    ({"max_body": 10}, False),
    ({"allow_private": True}, False),
    ({"proxy": True}, False),
])
def test_same_fetch_settings(change: dict, same: bool) -> None:
    before = {"version": "1", "command_line": "citecheck run", "user_agent": "ua",
              "deadline": 30.0, "max_body": 50, "allow_private": False, "proxy": False}
    assert same_fetch_settings(before, {**before, **change}) is same


def test_interrupted_run_is_the_newest_run_if_it_never_finished(tmp_path: Path) -> None:
    document, other = DocumentInfo("a.md", "markdown", "1" * 64), DocumentInfo("b.md", "markdown")
    with ArchiveIndex.open(tmp_path) as index:
        assert index.interrupted_run(document) is None
        first = index.start_run("run", document, {}, now=NOW)
        index.start_run("run", other, {}, now=NOW + dt.timedelta(minutes=1))
        index.start_run("run --offline", document, {}, now=NOW + dt.timedelta(minutes=2))
        assert index.interrupted_run(document).run_id == first
        index.finish_run(first, {})
        assert index.interrupted_run(document) is None


def test_refetch_and_offline_do_not_go_together(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["run", str(tmp_path / "none.yml"), "--offline", "--refetch"]) == 2
    assert "--refetch" in capsys.readouterr().err
