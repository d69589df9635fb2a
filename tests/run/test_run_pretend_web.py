"""The run benchmark's pretend web (benchmarks/pretend_web.py) answers as the benchmark says.

A shortener on 127.0.0.1 sends each short link to its page on one of several sites on their
own loopback addresses; `citecheck run` resolves them all, and no site gets another's page.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from runkit import assert_valid_archive, cite, exchanges, read_records, write_project

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from pretend_web import PretendWeb


def page(n: int) -> bytes:
    title = f"Field notes from the river survey, part {n}"
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>{'Samples were taken at dawn. ' * 20}</p></body></html>").encode()


@pytest.fixture
def web():
    with PretendWeb([page(n) for n in range(6)], hosts=3, latency=0.0) as pretend:
        yield pretend


def test_every_short_link_reaches_its_own_page(web, tmp_path, run):
    write_project(tmp_path, [cite(str(n), url, f"Field notes from the river survey, part {n}")
                             for n, url in enumerate(web.short_urls)])

    outcome = run(tmp_path)

    for n in range(6):
        note = outcome.cite(str(n))
        assert note["status"] == "ok" and outcome.codes(str(n)) == set(), n
        assert note["final_url"] == web.page_url(n)
        assert [hop["status"] for hop in note["redirects"]] == [301, 200]
    assert web.requests_by_kind() == {"shortener": 6, "sites": 6}
    sites = {r.uri.split("/")[2].split(":")[0] for _, r in exchanges(read_records(
        outcome.archive)) if "/p/" in (r.uri or "")}
    assert sites == {"127.0.0.2", "127.0.0.3", "127.0.0.4"}
    assert_valid_archive(outcome.archive)


def test_a_page_asked_of_the_wrong_site_is_not_found(web):
    assert web.answer("127.0.0.3", "/p/0").status == 404
    assert web.answer(web.site_address(0), "/p/0").status == 200
    assert web.answer("127.0.0.1", "/s/99").status == 404
