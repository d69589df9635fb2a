"""Fixtures for the browse and export tests: one archive per session, the app, a client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # browse_helpers, also when run alone

from browse_helpers import Built, build_archive

from citecheck.browse import allowed_hosts, create_app
from citecheck.settings import Settings

MAX_DECODED = 1_000_000  # the replay's bound on decompressed bodies in these tests


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The test archive (read-only for every test: copy it to change it)."""
    return build_archive(tmp_path_factory.mktemp("browse") / "archive")


@pytest.fixture
def app(built: Built):
    """The browse app over the test archive, answering for 127.0.0.1 and localhost."""
    return create_app(built.path, hosts=allowed_hosts("127.0.0.1", 80),
                      settings=Settings(max_decoded=MAX_DECODED))


@pytest.fixture
def client(app):
    """A test client speaking to the app as http://127.0.0.1/."""
    return app.test_client()
