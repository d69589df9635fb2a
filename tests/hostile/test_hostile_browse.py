"""The web UI over an archive of hostile pages: nothing archived may act in the browser.

The archive is made by a real `citecheck run` (a limited child) of footnotes citing the hostile
server's traps (hostile_server.trap_page: inline and external scripts, event handlers, meta
refresh, base, frames, objects, SVG, forms, javascript: links, CSS urls, each calling the
server's /beacon), the same trap with hostile headers (Set-Cookie, CSP, Refresh, HSTS,
Clear-Site-Data, Link…), served as text/plain and with no type at all, an SVG with a script,
a redirect to a javascript: URL, and the XSS page; titles and notes carry HTML. Then:

- every replayed capture carries the sandbox CSP and nosniff, its archived headers renamed,
  and its HTML holds no script, no handler, no refresh, no base and no live URL;
- every page of the UI escapes the hostile titles; a foreign Host header is refused; path
  traversal, foreign URLs and a tampered index lead nowhere;
- headless Chromium browses the citations and opens each capture alone: no script runs (no
  dialog, title and localStorage untouched) and the hostile server's beacon is never called.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from chromium_kit import browse_served, launched_chromium
from hostile_archive import rows
from hostile_child import run_limited
from hostile_server import SCRIPT_RAN, TRAP_TITLE, HostileServer
from hostile_stage import close_server
from hostile_tally import Case, Tally
from playwright.sync_api import Error as PlaywrightError

from citecheck.archive import ArchiveIndex
from citecheck.browse import BrowseServer, allowed_hosts, create_app
from citecheck.citations.store import dumps_citations
from citecheck.models import Citation, DocumentInfo, Kind

ARCHIVED_HEADERS = ["set-cookie", "refresh", "strict-transport-security", "clear-site-data",
                    "link", "access-control-allow-origin", "service-worker-allowed",
                    "content-disposition"]
URL_ATTRIBUTES = ("src", "href", "srcset", "data", "action", "poster", "xlink:href", "formaction",
                  "background", "srcdoc")
PATHS = ["/trap", "/trap?headers=1", "/trap?type=text/plain", "/trap?type=", "/svg-trap",
         "/to?addr=" + quote("javascript:fetch('/beacon?via=redirect')"), "/xss",
         "/to?addr=" + quote("/trap?via=redirect")]
ARCHIVED = re.compile(r"/replay/[^\s'\"()]*")  # a URL into the archive (the live one in its query)
SLUG_ATTRIBUTES = "//@src | //@href | //@srcset | //@data | //@action | //@poster"


@dataclass
class Site:
    """The hostile server, and the archive a run made of its pages."""

    server: HostileServer
    archive: Path
    airlock_log: Path
    beacons: int  # the beacon calls of the run itself: it follows a meta refresh, as it should

    def called_home(self) -> int:
        """Calls to the beacon since the run: what an archived page managed."""
        return self.server.hits["beacon"] - self.beacons

    @property
    def captures(self) -> list[str]:
        """Every capture's record id as a URL slug."""
        found = rows(self.archive / "index.db", "select record_id from captures")
        return [row["record_id"].strip("<>") for row in found]


