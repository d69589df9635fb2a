"""The CPU stage and the extraction helper, on their own."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from citecheck import stages
from citecheck.stages import CpuStage


def test_tasks_run_in_order_and_the_first_error_comes_back():
    done: list[int] = []

    def task(n: int):
        def run() -> None:
            done.append(n)
            if n in (3, 5):
                raise ValueError(f"task {n}")
        return run

    stage = CpuStage(limit=2, max_bytes=10)
    with stage:
        for n in range(8):
            stage.submit(task(n), size=4)
        with pytest.raises(ValueError, match="task 3"):
            stage.finish()
    assert done == list(range(8))


PAGE = b"<html><head><title>Harvest figures for the valley</title></head><body></body></html>"
TITLE = "Harvest figures for the valley"


def pending(**kwargs) -> stages.PendingPage:
    return stages.PendingPage(PAGE, "http://example.org/harvest",
                              [("Content-Type", "text/html; charset=utf-8")], 200, 1_000_000,
                              "http://example.org/h", **kwargs)


def died() -> Future:
    future: Future = Future()
    future.set_exception(BrokenProcessPool("the helper was killed"))
    return future


def test_the_helper_extracts_a_page():
    page = stages.extract_in_helper(PAGE, url="http://example.org/harvest",
                                    headers=[("Content-Type", "text/html")], status=200,
                                    max_decoded=1_000_000, cited="http://example.org/h")
    assert page.future is not None  # it went to the helper process
    assert page.result()[0].title == TITLE


def test_the_helper_says_when_a_deep_link_ended_on_the_home_page():
    page = stages.extract_in_helper(PAGE, url="http://example.org/", headers=[], status=200,
                                    max_decoded=1_000_000, cited="http://example.org/2023/report")
    assert page.result()[1] is not None


def test_a_page_whose_helper_died_goes_to_a_new_helper(monkeypatch):
    monkeypatch.setattr(stages, "_helper", stages._Helper())
    stages._helper.worked = True

    page, home = pending(future=died()).result()

    assert page.title == TITLE and home is None  # sent again, to a new helper
    assert stages._helper.usable and stages._helper.generation == 1


def test_a_page_that_kills_two_helpers_is_given_up(monkeypatch):
    monkeypatch.setattr(stages, "_helper", stages._Helper())
    stages._helper.worked = True
    monkeypatch.setattr(stages._helper, "submit", lambda *args: (died(), 1))

    page, home = pending(future=died()).result()

    assert (page.content_type, page.title, page.size, home) == ("text/html", None, len(PAGE),
                                                                 None)


def test_a_helper_that_never_started_leaves_extraction_here(monkeypatch):
    monkeypatch.setattr(stages, "_helper", stages._Helper())

    assert pending(future=died()).result()[0].title == TITLE
    assert not stages._helper.usable
    later = stages.extract_in_helper(PAGE, url="http://example.org/later", headers=[],
                                     status=200, max_decoded=1_000_000, cited="http://a.org/l")
    assert later.future is None and later.result()[0].title == TITLE


def test_an_exception_in_the_helper_comes_back_to_the_caller(monkeypatch):
    monkeypatch.setattr(stages, "_helper", stages._Helper())
    failed: Future = Future()
    failed.set_exception(RuntimeError("extractor bug"))

    with pytest.raises(RuntimeError, match="extractor bug"):
        pending(future=failed).result()
    assert stages._helper.usable  # a bug is not a dead helper
