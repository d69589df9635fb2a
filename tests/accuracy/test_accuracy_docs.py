"""docs/benchmarks.md: the accuracy figures go between their markers, nothing else changes."""

from __future__ import annotations

from accuracy_report import END, START, write_docs


def test_figures_added_with_a_section_when_missing(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Run\n\nwget comparison.\n")
    write_docs(path, "| a | 1 |")
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\n## Run\n\nwget comparison.\n")
    assert "## Accuracy" in text and f"{START}\n| a | 1 |\n{END}" in text


def test_figures_replaced_between_the_markers_only(tmp_path):
    path = tmp_path / "benchmarks.md"
    before = "# B\n\n## Accuracy\n\nhand text\n\n{}\n\nmore\n\n## Run\nx\n"
    path.write_text(before.format(f"{START}\nold\n{END}"))
    write_docs(path, "new")
    assert path.read_text() == before.format(f"{START}\nnew\n{END}")


def test_figures_put_under_an_existing_heading(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# B\n\n## Accuracy\n\nhand text\n")
    write_docs(path, "new")
    assert path.read_text() == f"# B\n\n## Accuracy\n\n{START}\nnew\n{END}\n\nhand text\n"
