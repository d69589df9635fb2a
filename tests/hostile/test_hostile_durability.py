"""Durability: `citecheck run` killed with SIGKILL at a seeded random moment, then repaired.

Each trial runs a report of twelve links on the hostile server (slow bodies, incompressible
megabytes, redirects, identical pages that become revisits) in a limited child, kills it at a
random moment once its index exists (the run is then fetching and writing: its slow links
alone take longer than the latest kill), and then:

- `citecheck archive verify` passes on every finished WARC file (strict);
- `citecheck archive recover` finishes the `.open` ones, and `archive verify` passes on all;
- the index the killed run left agrees with one rebuilt from the WARC files (in a copy):
  every capture and result it lists is readable and the same in the rebuilt index;
- running again finishes the report without asking the server again for any link the killed
  run had archived (resume), and the archive is still valid and consistent.

Each kill counts in the tally's `kills`; each trial that passes all of this in
`kills_recovered`. The default tier runs DEFAULT_TRIALS trials, the slow tier SLOW_TRIALS.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from hostile_archive import (
    assert_index_agrees,
    assert_verified,
    has_tables,
    recover_and_verify,
    rows,
    wait_for,
)
from hostile_cli import CliRunner
from hostile_server import HostileServer
from hostile_tally import Case, Tally

from citecheck.archive import layout

DEFAULT_TRIALS = 3
SLOW_TRIALS = 60
KILL_SPAN = 1.2  # seconds after the index appears within which the kill lands
TRIAL_BUDGET = 90.0  # seconds a trial may take before it counts as a hang
LINKS = 12
SEEDS = [*range(DEFAULT_TRIALS),
         *(pytest.param(seed, marks=pytest.mark.slow)
           for seed in range(DEFAULT_TRIALS, SLOW_TRIALS))]


def link_path(number: int) -> str:
    """The hostile server path of note `number`: each URL asked for once per fetch."""
    kind = number % 4
    if kind == 0:
        return f"/page?n={number}"  # identical bodies: revisits of the first one
    if kind == 1:
        return f"/trickle-body?size=30&interval=0.05&n={number}"  # 1.5 s each
    if kind == 2:
        return f"/noise?size=1500000&seed={number}"  # 1.5 MB that does not compress
    return f"/to?addr={quote(f'/page?via={number}')}"  # a redirect, then a page


def write_report(folder: Path, server: HostileServer) -> Path:
    """A Markdown report whose notes cite the hostile server's links."""
    claims = " ".join(f"Claim {n}.[^{n}]" for n in range(1, LINKS + 1))
    notes = "\n".join(f"[^{n}]: Page {n}, Monitor, 2024, {server.url(link_path(n))}"
                      for n in range(1, LINKS + 1))
    report = folder / "report.md"
    report.write_text(f"# Report\n\n{claims}\n\n{notes}\n", encoding="utf-8")
    return report


def run_args(report: Path, archive: Path) -> list[str]:
    return ["run", str(report), "--allow-private", "--archive", str(archive), "-q"]


def kill_mid_run(cli: CliRunner, report: Path, archive: Path, seed: int) -> bool:
    """Start a run, SIGKILL it at a seeded moment after its index appears; was it running?"""
    child, log = cli.start(*run_args(report, archive))
    wait_for(lambda: layout.index_path(archive).exists() or child.proc.poll() is not None)
    threading.Event().wait(random.Random(seed).uniform(0.0, KILL_SPAN))
    running = child.proc.poll() is None
    child.kill()
    cli.finish(child, log, killed=True)
    return running


def archived_targets(archive: Path) -> set[str]:
    """The request targets of the links the killed run finished (a result with a capture)."""
    if not has_tables(layout.index_path(archive)):
        return set()
    found = rows(layout.index_path(archive), "select url from citations "
                                             "where capture_record_id is not null")
    return {row["url"].split("/", 3)[3] for row in found}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_run_killed_at_a_random_moment(hostile: HostileServer, cli: CliRunner, tally: Tally,
                                         case: Case, tmp_path: Path, seed: int) -> None:
    case.deadline = TRIAL_BUDGET
    archive, report = tmp_path / "archive", write_report(tmp_path, hostile)
    assert kill_mid_run(cli, report, archive, seed)
    tally.kills += 1
    recover_and_verify(archive)
    assert_index_agrees(archive, tmp_path)
    done, asked = archived_targets(archive), len(hostile.targets)

    cli(*run_args(report, archive), codes=(0, 1))
    again = {target.lstrip("/") for target in hostile.targets[asked:]}
    assert done & again == set()  # nothing the killed run had archived was fetched again
    [finished] = rows(layout.index_path(archive),
                      "select run_id from runs where finished is not null")
    results = rows(layout.index_path(archive), "select citation_id from citations where "
                                               f"run_id = '{finished['run_id']}'")
    assert len(results) == LINKS
    assert assert_verified(archive) >= 1
    assert_index_agrees(archive, tmp_path)
    tally.kills_recovered += 1


def test_an_index_left_without_tables_is_made_whole(hostile: HostileServer, cli: CliRunner,
                                                   tmp_path: Path) -> None:
    """A run killed as it opened a new archive leaves index.db in WAL mode and empty."""
    archive, report = tmp_path / "archive", write_report(tmp_path, hostile)
    layout.index_path(archive).parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(layout.index_path(archive))) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    assert not has_tables(layout.index_path(archive))
    recover_and_verify(archive)
    assert_index_agrees(archive, tmp_path)
    assert archived_targets(archive) == set()
    cli(*run_args(report, archive), codes=(0, 1))
    assert len(rows(layout.index_path(archive), "select citation_id from citations")) == LINKS
    assert_index_agrees(archive, tmp_path)
