"""Fixtures for the extraction tests: small pages built in code, the real-page corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# shared/ sits beside the repository clone (CI, main) or beside the worktrees' folder
CORPUS_PLACES = (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")


@pytest.fixture
def shared_corpus() -> Path:
    """The real-page corpus, or skip with the reason."""
    for place in CORPUS_PLACES:
        if (place / "manifest.jsonl").is_file():
            return place
    pytest.skip(f"real-page corpus not found at {CORPUS_PLACES[0]} (only in the dev workspace)")


def html_page(head: str = "", body: str = "", *, lang: str = "en") -> str:
    """A small HTML document around the given head and body markup."""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f"<body>{body}</body></html>")


ARTICLE_TEXT = (
    "<p>The district council approved the new water plan on Tuesday after a long debate about "
    "the cost of pipes, pumps and the maintenance of wells in the outlying villages.</p>"
    "<p>Residents who spoke at the hearing said that 42 per cent of households still carry "
    "water from a standpipe, and that the plan should reach them first. The council said the "
    "first works would start before the rainy season.</p>"
    "<p>Critics asked who would pay for repairs once the contractor leaves; the council "
    "promised a maintenance fund in next year's budget.</p>"
)
