"""End to end: `citecheck extract` then `citecheck run` against a pretend web on 127.0.0.1.

The document, the pages and the shortener are written for these tests. Every assertion reads
what the run left behind: the JSON report, the WARC files and the index.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Freedonia Monitor</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Freedonia Monitor">
<meta property="article:published_time" content="{date}T09:00:00Z">
</head><body><h1>{title}</h1><p class="byline">Published {date}</p>
<p>{text}</p></body></html>"""

PAGES = {
    "/articles/detention": ("Detainees describe beatings in Freedonia police cells", "2023-03-14",
                            "Lawyers told us that 37 detainees were beaten in custody."),
    "/articles/prisons": ("Prison conditions worsen across Freedonia", "2022-09-06",
                          "Overcrowding reached 140 per cent in the central prison."),
}

REPORT = """Our report on ill-treatment in Freedonia.
Lawyers said that 37 detainees were beaten in police cells[footnoteRef:1]. [1:  Detainees describe beatings in Freedonia police cells, Freedonia Monitor, 14 March 2023, link: {base}/s/a ]
Overcrowding reached 140 per cent in the central prison[footnoteRef:2]. [2:  Prison conditions worsen across Freedonia, Freedonia Monitor, 6 September 2022, link: {base}/s/b ]
The same prison was described again[footnoteRef:3]. [3:  Guards go on strike at the harbour, Freedonia Monitor, 6 September 2022, link: {base}/s/c ]
A court ruling was removed[footnoteRef:4]. [4:  Court ruling on detention, Freedonia Courts, 2 May 2021, link: {base}/s/gone ]
The ministry published its reply[footnoteRef:5]. [5:  Reply of the ministry, Ministry of Justice, 2022, link: {base}/s/home ]
Ibid[footnoteRef:6]. [6:  Ibid ]
"""  # noqa: E501


def article(path: str) -> Response:
    title, date, text = PAGES[path]
    body = ARTICLE.format(title=title, date=date, text=text)
    return Response(body, content_type="text/html; charset=utf-8")


@pytest.fixture
def web(httpserver):
    """A shortener and a news site on one loopback server."""
    redirects = {"/s/a": "/articles/detention", "/s/b": "/r/b", "/r/b": "/articles/prisons",
                 "/s/c": "/articles/prisons", "/s/gone": "/articles/removed", "/s/home": "/"}
    for source, target in redirects.items():
        httpserver.expect_request(source).respond_with_response(
            Response("moved", status=301, headers={"Location": target}))
    for path in PAGES:
        httpserver.expect_request(path).respond_with_handler(lambda r, p=path: article(p))
    httpserver.expect_request("/articles/removed").respond_with_data("gone", status=404)
    httpserver.expect_request("/").respond_with_data(
        "<html><head><title>Freedonia Monitor</title></head><body>Latest news</body></html>",
        content_type="text/html")
    return httpserver


