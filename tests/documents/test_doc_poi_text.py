from __future__ import annotations

import pytest

from citecheck.documents import read_document
from citecheck.documents.poi_text import read_poi_text
from citecheck.models import Code, Severity

# Written for these tests in the shape of an Apache POI text export.
REPORT = (
    "Summary:\n"
    "The Watch Group reviewed prison conditions in the northern region during 2023.\n"
    "Section 12 of the Prisons Act requires daily access to water. Inspectors found that "
    "cells in Block C had no running water for weeks[footnoteRef:1]. "
    "[1:  Annual Inspection Report [2023 edition], Prisons Oversight Board, 4 May 2023, "
    "link: https://example.org/report?id=[12] ] \n"
    "\n"
    "Two lawyers were barred from visiting clients[footnoteRef:2], and one of them, "
    "M. K., was later fined[footnoteRef:3]. "
    "[2:  Lawyers denied access, Daily Courier, June 2, 2023, link: https://example.org/a ]  "
    "[3:  Ibid. ] \n"
    "The ministry denied the reports.\n"
)


@pytest.fixture
def doc():
    return read_poi_text(REPORT, "report.txt")


def test_notes_in_document_order_with_their_lines(doc) -> None:
    assert [(n.id, n.line, n.kind) for n in doc.notes] == [
        ("1", 3, "footnote"), ("2", 5, "footnote"), ("3", 5, "footnote")]
    assert doc.notes[1].text == "Lawyers denied access, Daily Courier, June 2, 2023, link: " \
                                "https://example.org/a"
    assert doc.notes[2].text == "Ibid."
    assert doc.findings == ()


def test_note_text_keeps_inner_brackets_and_urls(doc) -> None:
    assert doc.notes[0].text == (
        "Annual Inspection Report [2023 edition], Prisons Oversight Board, 4 May 2023, "
        "link: https://example.org/report?id=[12]")


def test_markers_have_lines_paragraphs_and_body_context(doc) -> None:
    assert [(m.note_id, m.line, m.paragraph) for m in doc.markers] == [
        ("1", 3, 3), ("2", 5, 4), ("3", 5, 4)]
    first, second, third = doc.markers
    assert first.context == "Inspectors found that cells in Block C had no running water for weeks"
    assert first.span.startswith("Section 12 of the Prisons Act")  # the locator stays in reach
    assert second.context == "Two lawyers were barred from visiting clients"
    assert third.context == "and one of them, M. K., was later fined"
    assert "[" not in third.sentence and "Daily Courier" not in third.sentence


def test_several_notes_on_one_line_and_body_without_notes(doc) -> None:
    assert doc.markers[2].sentence.endswith("was later fined.")
    assert doc.markers[2].span == "and one of them, M. K., was later fined"


@pytest.mark.parametrize("line, text", [
    ("Claim one[footnoteRef:4]. [4:  Report (draft [v2, 2020 ] \n", "Report (draft [v2, 2020"),
    ("Claim two[footnoteRef:4]. [4:  A note with no end\n", "A note with no end"),
])
def test_unbalanced_brackets_give_note_malformed(line: str, text: str) -> None:
    doc = read_poi_text(line + "Next paragraph[footnoteRef:5]. [5:  Fine note ] \n", "x.txt")
    assert [n.id for n in doc.notes] == ["4", "5"]
    assert doc.notes[0].text.startswith(text)
    assert doc.notes[1].text == "Fine note"
    (finding,) = doc.findings
    assert (finding.code, finding.severity, finding.note_id) == (
        Code.NOTE_MALFORMED, Severity.WARNING, "4")
    assert [m.note_id for m in doc.markers] == ["4", "5"]


def test_unbalanced_note_stops_where_the_next_note_starts() -> None:
    doc = read_poi_text("A[footnoteRef:1] B[footnoteRef:2]. [1:  Open [bracket  [2:  Two ] \n",
                        "x.txt")
    assert [(n.id, n.text) for n in doc.notes] == [("1", "Open [bracket"), ("2", "Two")]
    assert [f.note_id for f in doc.findings] == ["1"]


