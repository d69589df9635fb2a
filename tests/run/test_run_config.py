"""citecheck.toml beside citations.yml shapes `citecheck run`; flags win; bad files stop it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from fetch_loopback import Request, respond, trickle
from runkit import FAST_RETRIES, assert_valid_archive, cite, exchanges, read_records, write_project

TITLE = "Drought relief reaches the southern villages"
PAGE = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        f"<p>{'Lorries carried water to twelve villages. ' * 30}</p></body></html>").encode()
SRC = Path(__file__).resolve().parents[2] / "src"


def page(request: Request, conn) -> None:
    respond(conn, 200, PAGE, [("Content-Type", "text/html")])


def agents(server) -> list[str | None]:
    return [r.header("User-Agent") for r in server.requests]


def test_user_agent_exclude_and_domain_rules_from_the_file(raw_server, tmp_path, run):
    server = raw_server({"/news": page, "/private/draft": page})
    write_project(tmp_path, [cite("1", server.url("/news"), TITLE),
                             cite("2", server.url("/private/draft"), TITLE),
                             cite("3", server.url("/gone", host="localhost"), TITLE),
                             cite("4", server.url("/news", host="localhost"), TITLE)],
                  config=FAST_RETRIES + """
user_agent = "ReportDesk/1.0"
exclude = ["/private/"]
[domains."localhost"]
user_agent = "ReportDesk-local/1.0"
blocked_statuses = [404]
""")

    outcome = run(tmp_path)

    assert outcome.cite("1")["status"] == "ok"
    assert (outcome.cite("2")["status"], outcome.cite("2")["cause"]) == ("skipped", "excluded")
    assert [r.target for r in server.requests].count("/private/draft") == 0
    assert outcome.cite("3")["status"] == "blocked"  # a 404 there means "blocked"
    by_target = {(r.header("Host") or "").split(":")[0] + r.target: r.header("User-Agent")
                 for r in server.requests}
    assert by_target == {"127.0.0.1/news": "ReportDesk/1.0",
                         "localhost/gone": "ReportDesk-local/1.0",
                         "localhost/news": "ReportDesk-local/1.0"}
    sent = {q.uri: q.http["user-agent"] for q, _ in exchanges(read_records(outcome.archive))}
    assert sent[server.url("/news")] == "ReportDesk/1.0"
    assert_valid_archive(outcome.archive)


def test_flags_override_the_file(raw_server, tmp_path, run):
    server = raw_server({"/news": page})
    write_project(tmp_path, [cite("1", server.url("/news"), TITLE)],
                  config=FAST_RETRIES + 'user_agent = "FromFile/1"\ndeadline = "7s"\n'
                                        'max_body = "2MB"\n')

    outcome = run(tmp_path, "--user-agent", "FromFlag/2", "--deadline", "9")

    assert agents(server) == ["FromFlag/2"]
    db = sqlite_utils.Database(outcome.archive / "index.db")
    settings = json.loads(next(db["runs"].rows)["settings"])
    assert (settings["user_agent"], settings["deadline"], settings["max_body"]) == (
        "FromFlag/2", 9.0, 2_000_000)
    warcinfo = read_records(outcome.archive)[0]
    assert warcinfo.type == "warcinfo" and b'"user_agent":"FromFlag/2"' in warcinfo.payload


def test_a_deadline_from_the_file_cuts_a_slow_body(raw_server, halt, tmp_path, run):
    body = PAGE + b" " * 4000

    def slow(request, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:400])
        trickle(conn, body[400:], 0.05, halt)

    server = raw_server({"/slow": slow})
    write_project(tmp_path, [cite("1", server.url("/slow"), TITLE)],
                  config=FAST_RETRIES + 'deadline = "1s"\nread_timeout = "10s"\n')

    outcome = run(tmp_path)

    assert outcome.cite("1")["capture"]["truncated"] == "time"


def run_subprocess(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "citecheck", "run", "--allow-private", *args],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("config, words", [
    ('user_agent = "A"\ncolour = "red"\n', ["'colour'", "citecheck.toml"]),
    ("allow_private = true\n", ["allow_private", "citecheck.toml", "--allow-private"]),
    ('deadline = "soon"\n', ["deadline", "citecheck.toml"]),
    ('[domains."*.example.org"]\nspeed = 3\n', ["'speed'", "citecheck.toml"]),
], ids=["unknown-key", "allow-private", "bad-value", "unknown-domain-key"])
def test_a_bad_config_stops_the_run_in_one_line(raw_server, tmp_path, config, words):
    server = raw_server({"/news": page})
    write_project(tmp_path, [cite("1", server.url("/news"), TITLE)], config=config)

    proc = run_subprocess(tmp_path)

    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citecheck: error: "), proc.stderr
    assert all(word in lines[0] for word in words), lines[0]
    assert server.requests == [] and not (tmp_path / "archive").exists()


def test_pyproject_table_is_read_when_there_is_no_citecheck_toml(raw_server, tmp_path, run):
    server = raw_server({"/news": page})
    write_project(tmp_path, [cite("1", server.url("/news"), TITLE)], config="")
    (tmp_path / "pyproject.toml").write_text('[tool.citecheck]\nuser_agent = "Pyproject/1"\n',
                                             encoding="utf-8")

    run(tmp_path)

    assert agents(server) == ["Pyproject/1"]
