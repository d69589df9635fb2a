"""The hostile-input harness: servers, canary, scripted DNS, limited children, and the tally.

Every test here is a case. The tally (one per session) counts cases, crashes, hangs, canary
hits and the children's peak memory, and `pytest_terminal_summary` prints it as one line.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_child import ChildRun, driver_args, run_limited, vm_hwm
from hostile_cli import CliRunner
from hostile_net import Airlock
from hostile_server import HostileServer
from hostile_stage import Stage, build_stage, close_server
from hostile_tally import GRACE, Case, ChildCrashed, Hang, Tally

from citecheck.settings import Settings

TALLY = pytest.StashKey[Tally]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[TALLY] = Tally()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    report = yield
    if call.when == "call":
        item.config.stash[TALLY].record(getattr(item, "funcargs", {}).get("case"), call)
    return report


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    tally = config.stash.get(TALLY, None)
    if tally is not None and tally.cases:
        terminalreporter.write_line(tally.summary())
        for kind, nodeids in (("crash", tally.crashes), ("hang", tally.hangs)):
            for nodeid in nodeids:
                terminalreporter.write_line(f"  {kind}: {nodeid}")


@pytest.fixture(scope="session")
def tally(request: pytest.FixtureRequest) -> Tally:
    return request.config.stash[TALLY]


@pytest.fixture(autouse=True)
def case(request: pytest.FixtureRequest) -> Case:
    """This case's record; a case that runs work with a deadline sets `case.deadline`."""
    return Case(request.node.nodeid)


@pytest.fixture(autouse=True)
def airlock(monkeypatch: pytest.MonkeyPatch, tally: Tally) -> Iterator[Airlock]:
    """No connection from this process leaves the machine while a case runs; stops are hits."""
    lock = Airlock()
    monkeypatch.setattr(socket.socket, "connect", lock.wrap(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", lock.wrap(socket.socket.connect_ex))
    monkeypatch.setattr(socket, "getaddrinfo", lock.wrap_lookup(socket.getaddrinfo))
    yield lock
    tally.canary_hits += len(lock.stopped)


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    """The hostile server on 127.0.0.1 (for cases run with allow_private)."""
    server = HostileServer()
    yield server
    close_server(server)


@pytest.fixture
def stage(tally: Tally, airlock: Airlock) -> Iterator[Stage]:
    """The SSRF stage; at teardown the canary's unexpected hits go to the tally."""
    built = build_stage(airlock)
    if built is None:
        pytest.skip("could not bind one port on 127.0.0.1, ::1 and 127.0.0.2")
    yield built
    built.dns.release()
    tally.canary_hits += built.canary.unexpected
    built.canary.close()
    close_server(built.public)


@pytest.fixture
def child(tally: Tally, case: Case) -> Callable[..., dict[str, Any]]:
    """child(url, settings={…}, budget=s) -> the driver's JSON, plus "peak" (its VmHWM).

    The case's deadline becomes `budget` (default: the settings' deadline); the child's own
    elapsed time (the longest resolve, when it repeats) is what the hang count is judged by.
    The child runs with allow_private: the hostile server is on 127.0.0.1.
    """
    if not vm_hwm():
        pytest.skip("no VmHWM in /proc/self/status: a child's peak memory cannot be read here")

    def run(url: str, settings: dict[str, Any] | None = None, *, budget: float | None = None,
            record_sleeps: bool = False, repeat: int = 1) -> dict[str, Any]:
        changes = {"allow_private": True, **(settings or {})}
        case.deadline = budget if budget is not None else Settings(**changes).deadline
        args = driver_args(url, changes, record_sleeps=record_sleeps, repeat=repeat)
        ran = run_limited(args, limit=repeat * (case.deadline + GRACE) + 30)
        tally.child_peak(ran.peak_rss, fetching=True)
        outcome = _outcome(ran, case)
        tally.canary_hits += len(outcome["airlock"])
        return outcome

    return run


def _outcome(ran: ChildRun, case: Case) -> dict[str, Any]:
    if ran.timed_out:
        raise Hang(f"the child ran {ran.wall:.1f} s and was killed")
    if ran.returncode != 0:
        raise ChildCrashed(f"exit {ran.returncode}: {ran.stderr[-2000:]}")
    outcome = ran.result()
    case.elapsed = outcome["elapsed"]
    outcome["peak"] = ran.peak_rss
    return outcome


@pytest.fixture
def cli(tally: Tally, tmp_path: Path) -> CliRunner:
    """cli("run", "citations.yml", …) -> ChildRun, in tmp_path unless cwd= says otherwise."""
    return CliRunner(tally, tmp_path)
