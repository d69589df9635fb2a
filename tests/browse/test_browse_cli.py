"""`citecheck browse` as a user runs it: a real server on 127.0.0.1, read over real sockets."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browse_helpers import REPORT

from citecheck.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with NO_PROXY.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def serving(built):
    """`citecheck browse --no-open --port 0` in a subprocess; yields the URL it prints."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "NO_PROXY": "*"}
    proc = subprocess.Popen([sys.executable, "-m", "citecheck", "browse", "--no-open",
                             "--port", "0", "--archive", str(built.path)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    try:
        line = proc.stderr.readline()  # printed once the socket listens
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        assert match, line
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_browse_serves_the_archive_on_loopback(serving):
    status, html = fetch(serving)
    assert status == 200 and REPORT.name in html
    port = serving.rsplit(":", 1)[1].rstrip("/")
    assert fetch(serving, host=f"localhost:{port}")[0] == 200
    assert fetch(serving, host=f"evil.example:{port}")[0] == 421


def test_browse_without_an_index_is_a_one_line_error(tmp_path, capsys):
    assert run_cli(["browse", "--no-open", "--archive", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no index.db" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command, options", [
    ("browse", ["--archive", "--host", "--port", "--no-open"]),
    ("export", ["--archive", "--wacz", "--cdxj", "--document"]),
])
def test_help_names_every_option(command, options, capsys):
    assert run_cli([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert all(option in text for option in options)


def test_browse_on_a_port_in_use_is_a_one_line_error(built, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = run_cli(["browse", "--no-open", "--port", str(port), "--archive", str(built.path)])
    err = capsys.readouterr().err
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err and err.count("\n") == 1


def test_a_server_never_started_shuts_down(built):
    from citecheck.browse import BrowseServer

    server = BrowseServer(built.path, "127.0.0.1", 0)
    server.shutdown()
    server.shutdown()
    server.serve_forever()  # after shutdown: returns at once
