"""CI output through the CLI: `citecheck run` and `check` on hostile pages, every format.

A report whose notes carry terminal escapes, bidi controls and workflow commands cites the
hostile server's pages: script and workflow commands in titles, a windows-1251 page, a title
that is not UTF-8, redirects whose targets carry escapes, and raw responses whose status
reason, Content-Type, site name and author are hostile. `citecheck run` (text, json,
markdown, html) and `citecheck check` (github on stdout; text, json, markdown, html and junit
to files at once) run as real processes: stdout, stderr and every report file must be inert
(hostile_output.assert_inert): no workflow command but citecheck's own, no escape sequence,
no control or bidi character.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from hostile_archive import citecheck, rows
from hostile_cli import CliRunner
from hostile_docs import HOSTILE_TEXT, PROSE
from hostile_output import assert_inert
from hostile_server import HostileServer
from test_hostile_ci_output import TARGETS

from citecheck.report import FORMATS

NOTE_TEXT = HOSTILE_TEXT.split("\x1b]8", 1)[0]  # without its hyperlink: the page's URL leads
EVIL = "\x1b[2J\x1b]0;t\x07::error file=a::x\u202e\r\n##vso[task.complete]"
EVIL_PAGE = (f"<html><head><title>T {EVIL}</title><meta property='og:site_name' content='{EVIL}'>"
             f"<meta name='author' content='{EVIL}'></head><body>{EVIL}</body></html>")


def raw(status_line: str, headers: list[tuple[str, str]], body: str) -> str:
    """A /raw path that makes the server answer exactly this response (UTF-8 bytes)."""
    data = body.encode()
    head = "".join(f"{name}: {value}\r\n" for name, value in
                   [*headers, ("Content-Length", str(len(data))), ("Connection", "close")])
    return "/raw?bytes=" + quote(f"{status_line}\r\n{head}\r\n".encode() + data, safe="")


def hostile_paths() -> list[str]:
    """Every hostile page and redirect the report cites."""
    return [
        "/xss", "/cp1251", "/bad-utf8",
        *(f"/to?addr={quote(target)}" for target in TARGETS),
        raw("HTTP/1.1 200 OK", [("Content-Type", f"text/html; charset=utf-8; x={EVIL}")],
            EVIL_PAGE),
        raw(f"HTTP/1.1 404 Not {EVIL.replace(chr(13) + chr(10), ' ')}",
            [("Content-Type", "text/html")], EVIL_PAGE),
        raw("HTTP/1.1 403 ::error::forbidden", [("Content-Type", "text/plain")], EVIL),
    ]


def write_report(folder: Path, server: HostileServer) -> Path:
    """Notes with hostile text citing each hostile page; the last one's escape holds a URL."""
    paths = hostile_paths()
    claims = " ".join(f"Claim {n} {HOSTILE_TEXT}.[^{n}]" for n in range(1, len(paths) + 2))
    notes = [f"[^{n}]: Report {NOTE_TEXT}, Monitor {n}, 2023, {server.url(path)}"
             for n, path in enumerate(paths, 1)]
    notes.append(f"[^{len(paths) + 1}]: Report {HOSTILE_TEXT}, 2023")
    report = folder / "report.md"
    report.write_text(f"# Report\n\n{PROSE}\n\n{claims}\n\n" + "\n".join(notes) + "\n",
                      encoding="utf-8")
    return report


def run_args(report: Path, *more: str) -> list[str]:
    return ["run", str(report), "--allow-private", "--archive", "archive", "--deadline", "5",
            "--retries", "0", *more]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_run_on_hostile_pages_is_inert(hostile: HostileServer, cli: CliRunner, tmp_path: Path,
                                       fmt: str) -> None:
    ran = cli(*run_args(write_report(tmp_path, hostile), "--format", fmt), codes=(1,))
    assert_inert(ran.stdout, fmt)
    assert_inert(ran.stderr, "text")
    assert "onerror=alert(1)" in ran.stdout  # the hostile title did reach the report, inert
    assert hostile.hits["xss"] == 1 and hostile.hits["raw"] == 3


def test_check_on_hostile_pages_is_inert_in_every_format(hostile: HostileServer,
                                                         cli: CliRunner, tmp_path: Path) -> None:
    report = write_report(tmp_path, hostile)
    cli(*run_args(report, "-q"), codes=(1,))
    others = [fmt for fmt in FORMATS if fmt != "github"]
    ran = cli("check", str(report), "--allow-private", "--archive", "archive", "--deadline", "5",
              "--retries", "0", "--format", "github",
              *(f"--report={fmt}=report.{fmt}" for fmt in others), codes=(1,),
              env={"GITHUB_WORKSPACE": str(tmp_path)})
    assert_inert(ran.stdout, "github")
    assert ran.stdout.startswith("::")  # annotations were written, and only ours
    assert_inert(ran.stderr, "text")
    for fmt in others:
        assert_inert((tmp_path / f"report.{fmt}").read_text(encoding="utf-8"), fmt)
    assert hostile.hits["xss"] == 2


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_reports_stay_bounded_whatever_a_page_says(hostile: HostileServer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   fmt: str) -> None:
    """A page giving 1 MB titles, site names, authors, JSON-LD and canonical URL."""
    monkeypatch.chdir(tmp_path)
    Path("citations.yml").write_text(
        "version: 1\ndocument: {name: r.md, format: markdown}\ncitations:\n"
        f"- {{id: '1', kind: web, title: Big, publisher: Big, url: '{hostile.url('/huge-meta')}'}}"
        "\n", encoding="utf-8")
    code, out, err = citecheck("run", "--allow-private", "--format", fmt)
    assert code in (0, 1), err
    assert_inert(out, fmt)
    assert "Big Big Big" in out and len(out) < 100_000  # cut: the page gave 10 MB
    rows_ = rows(tmp_path / "archive" / "index.db", "select result from citations")
    assert len(rows_[0]["result"]) < 100_000