def citations(server: HostileServer) -> str:
    """citations.yml: one footnote per trap, with HTML in its title and note."""
    notes = [Citation(id=str(n), text=f"{TRAP_TITLE}, Monitor, {server.url(path)}",
                      kind=Kind.WEB, url=server.url(path), title=TRAP_TITLE,
                      publisher="<b onmouseover=alert(3)>Monitor</b>")
             for n, path in enumerate(PATHS, 1)]
    return dumps_citations(notes, DocumentInfo("<script>alert(4)</script>.md", "markdown"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    server = HostileServer()
    folder = tmp_path_factory.mktemp("hostile-browse")
    (folder / "citations.yml").write_text(citations(server), encoding="utf-8")
    log = folder / "airlock.log"
    ran = run_limited(["-m", "citecheck", "run", "--allow-private", "--archive", "archive",
                       "--deadline", "5", "--retries", "0", "-q"], cwd=folder,
                      env={"HOSTILE_AIRLOCK": str(log)})
    assert ran.returncode == 1, ran.stderr[-2000:]
    yield Site(server, folder / "archive", log, server.hits["beacon"])
    close_server(server)


@pytest.fixture
def client(site: Site):
    return create_app(site.archive, hosts=allowed_hosts("127.0.0.1", 80)).test_client()


def test_the_run_archived_every_trap(site: Site, tally: Tally) -> None:
    assert len(site.captures) >= len(PATHS)
    tally.canary_hits += len(site.airlock_log.read_text().splitlines()) \
        if site.airlock_log.exists() else 0


# --------------------------------------------------------------------------- replay


def assert_sandboxed(response) -> None:
    csp = response.headers.get_all("Content-Security-Policy")
    assert len(csp) == 1 and csp[0].startswith("sandbox;") and "default-src 'none'" in csp[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script" not in csp[0] and "unsafe-eval" not in csp[0]
    for name in ARCHIVED_HEADERS:
        assert name not in {key.lower() for key, _ in response.headers.items()}, name


def assert_no_live_html(body: bytes, live: str) -> None:
    """Scripts stay (the sandbox stops them); no attribute leads to the live web or acts."""
    tree = lxml.html.document_fromstring(body)
    assert tree.xpath("//meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']") == []
    for element in tree.iter():
        for name, value in element.attrib.items():
            if (name.lower() == "srcdoc" or name.lower().startswith("on")
                    or (element.tag == "meta" and name == "content")):
                continue  # script (the sandbox stops it); a meta acts only by http-equiv
            assert "javascript:" not in value.lower(), (name, value)
            assert live not in ARCHIVED.sub("", value), (name, value)
    for value in tree.xpath(SLUG_ATTRIBUTES):
        assert value.startswith(("/replay/", "#", "data:")) or value in ("", "about:blank"), value


def test_every_capture_is_replayed_in_a_sandbox(site: Site, client) -> None:
    seen_headers = set()
    for slug in site.captures:
        response = client.get(f"/replay/{slug}/")
        assert_sandboxed(response)
        seen_headers |= {key.lower() for key, _ in response.headers.items()}
        location = response.headers.get("Location", "")
        assert location == "" or location.startswith(("/replay/", "#")), location
        if response.mimetype == "text/html" and response.data.strip():
            assert_no_live_html(response.data, f"127.0.0.1:{site.server.port}")
    assert {"x-archive-orig-set-cookie", "x-archive-orig-refresh",
            "x-archive-orig-content-security-policy", "x-archive-orig-clear-site-data",
            "x-archive-orig-strict-transport-security"} <= seen_headers


def test_resources_and_links_of_a_capture_stay_in_the_archive(site: Site, client) -> None:
    slug = site.captures[0]
    for url in [site.server.url("/beacon?via=res"), "file:///etc/passwd", "../../index.db",
                "javascript:alert(1)", "http://169.254.169.254/"]:
        response = client.get(f"/replay/{slug}/res", query_string={"url": url})
        assert response.status_code == 404
        assert_sandboxed(response)
    assert site.called_home() == 0


# --------------------------------------------------------------------------- the UI


def ui_pages(site: Site, client) -> list[str]:
    """Every page of the UI for this archive: home, document, each citation, searches."""
    [run] = rows(site.archive / "index.db", "select run_id, document_id from runs")
    pages = ["/", f"/documents/{run['document_id']}", "/search?q=Trap",
             "/search?q=" + quote("<script>alert(1)</script>"), "/search?q=%22",
             "/search?q=%22%22", f"/documents/{run['document_id']}?q=%22",
             f"/documents/{run['document_id']}?q=" + quote("<img src=x onerror=alert(5)>")]
    return pages + [f"/runs/{run['run_id']}/citations/{n}" for n in range(1, len(PATHS) + 1)]


def test_hostile_titles_are_escaped_in_every_page(site: Site, client) -> None:
    for path in ui_pages(site, client):
        response = client.get(path)
        assert response.status_code == 200, path
        tree = lxml.html.document_fromstring(response.data)
        assert tree.xpath("//script | //base | //object | //embed") == [], path
        assert not [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")]
        assert "script-src 'none'" in response.headers["Content-Security-Policy"]
        assert b"<script>alert" not in response.data.lower(), path
    cited = client.get(ui_pages(site, client)[-1]).data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in cited  # shown, as text


def test_a_search_of_nothing_but_quotes_finds_nothing(site: Site) -> None:
    """FTS5 refuses an empty query: it used to reach the UI as "the archive cannot be read"."""
    with ArchiveIndex.open_readonly(site.archive) as index:
        assert index.search('"') == index.search('""') == []
        assert index.search("Trap")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "127.0.0.1:8080", "[::1]:81", "",
                                  "127.0.0.1:80@evil.example", "10.0.0.1", "0x7f000001"])
def test_a_foreign_host_is_refused(site: Site, client, host: str) -> None:
    for path in ["/", f"/replay/{site.captures[0]}/", "/search?q=x"]:
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 421, (host, path)


TRAVERSALS = ["/replay/..%2F..%2Fetc%2Fpasswd/", "/replay/../../etc/passwd",
              "/records/..%2F..%2Findex.db/download", "/records/%2e%2e/download",
              "/static/../../../../etc/passwd", "/static/..%2F..%2Farchive.py",
              "/documents/..%2F..%2F..%2Fetc%2Fpasswd", "/runs/x/citations/..%2F..%2Findex.db",
              "/replay/urn:uuid:00000000-0000-0000-0000-000000000000/"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_leads_nowhere(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert b"root:" not in response.data and b"SQLite" not in response.data


def test_a_tampered_index_cannot_point_outside_the_archive(site: Site, tmp_path: Path) -> None:
    copy = tmp_path / "archive"
    shutil.copytree(site.archive, copy)
    secret = tmp_path / "secret.warc.gz"
    secret.write_bytes(b"root:x:0:0")
    with sqlite3.connect(copy / "index.db") as conn:
        conn.execute("update captures set warc = ?", [f"../../{secret.name}"])
    client = create_app(copy, hosts=allowed_hosts("127.0.0.1", 80)).test_client()
    for slug in site.captures[:3]:
        for path in (f"/replay/{slug}/", f"/records/{slug}/download"):
            response = client.get(path)
            assert response.status_code in (404, 503), path
            assert b"root:" not in response.data


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def served(site: Site) -> Iterator[BrowseServer]:
    with browse_served(site.archive) as server:
        yield server


def test_no_archived_script_runs_in_the_browser(site: Site, served: BrowseServer, browser,
                                                case: Case) -> None:
    case.deadline = 120.0
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    live: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile_netloc = f"127.0.0.1:{site.server.port}"
    context.on("request", lambda request: live.append(request.url)
               if urlsplit(request.url).netloc == hostile_netloc else None)
    [run] = rows(site.archive / "index.db", "select run_id from runs")
    try:
        for n in range(1, len(PATHS) + 1):
            tab.goto(f"{served.url}runs/{run['run_id']}/citations/{n}", wait_until="load")
            assert tab.title().startswith(f"Footnote {n} ")
        for slug in site.captures:
            open_alone(tab, f"{served.url}replay/{slug}/")
        tab.goto(served.url, wait_until="load")
        assert tab.evaluate(f"localStorage.getItem('{SCRIPT_RAN}')") is None
        assert context.cookies() == []
    finally:
        context.close()
    assert dialogs == []
    assert live == [] and site.called_home() == 0


def open_alone(tab, url: str) -> None:
    """Open a capture as the top page; bytes of no displayable type are downloaded instead."""
    try:
        tab.goto(url, wait_until="load")
    except PlaywrightError as exc:
        assert "Download is starting" in exc.message, exc.message
        return
    assert tab.title() != SCRIPT_RAN
