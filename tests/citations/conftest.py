"""Fixtures for the note parser tests: the test-only POI reader and the seed report."""

from __future__ import annotations

import pytest
from poi_reader import SEED, read_poi


@pytest.fixture
def poi_document():
    """Build a Document from POI-style text (test-only reader)."""
    return read_poi


@pytest.fixture
def seed_text() -> str:
    """The seed report, or skip with the reason."""
    if not SEED.is_file():
        pytest.skip(f"seed report not found at {SEED} (only present in the dev workspace)")
    return SEED.read_text(encoding="utf-8")
