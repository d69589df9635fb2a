"""End to end in headless Chromium: browse the archive, filter, open a citation, see the replay,
and prove that a script inside an archived page never runs.

The archived article carries a script that would change the parent's title, write to
localStorage and fetch a canary URL on a local server, plus an image on that server. None of it
may happen. Skipped when /usr/bin/chromium is absent, unless CITECHECK_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from browse_helpers import MARKER_TITLE, SITE, Built, build_archive
from chromium_kit import browse_served, launched_chromium
from playwright.sync_api import expect
from png_stats import png_stats
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from citecheck.browse import BrowseServer

pytestmark = pytest.mark.browser



class Canary:
    """A local server that records every request: nothing in an archived page may reach it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @Request.application
    def _app(self, request: Request) -> Response:
        self.hits.append(request.full_path)
        return Response("", status=204)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    server = Canary()
    yield server
    server.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, canary) -> Iterator[tuple[BrowseServer, Built]]:
    """The browse app on 127.0.0.1, port 0, in a thread, over an archive naming the canary."""
    built = build_archive(tmp_path_factory.mktemp("e2e") / "archive", canary=canary.url)
    with browse_served(built.path) as server:
        yield server, built


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def test_browse_filter_open_a_citation_and_see_the_replay(page, site, canary, tmp_path):
    server, built = site
    responses: list[tuple[str, int]] = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    page.goto(server.url)
    page.click("#documents >> text=freedonia-report.docx")
    rows = page.locator("#citations tbody tr")
    expect(rows).to_have_count(6)  # expect() waits for the navigation the click started
    page.select_option("#status", "ok")
    page.click(".filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"status=ok"))
    expect(rows).to_have_count(3)
    assert [rows.nth(i).get_attribute("data-note") for i in range(3)] == ["1", "5", "6"]
    page.click("#citations tbody tr[data-note='1'] td.title-cell a")
    expect(page).to_have_title(re.compile(r"^Footnote 1 "))
    title = page.title()
    frame = page.frame_locator("iframe.replay-frame")
    assert "Detainees" in frame.locator("h1").inner_text()
    page.wait_for_load_state("load")  # the frame's images and styles included

    assert page.title() == title  # the archived script did not reach the parent
    assert page.evaluate("localStorage.getItem('pwned')") is None
    replayed = [f for f in page.frames if "/replay/" in f.url]
    assert len(replayed) == 1 and replayed[0].title() != MARKER_TITLE
    assert canary.hits == []  # neither the script's fetch nor the image on the live server
    loaded = {url.split("url=")[-1]: status for url, status in responses if "/res?url=" in url}
    assert any(u.endswith("photo.png") and s == 200 for u, s in loaded.items()), loaded
    assert any(u.endswith("site.css") and s == 200 for u, s in loaded.items()), loaded

    shot = page.screenshot(path=str(tmp_path / "citation.png"),
                           clip={"x": 0, "y": 0, "width": 480, "height": 270})
    colours, inked = png_stats(shot)
    assert colours > 20 and inked > 0.2  # header bar, text, badges: not a blank page
    page.locator("iframe.replay-frame").scroll_into_view_if_needed()
    box = page.locator("iframe.replay-frame").bounding_box()
    frame_shot = page.screenshot(path=str(tmp_path / "replay.png"), clip={
        "x": box["x"], "y": box["y"], "width": 400, "height": 80})
    assert png_stats(frame_shot)[1] > 0.02  # the archived page's heading is drawn


def test_an_archived_page_opened_alone_runs_no_script(page, site, canary):
    server, built = site
    ref = built.ref("report-2", f"{SITE}/articles/detention")
    page.goto(f"{server.url}replay/{ref.record_id.strip('<>')}/")
    assert "Detainees" in page.locator("h1").inner_text()
    assert page.title() != MARKER_TITLE
    page.goto(server.url)
    assert page.evaluate("localStorage.getItem('pwned')") is None
    assert canary.hits == []


@pytest.mark.parametrize("width", [1280, 390])
def test_no_horizontal_overflow(browser, site, width):
    server, built = site
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    try:
        run = built.runs["report-2"]
        for path in ("", f"documents/{'ab12' * 16}", f"runs/{run}/citations/1"):
            tab.goto(server.url + path)
            scroll, inner = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert scroll <= inner, (path, scroll, inner)
    finally:
        context.close()
