"""The CPU stage and the extraction helper, on their own."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from citecheck.stages import CpuStage, extract_in_helper, page_from


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


def test_the_helper_extracts_a_page():
    body = b"<html><head><title>Harvest figures for the valley</title></head><body></body></html>"
    pending = extract_in_helper(body, url="http://example.org/harvest",
                                headers=[("Content-Type", "text/html")], status=200,
                                max_decoded=1_000_000)
    assert page_from(pending, "text/html").title == "Harvest figures for the valley"


def test_a_helper_that_died_gives_a_page_without_metadata():
    dead: Future = Future()
    dead.set_exception(BrokenProcessPool("the helper was killed"))
    page = page_from(dead, "text/html; charset=utf-8")
    assert (page.content_type, page.title, page.size) == ("text/html", None, 0)
