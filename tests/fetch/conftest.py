"""Fixtures for the network tests: loopback servers torn down after each test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from fetch_loopback import Server, servers_until


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    """Set when the test ends: trickling and silent handlers return."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def serve(stop: threading.Event) -> Iterator[Callable[..., Server]]:
    """serve({"/path": handler}, host="127.0.0.1", port=0) -> a running Server."""
    with servers_until(stop) as start:
        yield start
