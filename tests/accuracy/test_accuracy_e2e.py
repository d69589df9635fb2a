"""End to end through `citecheck run`: pages written for the tests, served under their own URLs.

Every page is cited correctly five ways (benign variations) and once per planted error; the
notes go through the real CLI behind a local intercepting proxy (HTTPS included, half of them
through a pretend shortener). No correct note may get a warning or an error, and every planted
error must get its finding.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from accuracy_notes import PLANTED, SHORTENER, NoteMaker, correct_notes, planted_notes, score
from accuracy_run import run_citecheck
from accuracy_web import InterceptingProxy, PretendWeb, url_key
from fixture_pages import PAGES

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    """(notes, merged report, requests the pretend web answered) of the two runs."""
    web = PretendWeb()
    for page in PAGES:
        web.add_page(page.source.url, page.body, page.charset)
    maker = NoteMaker(web, random.Random(20260601))
    sources = [page.source for page in PAGES]
    correct_notes(maker, sources)
    planted_notes(maker, sources)
    folder = tmp_path_factory.mktemp("accuracy")
    with InterceptingProxy(web) as proxy:
        reports = [run_citecheck(folder / name, [n for n in maker.notes if n.correct == correct],
                                 proxy, src=SRC, timeout=120).report
                   for name, correct in (("correct", True), ("planted", False))]
    merged = {"citations": reports[0]["citations"] + reports[1]["citations"]}
    return maker.notes, merged, list(web.requests)


def test_no_warning_or_error_on_correct_notes(outcome):
    notes, report, _ = outcome
    scores = score(notes, report)
    assert scores.notes_correct.n == 5 * len(PAGES)
    assert scores.notes_correct.wrong == []


def test_every_planted_error_is_caught(outcome):
    notes, report, _ = outcome
    scores = score(notes, report)
    assert set(scores.planted) == set(PLANTED)  # every kind was planted at least once
    missed = [row for counts in scores.planted.values() for row in counts.wrong]
    assert missed == []


def test_swapped_dates_were_planted_where_the_page_shows_the_swap(outcome):
    notes, report, _ = outcome
    by_id = {item["id"]: item for item in report["citations"]}
    swapped = {n.source: by_id[n.citation.id] for n in notes
               if n.kinds == ("date: day and month swapped",)}
    # a teaser (Folha do Planalto) and a comment (Midwest Ledger) carry the swapped date
    for key in ("folha-planalto", "midwest-ledger"):
        [finding] = [f for f in swapped[key]["findings"] if f["code"] == "date-mismatch"]
        assert finding["severity"] == "warning"
        assert finding["evidence"]["weak_support"]


@pytest.mark.parametrize("page", PAGES, ids=[page.source.key for page in PAGES])
def test_the_report_gives_each_pages_title_and_date(outcome, page):
    notes, report, _ = outcome
    by_id = {item["id"]: item for item in report["citations"]}
    first = next(n for n in notes if n.correct and n.source == page.source.key)
    found = by_id[first.citation.id]["found"]
    assert found["title"].startswith(page.source.title)
    assert found["published"] in (page.source.date, _next_day(page.source.date))


def test_links_went_through_the_shortener_and_tls(outcome):
    _, report, requests = outcome
    short = [item for item in report["citations"] if item["url"].startswith(SHORTENER)]
    assert short and all(item["redirects"][0]["status"] == 301 for item in short)
    assert url_key(PAGES[0].source.url) in requests  # an https:// page, served through CONNECT


def _next_day(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
