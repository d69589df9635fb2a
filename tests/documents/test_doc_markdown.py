from __future__ import annotations

from citecheck.documents.markdown import read_markdown
from citecheck.models import Code

REPORT = """\
---
title: Field notes
---
# Detention in the north

Families were not told where relatives were held[^1]. The committee wrote to
the governor twice[^smith2020], and `code[^9]` is not a marker.

```
fenced[^9]
```

    indented[^9]

A court later ordered a review ^[Court order of 3 May 2021, see <https://example.org/order>].
An unknown note is cited here[^missing].

[^1]: Families in limbo, Northern Monitor, 12 January 2022,
    https://example.org/limbo

[^smith2020]: J. Smith, [Letters to the governor](https://example.org/letters), 2020.

    A second paragraph of the same note.

[^unused]: Defined but never cited.
"""


def test_notes_ids_order_and_lines() -> None:
    doc = read_markdown(REPORT, "r.md")
    assert doc.format == "markdown"
    assert [(n.id, n.line) for n in doc.notes] == [
        ("1", 18), ("smith2020", 21), ("inline-1", 15), ("unused", 25)]
    notes = {n.id: n for n in doc.notes}
    assert notes["1"].text == "Families in limbo, Northern Monitor, 12 January 2022, " \
                              "https://example.org/limbo"
    assert notes["smith2020"].text == ("J. Smith, Letters to the governor, 2020.\n"
                                       "A second paragraph of the same note.")
    assert notes["inline-1"].text == "Court order of 3 May 2021, see https://example.org/order"
    assert doc.findings == ()


def test_link_targets_only_when_not_visible() -> None:
    notes = {n.id: n for n in read_markdown(REPORT, "r.md").notes}
    assert notes["smith2020"].link_targets == ("https://example.org/letters",)
    assert notes["inline-1"].link_targets == ()


def test_markers_skip_code_and_keep_lines() -> None:
    doc = read_markdown(REPORT, "r.md")
    assert [(m.note_id, m.line, m.paragraph) for m in doc.markers] == [
        ("1", 6, 2), ("smith2020", 7, 2), ("inline-1", 15, 3), ("missing", 16, 3)]
    first, second = doc.markers[:2]
    assert first.context == "Families were not told where relatives were held"
    assert second.context == "The committee wrote to the governor twice"
    assert doc.markers[2].context == "A court later ordered a review"


def test_duplicate_definition_keeps_the_first() -> None:
    doc = read_markdown("Claim[^a].\n\n[^a]: First.\n\n[^a]: Second.\n", "r.md")
    assert [n.text for n in doc.notes] == ["First."]
    assert [f.code for f in doc.findings] == [Code.NOTE_MALFORMED]


def test_document_without_notes() -> None:
    doc = read_markdown("# Title\n\nPlain text only.\n", "r.md")
    assert doc.notes == () and doc.markers == ()
