"""Small pages built in code for the extraction tests (imported by the test modules)."""

from __future__ import annotations


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
