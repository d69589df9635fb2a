"""The accuracy evaluation's figures as terminal tables, a listing, and docs/benchmarks.md text.

`Evaluation` holds what benchmarks/accuracy_eval.py measured; the functions here only format it.
In docs/benchmarks.md the `## Accuracy` section is written by hand, except the figures between
the markers `<!-- accuracy-figures -->` and `<!-- /accuracy-figures -->`, which `--write-docs`
rewrites (a missing section is created with a short introduction).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accuracy_notes import DATE_VARIANTS, PLANTED, TITLE_VARIANTS, KindScore, Scores

SPLITS = ("tune", "holdout", "all")
PUBLISHER_KINDS = ("site name", "domain", "acronym", "domain label")
CORRECT_KINDS = ([f"title: {k}" for k in TITLE_VARIANTS] + [f"date: {k}" for k in DATE_VARIANTS]
                 + [f"publisher: {k}" for k in PUBLISHER_KINDS])
START, END = "<!-- accuracy-figures -->", "<!-- /accuracy-figures -->"
INTRO = """## Accuracy

`benchmarks/accuracy_eval.py` measures how well `citecheck run` verifies footnotes against real
pages (../shared/corpus), end to end: it serves the pages under their original URLs through a
local intercepting proxy, cites each correctly (with benign variations) and with one planted
error per footnote, runs the CLI and scores report.json. Run it with
`/work/venv/bin/python benchmarks/accuracy_eval.py` (add `--write-docs` to update the figures
below, `--show all` to list every false finding and missed error).

"""


@dataclass
class Evaluation:
    """Everything one evaluation measured, per split (tune, holdout, all)."""

    scores: dict[str, Scores]
    extraction: dict[str, dict[str, float]]
    times: dict[str, float] = field(default_factory=dict)
    runs: dict[str, Any] = field(default_factory=dict)  # name -> accuracy_run.Run
    pages: int = 0
    notes: tuple[int, int] = (0, 0)  # correct, planted


# --------------------------------------------------------------------------- terminal


def print_all(evaluation: Evaluation, show: str) -> None:
    """The tables, the times and (unless `show` is "none") the listing of one split."""
    print_scores(evaluation.scores)
    print_extraction(evaluation.extraction)
    print_times(evaluation)
    if show != "none":
        print_listing(evaluation.scores[show], show)


def print_scores(by_split: dict[str, Scores]) -> None:
    """The false-finding and catch tables, one column per split."""
    header = f"{'':40}" + "".join(f"{split:>22}" for split in by_split)
    print("\nfalse findings on correct footnotes (warning or error; info is not counted; "
          "target <= 1 %)\n" + header)
    for kind in CORRECT_KINDS:
        print(f"{kind:40}" + "".join(_cell(s.correct.get(kind)) for s in by_split.values()))
    print(f"{'notes with any warning or error':40}"
          + "".join(_cell(s.notes_correct) for s in by_split.values()))
    print("\nplanted errors caught (the matching code at warning or error; target >= 98 %)\n"
          + header)
    for kind in PLANTED:
        print(f"{kind:40}" + "".join(_cell(s.planted.get(kind)) for s in by_split.values()))
    print(f"{'all planted errors':40}"
          + "".join(_cell(planted_total(s)) for s in by_split.values()))


def planted_total(scores: Scores) -> KindScore:
    """All planted errors of a split as one count."""
    return KindScore(sum(c.n for c in scores.planted.values()),
                     sum(c.hits for c in scores.planted.values()))


def _cell(counts: KindScore | None) -> str:
    if counts is None or not counts.n:
        return f"{'-':>22}"
    return f"{counts.hits:>9}/{counts.n:<5} {counts.share:5.1f}%"


def print_extraction(table: dict[str, dict[str, float]]) -> None:
    """Extraction accuracy per split."""
    print("\nextraction against the gold values (pages with trust high/medium)")
    print(f"{'':40}" + "".join(f"{split:>12}" for split in table))
    for key in next(iter(table.values())):
        cells = "".join(f"{t[key]:>12.0f}" if key == "pages" else f"{t[key]:>11.1f}%"
                        for t in table.values())
        print(f"{key:40}{cells}")


def print_times(evaluation: Evaluation) -> None:
    """CPU per page in-process, and each run's wall and CPU time."""
    print("\ntime per page (CPU, in-process; verify = the five correct notes of a page)")
    for key, value in evaluation.times.items():
        print(f"  {key:24} {value:8.1f}")
    for name, run in evaluation.runs.items():
        print(f"  citecheck run ({name}): {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
              f"{run.urls} URLs, {len(run.report['citations'])} notes, "
              f"{1000 * run.wall / run.urls:.0f} ms wall per URL")


