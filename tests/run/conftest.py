"""Fixtures for the run tests: raw loopback servers that can misbehave, and the runner."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fetch"))

from fetch_loopback import Handler, Server
from runkit import Outcome, run_in_process


@pytest.fixture
def halt() -> Iterator[threading.Event]:
    """Set when the test ends: trickling and silent handlers return."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def raw_server(halt: threading.Event) -> Iterator[Callable[..., Server]]:
    """raw_server({"/path": handler}) -> a running threaded server on 127.0.0.1 port 0."""
    servers: list[Server] = []

    def start(routes: dict[str, Handler] | None = None, **kwargs) -> Server:
        server = Server(routes or {}, **kwargs)
        servers.append(server)
        return server

    yield start
    halt.set()
    for server in servers:
        server.close()


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """run(folder, *flags, allow_private=True) -> Outcome of `citecheck run` on that project."""
    return lambda folder, *args, **kwargs: run_in_process(capsys, folder, *args, **kwargs)
