"""Every page of the UI over an archive written like a real run: content, filters, safety."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest
from browse_helpers import BRIEF, HOSTILE_NOTE, HOSTILE_TITLE, REPORT, SITE

from citecheck.archive.index import document_id

REPORT_ID = document_id(REPORT)
BRIEF_ID = document_id(BRIEF)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def cell_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-note="([^"]+)"', html)


def doc_url(run: str | None = None, **args: str) -> str:
    query = "&".join(filter(None, [f"run={run}" if run else ""] +
                            [f"{k}={quote(v)}" for k, v in args.items()]))
    return f"/documents/{REPORT_ID}" + (f"?{query}" if query else "")


def test_home_lists_documents_and_runs_with_counts(client, built):
    html = page(client, "/")
    assert REPORT.name in html and BRIEF.name in html
    assert f'href="/documents/{REPORT_ID}"' in html
    assert f'href="/documents/{quote(BRIEF_ID)}"' in html or f'href="/documents/{BRIEF_ID}"' in html
    for run_id in built.runs.values():
        assert run_id in html
    runs = html.split('id="runs"')[1]
    latest = runs.split("</tr>")[1]  # newest run first: the report's second
    assert built.runs["report-2"] in latest
    assert "3 × ✓ ok" in latest and "1 × ✗ dead" in latest and "1 × ✗ unreachable" in latest


def test_document_shows_the_latest_run_by_default(client, built):
    html = page(client, doc_url())
    assert f'<option value="{built.runs["report-2"]}" selected' in html
    assert cell_ids(html) == ["1", "2", "3", "4", "5", "6"]
    older = page(client, doc_url(built.runs["report-1"]))
    assert cell_ids(older) == ["1", "2", "3", "4", "5"]
    assert "note-unreferenced" in older  # the first run's finding about the document
    assert "note-unreferenced" not in html


@pytest.mark.parametrize("args, expected", [
    ({"status": "ok"}, ["1", "5", "6"]),
    ({"status": "dead"}, ["2"]),
    ({"status": "not-checked"}, ["3"]),
    ({"code": "date-mismatch"}, ["1"]),
    ({"code": "link-unreachable"}, ["4"]),
    ({"q": "Freedonia Courts"}, ["2"]),  # the publisher
    ({"q": "harbour"}, ["4"]),  # the cited title
    ({"q": "41 detainees"}, ["1"]),  # only in the captured page's text: full-text search
    ({"q": '"unbalanced'}, []),  # FTS syntax in the query is taken literally
    ({"sort": "status"}, ["2", "4", "1", "5", "6", "3"]),
    ({"sort": "findings"}, ["1", "2", "4", "3", "5", "6"]),
    ({"sort": "id", "order": "desc"}, ["6", "5", "4", "3", "2", "1"]),
])
def test_document_filters_sorts_and_searches(client, built, args, expected):
    html = page(client, doc_url(built.runs["report-2"], **args))
    assert cell_ids(html) == expected
    assert f"Showing {len(expected)} of 6 footnotes" in html


def test_document_filter_options_come_from_the_run(client, built):
    html = page(client, doc_url())
    select = html.split('id="code"')[1].split("</select>")[0]
    codes = re.findall(r'<option value="([a-z-]+)"', select)
    assert set(codes) == {"date-mismatch", "link-dead", "link-unreachable"}


def test_ibid_row_points_at_the_note_it_repeats(client, built):
    html = page(client, doc_url())
    ibid = html.split('data-note="3"')[1].split("</tr>")[0]
    assert "ibid → footnote 1" in ibid and "not-checked" in ibid
    detail = page(client, f"/runs/{built.runs['report-2']}/citations/3")
    assert f'href="/runs/{built.runs["report-2"]}/citations/1">footnote 1</a>' in detail
    assert 'id="no-capture"' in detail


def test_citation_page_shows_the_evidence(client, built):
    run = built.runs["report-2"]
    ref = built.ref("report-2", f"{SITE}/articles/detention")
    html = page(client, f"/runs/{run}/citations/1")
    compare = unescape(html.split('id="compare"')[1].split("</table>")[0])
    assert "2023-03-15" in compare and "2023-03-14 (meta:article:published_time)" in compare
    assert "✗ mismatch" in compare and "✓ match" in compare
    findings = unescape(html.split('id="findings"')[1].split("</section>")[0])
    assert "date-mismatch" in findings and "<b>2023-03-15</b>" in findings
    hops = html.split('id="hops"')[1].split("</table>")[0]
    assert re.findall(r'<td class="num">(\d{3})</td>', hops) == ["301", "200"]
    assert "40 ms" in hops and "85 ms" in hops and f"{SITE}/s/1" in hops
    capture = unescape(html.split('id="capture"')[1].split("</dl>")[0])
    assert ref.warc in capture and str(ref.offset) in capture and ref.record_id in capture
    headers = unescape(html.split('id="headers"')[1].split("</table>")[0])
    assert "Set-Cookie" in headers and "session=stolen; Path=/" in headers
    slug = ref.record_id.strip("<>")
    assert f'<iframe class="replay-frame" sandbox src="/replay/{slug}/"' in html
    assert f'href="/records/{slug}/download"' in html
    assert "Archived copy" in html and ref.timestamp in html


def test_capture_history_says_when_the_page_changed(client, built):
    html = page(client, f"/runs/{built.runs['report-2']}/citations/1")
    rows = html.split('id="history"')[1].split("</table>")[0].split("<tr")[2:]
    assert [("changed" in r, "first capture" in r) for r in rows] == [(True, False),
                                                                      (False, True)]
    dead = page(client, f"/runs/{built.runs['report-2']}/citations/2")
    rows = dead.split('id="history"')[1].split("</table>")[0].split("<tr")[2:]
    assert ["unchanged" in r for r in rows] == [True, False]  # a revisit: same payload


def test_citation_without_a_capture(client, built):
    html = page(client, f"/runs/{built.runs['report-2']}/citations/4")
    assert 'id="no-capture"' in html and "connection refused" in html
    assert "<iframe" not in html and "unreachable" in html


def test_search_finds_page_text_with_snippets(client, built):
    html = page(client, "/search?q=detainees")
    hits = html.split('id="hits"')[1]
    assert hits.count("<li") == 2  # the detention page in both runs
    assert "<mark>detainees</mark>" in hits
    assert f'href="/runs/{built.runs["report-1"]}/citations/1"' in hits
    assert "0 pages found" in page(client, "/search?q=zebra")
    assert 'id="hits"' not in page(client, "/search?q=")


def all_pages(client, built) -> list[str]:
    urls = ["/", doc_url(), f"/documents/{BRIEF_ID}", "/search?q=detainees",
            "/search?q=%3Cscript%3E", doc_url(q="<script>alert(1)</script>"),
            doc_url(built.runs["report-1"])]
    for run in ("report-1", "report-2"):
        urls += [f"/runs/{built.runs[run]}/citations/{n}" for n in range(1, 6)]
    return urls


def test_hostile_strings_are_escaped_on_every_page(client, built):
    seen = ""
    for url in all_pages(client, built):
        html = page(client, url)
        assert "<script" not in html.lower(), url  # the UI has no script at all
        assert "<img" not in html.lower() and "<b>" not in html, url
        assert "\u202e" not in html
        seen += html
    assert "Detainees &lt;script&gt;document.title=" in seen  # shown, as text
    assert "onerror=alert(1)" in unescape(seen) and HOSTILE_NOTE.split()[0] in seen
    assert HOSTILE_TITLE not in seen


def test_ui_pages_carry_their_security_headers(client, built):
    for url in all_pages(client, built)[:4]:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp and headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.2",
                                  "localhost.evil.example", "127.0.0.1:8080"])
def test_a_foreign_host_header_is_refused(client, host):
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 421
    assert "Detainees" not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/documents/nope", "/runs/nope/citations/1", "/documents/../index.db",
    "/static/../index.db", "/static/..%2f..%2findex.db", "/static/%2e%2e/app.py",
    "/replay/..%2f..%2findex.db/", "/replay/urn:uuid:..%2f..%2fetc%2fpasswd/",
    "/records/..%2findex.db/download", "/records/urn:uuid:0000/download",
    "/records/%2e%2e%2fwarc%2f/download", "/warc/", "/index.db", "/archive.lock",
])
def test_path_traversal_and_unknown_ids_are_404(client, built, url):
    assert client.get(url).status_code == 404


def test_an_unknown_run_of_a_document_is_404(client, built):
    page(client, doc_url("20000101T000000Z-000000"), 404)
    page(client, f"/runs/{built.runs['brief']}/citations/99", 404)


def test_the_app_never_writes_to_the_archive(client, built):
    files = sorted(p for p in built.path.rglob("*") if p.is_file())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files
              if p.name not in ("index.db-wal", "index.db-shm")}
    for url in all_pages(client, built):
        page(client, url)
    ref = built.ref("report-2", f"{SITE}/articles/detention")
    assert client.get(f"/replay/{ref.record_id.strip('<>')}/").status_code == 200
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before}
    assert after == before
    wal = built.path / "index.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_damaged_index_row_is_a_clear_error_page(built, tmp_path):
    import shutil
    import sqlite3

    from citecheck.browse import allowed_hosts, create_app

    archive = tmp_path / "archive"
    shutil.copytree(built.path, archive)
    with sqlite3.connect(archive / "index.db") as db:
        db.execute("update citations set result = '{\"citation\": 3}' where citation_id = '2'")
    client = create_app(archive, hosts=allowed_hosts("127.0.0.1", 80)).test_client()
    html = page(client, f"/runs/{built.runs['report-2']}/citations/2", 503)
    assert "footnote 2" in html and "rebuild the index" in html
    page(client, f"/runs/{built.runs['report-2']}/citations/1")  # the others still show
