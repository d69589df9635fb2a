"""Headless Debian chromium for the browser tests, and the browse app served in a thread."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citecheck.browse import BrowseServer

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; playwright cannot download its own here
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """A Playwright browser on /usr/bin/chromium; a skip without it (a failure in CI)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CITECHECK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CITECHECK_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def browse_served(archive: Path) -> Iterator[BrowseServer]:
    """`citecheck browse` over an archive on 127.0.0.1, a free port, in a thread."""
    server = BrowseServer(archive, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
