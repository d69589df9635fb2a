"""`citecheck run` on a machine with no network: it gives up early and says so once.

The run is a real `citecheck` process whose name lookups all fail the way they do offline
(`socket.getaddrinfo` replaced before the CLI starts, each lookup noted on stderr), so what
the user would read on the terminal is what the test reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from runkit import assert_valid_archive, cite, read_records, write_project

SRC = Path(__file__).resolve().parents[2] / "src"
OFFLINE = """
import socket, sys
def no_network(host, *args, **kwargs):
    print("lookup", host, file=sys.stderr, flush=True)
    raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
socket.getaddrinfo = no_network
from citecheck.cli import main
main()
"""


def run_offline(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-c", OFFLINE, "run", "--format", "json",
                           "-o", "report.json"], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=120)


def test_no_network_ends_every_link_at_once_and_says_so_once(tmp_path):
    hosts = [f"https://site{n}.example.org/report/{n}" for n in range(40)]
    citations = [cite(str(n + 1), url, f"Annual report {n}") for n, url in enumerate(hosts)]
    # the same link under two titles: an offline check that needs no network
    citations.append(cite("41", hosts[0], "A different title for the same link"))
    write_project(tmp_path, citations)

    proc = run_offline(tmp_path)

    assert proc.returncode in (0, 1), proc.stderr
    lines = proc.stderr.splitlines()
    lookups = [line for line in lines if line.startswith("lookup ")]
    assert 3 <= len(lookups) < len(hosts)  # most links never tried a lookup
    said = [line for line in lines if "no network" in line]
    assert said == [line for line in said if line.startswith("citecheck: ")] and len(said) == 1
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert len(report["notices"]) == 1 and "no network" in report["notices"][0]
    by_id = {c["id"]: c for c in report["citations"]}
    assert {(c["status"], c["cause"]) for c in by_id.values()} == {("unreachable",
                                                                     "no-network")}
    assert "duplicate-url-different-title" in {f["code"] for f in by_id["41"]["findings"]}
    records = read_records(tmp_path / "archive")
    assert [r.type for r in records if r.type in ("request", "response")] == []
    assert sum(1 for r in records if r.type == "metadata") == len(citations) + 1  # + run end
    assert_valid_archive(tmp_path / "archive")
