"""Fixtures for the verify tests: the real-page corpus and the seed report, when present."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve()


def _shared(name: str) -> Path | None:
    """../shared/NAME beside the checkout (CI) or higher up (a git worktree), if there."""
    for parent in HERE.parents:
        if (parent / "shared" / name).is_dir():
            return parent / "shared" / name
    return None


@pytest.fixture
def corpus() -> Path:
    """The real-page corpus, or skip with the reason."""
    found = _shared("corpus")
    if found is None or not (found / "manifest.jsonl").is_file():
        pytest.skip("real-page corpus ../shared/corpus not found (only in the dev workspace)")
    return found


@pytest.fixture
def seed_report() -> str:
    """The text of the first seed report, or skip with the reason."""
    found = _shared("seeds")
    reports = sorted(found.glob("*.txt")) if found else []
    if not reports:
        pytest.skip("seed report ../shared/seeds/*.txt not found (only in the dev workspace)")
    return reports[0].read_text(encoding="utf-8")