@pytest.fixture
def project(tmp_path, web, citecheck_cli):
    """A folder with the report extracted into citations.yml."""
    base = web.url_for("").rstrip("/")
    (tmp_path / "report.txt").write_text(REPORT.format(base=base), encoding="utf-8")
    proc = citecheck_cli("extract", "report.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    return tmp_path


def run_json(citecheck_cli, folder: Path, *args: str) -> tuple[int, dict]:
    proc = citecheck_cli("run", "--allow-private", "--format", "json", "-o", "report.json",
                         *args, cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.returncode, json.loads((folder / "report.json").read_text(encoding="utf-8"))


def by_id(report: dict) -> dict[str, dict]:
    return {c["id"]: c for c in report["citations"]}


def codes(citation: dict) -> set[str]:
    return {f["code"] for f in citation["findings"]}


def test_run_resolves_archives_and_verifies(project, citecheck_cli):
    code, report = run_json(citecheck_cli, project)
    cites = by_id(report)
    assert code == 1  # a title mismatch and a dead link are errors
    assert cites["1"]["status"] == "ok" and codes(cites["1"]) == set()
    assert cites["1"]["final_url"].endswith("/articles/detention")
    assert [h["status"] for h in cites["2"]["redirects"]] == [301, 301, 200]
    assert cites["2"]["status"] == "ok" and codes(cites["2"]) == set()
    assert "title-mismatch" in codes(cites["3"])
    assert cites["4"]["status"] == "dead" and "link-dead" in codes(cites["4"])
    assert cites["5"]["status"] == "dead" and "link-soft-404" in codes(cites["5"])
    assert cites["6"]["same_as"] == "5" and cites["6"]["status"] == "not-checked"
    assert cites["1"]["found"]["title"] == PAGES["/articles/detention"][0]


def test_warc_holds_every_hop_and_the_index_agrees(project, citecheck_cli):
    _, report = run_json(citecheck_cli, project)
    warcs = sorted((project / "archive" / "warc").glob("*.warc.gz"))
    assert warcs and not list((project / "archive" / "warc").glob("*.open"))
    records = []
    for path in warcs:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                records.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI")))
    assert records[0][0] == "warcinfo"
    responses = [uri for kind, uri in records if kind in ("response", "revisit")]
    assert any(uri.endswith("/s/b") for uri in responses)
    assert any(uri.endswith("/r/b") for uri in responses)
    assert sum(1 for kind, _ in records if kind == "metadata") >= 5
    capture = by_id(report)["1"]["capture"]
    db = sqlite_utils.Database(project / "archive" / "index.db")
    row = next(db["captures"].rows_where("record_id = ?", [capture["record_id"]]))
    assert (row["warc"], row["offset"]) == (capture["warc"], capture["offset"])
    assert db["citations"].count == 6


def test_offline_run_verifies_from_the_archive_without_fetching(project, web, citecheck_cli):
    _, first = run_json(citecheck_cli, project)
    hits = len(web.log)
    code, again = run_json(citecheck_cli, project, "--offline")
    assert len(web.log) == hits  # no request reached the web
    assert again["offline"] is True
    for note_id, citation in by_id(first).items():
        assert codes(by_id(again)[note_id]) == codes(citation), note_id
        assert by_id(again)[note_id]["status"] == citation["status"], note_id


def test_offline_run_without_captures_says_not_archived(project, citecheck_cli):
    _, report = run_json(citecheck_cli, project, "--offline")
    assert "not-archived" in codes(by_id(report)["1"])


def test_guard_refuses_loopback_without_the_flag(project, web, citecheck_cli):
    proc = citecheck_cli("run", "--format", "json", "-o", "report.json", cwd=project)
    assert proc.returncode == 1
    report = json.loads((project / "report.json").read_text())
    assert {c["status"] for c in report["citations"] if c["url"]} == {"refused"}
    assert len(web.log) == 0


def test_run_on_a_document_directly(tmp_path, web, citecheck_cli):
    base = web.url_for("").rstrip("/")
    (tmp_path / "report.txt").write_text(REPORT.format(base=base), encoding="utf-8")
    code, report = run_json(citecheck_cli, tmp_path, "report.txt")
    assert by_id(report)["1"]["status"] == "ok"
    assert not (tmp_path / "citations.yml").exists()


@pytest.mark.parametrize("args, message", [
    (["run", "missing.yml"], "missing.yml: no such file"),
    (["run"], "citecheck extract"),
    (["run", "--max-body", "lots"], "not a size"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, citecheck_cli, args, message):
    if args == ["run", "--max-body", "lots"]:
        (tmp_path / "citations.yml").write_text(
            "version: 1\ndocument: {name: r.txt, format: poi-text}\ncitations: []\n")
    proc = citecheck_cli(*args, cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert message in err and "Traceback" not in err


def test_archive_verify_rebuild_and_recover_commands(project, citecheck_cli):
    run_json(citecheck_cli, project)
    assert citecheck_cli("archive", "verify", cwd=project).returncode == 0
    db_path = project / "archive" / "index.db"
    before = sqlite_utils.Database(db_path)["citations"].count
    proc = citecheck_cli("index", "rebuild", cwd=project)
    assert proc.returncode == 0, proc.stderr.decode()
    after = sqlite_utils.Database(db_path)
    assert after["citations"].count == before
    assert after["pages"].count >= 2  # page text is extracted again for full-text search
    assert citecheck_cli("archive", "recover", cwd=project).returncode == 0
    warc = sorted((project / "archive" / "warc").glob("*.warc.gz"))[0]
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 0xFF
    warc.write_bytes(bytes(data))
    proc = citecheck_cli("archive", "verify", cwd=project)
    assert proc.returncode == 1
    assert warc.name in proc.stdout.decode()


def test_a_bug_on_one_link_spares_the_others_and_exits_3(project, monkeypatch, capsys):
    import citecheck.extract
    from citecheck.cli import run_cli

    real = citecheck.extract.extract_page

    def flaky(body, *, url, **kw):
        if url.endswith("/articles/prisons"):
            raise RuntimeError("extractor bug")
        return real(body, url=url, **kw)

    monkeypatch.setattr(citecheck.extract, "extract_page", flaky)
    from citecheck import stages

    here = stages._Helper()
    here.usable = False  # pages are extracted in this process, where the patch is
    monkeypatch.setattr(stages, "_helper", here)
    monkeypatch.chdir(project)
    code = run_cli(["run", "--allow-private", "--format", "json", "-o", "report.json", "-q"])
    cites = by_id(json.loads((project / "report.json").read_text(encoding="utf-8")))
    assert code == 3
    assert cites["1"]["status"] == "ok"
    assert cites["2"]["cause"] == "error" and "extractor bug" in cites["2"]["reason"]
    assert "traceback saved to" in cites["2"]["reason"]
    assert "internal error" in capsys.readouterr().err
