"""Fixtures for the extraction tests: small pages built in code, the real-page corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# shared/ sits beside the repository clone (CI, main) or beside the worktrees' folder
CORPUS_PLACES = (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")


@pytest.fixture(scope="module")
def shared_corpus() -> Path:
    """The real-page corpus, or skip with the reason."""
    for place in CORPUS_PLACES:
        if (place / "manifest.jsonl").is_file():
            return place
    pytest.skip(f"real-page corpus not found at {CORPUS_PLACES[0]} (only in the dev workspace)")