def test_stray_closing_bracket_keeps_the_rest_of_the_note() -> None:
    doc = read_poi_text("Claim[footnoteRef:7]. [7:  Title] of the thing, 2021 ] \n", "x.txt")
    assert doc.notes[0].text == "Title] of the thing, 2021"
    assert [f.code for f in doc.findings] == [Code.NOTE_MALFORMED]
    assert doc.markers[0].sentence == "Claim."


def test_note_of_several_paragraphs_spans_lines() -> None:
    text = ("Claim[footnoteRef:1]. [1:  First part of the note,\nsecond part of it ] \n"
            "Another claim[footnoteRef:2]. [2:  Short ] \n")
    doc = read_poi_text(text, "x.txt")
    assert [(n.id, n.text, n.line) for n in doc.notes] == [
        ("1", "First part of the note,\nsecond part of it", 1), ("2", "Short", 3)]
    assert [(m.line, m.paragraph) for m in doc.markers] == [(1, 1), (3, 2)]
    assert doc.findings == ()


def test_bracketed_number_without_marker_stays_body_text() -> None:
    doc = read_poi_text("See list [2: items] here[footnoteRef:1]. [1:  Note ] \n", "x.txt")
    assert [n.id for n in doc.notes] == ["1"]
    assert doc.markers[0].context == "See list [2: items] here"


def test_endnotes_get_an_e_when_footnotes_exist_too() -> None:
    text = ("One[footnoteRef:1] two[endnoteRef:1]. [1:  Foot ]  [1:  End ] \n"
            "Three[endnoteRef:2]. [2:  End two ] \n")
    doc = read_poi_text(text, "x.txt")
    assert [(n.id, n.kind, n.text) for n in doc.notes] == [
        ("1", "footnote", "Foot"), ("e1", "endnote", "End"), ("e2", "endnote", "End two")]
    assert [m.note_id for m in doc.markers] == ["1", "e1", "e2"]


def test_endnotes_alone_keep_plain_numbers() -> None:
    doc = read_poi_text("One[endnoteRef:1]. [1:  End ] \n", "x.txt")
    assert [(n.id, n.kind) for n in doc.notes] == [("1", "endnote")]


def test_marker_without_note_and_crlf_lines() -> None:
    doc = read_poi_text("Claim[footnoteRef:3].\r\nNext line.\r\n", "x.txt")
    assert doc.notes == ()
    assert [(m.note_id, m.line) for m in doc.markers] == [("3", 1)]


def test_repeated_note_with_other_text_is_reported() -> None:
    doc = read_poi_text("A[footnoteRef:1]. [1:  One ] \nB[footnoteRef:1]. [1:  Other ] \n",
                        "x.txt")
    assert [n.text for n in doc.notes] == ["One"]
    assert [f.code for f in doc.findings] == [Code.NOTE_MALFORMED]


def test_five_thousand_notes() -> None:
    lines = [
        f"Claim number {i} about the events in district {i % 40}[footnoteRef:{i}]. "
        f"[{i}:  Source [{i}], Publisher {i % 7}, 2 May 2022, link: https://example.org/{i} ] "
        for i in range(1, 5001)
    ]
    doc = read_document("\n".join(lines).encode(), "big.txt")
    assert len(doc.notes) == len(doc.markers) == 5000
    assert doc.notes[4999].text == ("Source [5000], Publisher 2, 2 May 2022, link: "
                                    "https://example.org/5000")
    assert doc.markers[4999].context == "Claim number 5000 about the events in district 0"
    assert doc.findings == ()


def test_seed_document(seed_path) -> None:
    doc = read_document(seed_path.read_bytes(), seed_path.name)
    assert doc.format == "poi-text"
    assert [n.id for n in doc.notes] == [str(i) for i in range(1, 14)]
    assert [m.note_id for m in doc.markers] == [str(i) for i in range(1, 14)]
    assert doc.findings == ()
    notes = {n.id: n for n in doc.notes}
    markers = {m.note_id: m for m in doc.markers}
    assert notes["9"].text == "Ibid"
    assert notes["2"].text.startswith("Article 93 of the Criminal Code")
    assert "Article 293 of the Criminal Code" in markers["2"].span
    assert markers["2"].context.endswith("Article 1 of the Convention")
    assert "Article No. 46 of Chapter Three" in markers["1"].sentence
    assert "A. S. was severely beaten" in markers["6"].sentence
    assert all(m.line == notes[m.note_id].line for m in doc.markers)
