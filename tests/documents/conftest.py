from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED_NAME = "seeds/000_bc4570a8dd256e68.txt"


@pytest.fixture
def seed_path() -> Path:
    """The seed POI export from ../shared (or ../../shared from a worktree), or skip."""
    for shared in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (shared / SEED_NAME).is_file():
            return shared / SEED_NAME
    pytest.skip(f"seed document {SEED_NAME} not found beside the repository "
                "(only present in the dev workspace)")
