"""Fixtures for the note parser tests: POI text through the real reader, and the seed report."""

from __future__ import annotations

import pytest
from shared_paths import SEED

from citecheck.documents import read_document
from citecheck.models import Document


def read_poi(text: str, name: str = "report.txt") -> Document:
    """A Document from text in Apache POI's export format, read by citecheck's own reader."""
    return read_document(text.encode("utf-8"), name, "poi-text")


@pytest.fixture
def poi_document():
    """Build a Document from POI-style text."""
    return read_poi


@pytest.fixture
def seed_text() -> str:
    """The seed report, or skip with the reason."""
    if not SEED.is_file():
        pytest.skip(f"seed report not found at {SEED} (only present in the dev workspace)")
    return SEED.read_text(encoding="utf-8")
