"""Fixtures for the run tests: raw loopback servers that can misbehave, and the runner."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fetch"))

from fetch_loopback import Server, servers_until
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
    with servers_until(halt) as start:
        yield start


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """run(folder, *flags, allow_private=True) -> Outcome of `citecheck run` on that project."""
    return lambda folder, *args, **kwargs: run_in_process(capsys, folder, *args, **kwargs)