def print_listing(scores: Scores, split: str) -> None:
    """Every false finding and every missed planted error of a split."""
    print(f"\nfalse findings ({split}):")
    for row in scores.notes_correct.wrong or [None]:
        print("  " + describe(row))
    print(f"\nplanted errors missed ({split}):")
    misses = [row for counts in scores.planted.values() for row in counts.wrong]
    for row in misses or [None]:
        print("  " + describe(row))


def describe(row: dict[str, str] | None) -> str:
    """One false finding or miss on one line: page, note, finding, cited and found values."""
    if row is None:
        return "none"
    return (f"[{row['kind']}] {row['source']} note {row['note']}: {row['code']}/{row['severity']}"
            f" cited {row['cited']!r} found {row['found']!r} ({row['where']}) link {row['status']}")


# --------------------------------------------------------------------------- docs


def figures_markdown(evaluation: Evaluation, machine: str) -> str:
    """The figures as Markdown tables (what goes between the markers)."""
    scores, splits = evaluation.scores, list(evaluation.scores)
    head = "| | " + " | ".join(splits) + " |\n|---|" + "---:|" * len(splits) + "\n"
    lines = [f"Measured on {machine}: {evaluation.pages} pages, {evaluation.notes[0]} correct "
             f"and {evaluation.notes[1]} planted footnotes; the held-out third of the pages is "
             "scored apart.", "",
             "**False findings on correct footnotes** (warning or error; info is not counted; "
             "target ≤ 1 %)", "", head.rstrip()]
    lines += _rows(CORRECT_KINDS, lambda s, k: s.correct.get(k), scores)
    lines += _rows(["notes with any warning or error"], lambda s, _: s.notes_correct, scores)
    lines += ["", "**Planted errors caught** (the matching finding at warning or error; "
              "target ≥ 98 % each)", "", head.rstrip()]
    lines += _rows(list(PLANTED), lambda s, k: s.planted.get(k), scores)
    lines += _rows(["all planted errors"], lambda s, _: planted_total(s), scores)
    lines += ["", "**Extraction against the gold values** (found = the report's published "
              "date / title; a title is found when it is equal after normalising or fuzzy-equal "
              "(ratio ≥ 90, or contained); candidates = among every candidate extract_page "
              "gives)", "",
              head.rstrip()]
    for key in next(iter(evaluation.extraction.values())):
        lines.append(f"| {key} | " + " | ".join(
            f"{t[key]:.0f}" if key == "pages" else f"{t[key]:.1f} %"
            for t in evaluation.extraction.values()) + " |")
    return "\n".join(lines + ["", _times_markdown(evaluation)])


def _rows(kinds: list[str], pick: Callable[[Scores, str], KindScore | None],
          scores: dict[str, Scores]) -> list[str]:
    rows = []
    for kind in kinds:
        cells = [pick(s, kind) for s in scores.values()]
        if any(c is not None and c.n for c in cells):
            rows.append(f"| {kind} | " + " | ".join(
                f"{c.hits}/{c.n} ({c.share:.1f} %)" if c is not None and c.n else "–"
                for c in cells) + " |")
    return rows


def _times_markdown(evaluation: Evaluation) -> str:
    times = evaluation.times
    text = (f"**Time.** Extraction {times['extract mean ms']:.1f} ms CPU per page on average "
            f"(p95 {times['extract p95 ms']:.1f} ms), verify {times['verify mean ms']:.1f} ms "
            "for a page's five correct notes (in-process).")
    for name, run in evaluation.runs.items():
        text += (f" `citecheck run` on the {name} notes: {run.wall:.1f} s wall, {run.cpu:.1f} s "
                 f"CPU for {run.urls} URLs ({1000 * run.wall / run.urls:.0f} ms wall per URL).")
    return text


def write_docs(path: Path, figures: str) -> None:
    """Put the figures between the markers of the `## Accuracy` section (made if missing)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    block = f"{START}\n{figures.strip()}\n{END}"
    if START in text and END in text:
        pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
        text = pattern.sub(lambda _: block, text, count=1)
    elif re.search(r"^## Accuracy[ \t]*$", text, re.M):
        text = re.sub(r"^(## Accuracy[ \t]*\n)", lambda m: f"{m.group(1)}\n{block}\n", text,
                      count=1, flags=re.M)
    else:
        text = text.rstrip() + "\n\n" + INTRO + block + "\n"
    path.write_text(text.rstrip() + "\n", encoding="utf-8")
