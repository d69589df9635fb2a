from __future__ import annotations

import pytest

from citecheck.documents.context import (
    CONTEXT_MAX,
    SENTENCE_MAX,
    SPAN_MAX,
    Paragraph,
    Ref,
    clip_start,
    markers_for,
    sentence_starts,
)


def sentences(text: str) -> list[str]:
    starts = sentence_starts(text) + [len(text)]
    return [text[a:b].strip() for a, b in zip(starts, starts[1:], strict=False)]


@pytest.mark.parametrize("text, expected", [
    ("The decree passed. It was repealed later.", ["The decree passed.", "It was repealed later."]),
    ("Was it lawful? Nobody asked!", ["Was it lawful?", "Nobody asked!"]),
    ("It is set out in Article No. 46 of the Constitution.", None),
    ("Art. 5 protects the right to liberty.", None),
    ("Prison No. 3 and Prison No. 14 were inspected.", None),
    ("The U.S. Congress held hearings in May.", None),
    ("Some bodies, e.g. The Red Cross, visited.", None),
    ("They detained the activist A. S. at dawn.", None),
    ("The court heard J. B, a teacher, on Monday.", None),
    ("The journalist A.H. on that day reported it.", None),
    ("See pp. 12-14 of the report for details.", None),
    ("He said “enough.” Then he left.", ["He said “enough.”", "Then he left."]),
    ("The figure rose in 2019. 405 people were held.", ["The figure rose in 2019.",
                                                         "405 people were held."]),
    ("Wait... Then the guards came.", ["Wait...", "Then the guards came."]),
    ("The rate fell to 3.5 per cent in 2020.", None),
])
def test_sentence_splitting(text: str, expected: list[str] | None) -> None:
    assert sentences(text) == (expected if expected is not None else [text])


def paragraph(text: str, *ids: str) -> Paragraph:
    """Body text with markers written as {id}; returns the paragraph without them."""
    refs, out, rest = [], [], text
    while "{" in rest:
        before, _, after = rest.partition("{")
        nid, _, rest = after.partition("}")
        out.append(before)
        refs.append(Ref(nid, len("".join(out)), line=3))
    out.append(rest)
    return Paragraph("".join(out), tuple(refs), 7)


def test_context_is_clause_before_marker_and_span_runs_from_previous_marker() -> None:
    markers = markers_for(paragraph(
        "The camp held 300 people{1}. Inspectors found no water, and the guards beat "
        "detainees{2}. Visits were banned in 2021{3}."))
    assert [m.note_id for m in markers] == ["1", "2", "3"]
    assert markers[0].context == "The camp held 300 people"
    assert markers[1].context == "Inspectors found no water, and the guards beat detainees"
    assert markers[1].sentence == "Inspectors found no water, and the guards beat detainees."
    assert markers[1].span == "Inspectors found no water, and the guards beat detainees"
    assert markers[2].span == "Visits were banned in 2021"
    assert {(m.line, m.paragraph) for m in markers} == {(3, 7)}


def test_second_marker_in_a_sentence_supports_the_clause_after_the_first() -> None:
    first, second = markers_for(paragraph(
        "Police raided the office{1}, and the editor was held for ten days{2}."))
    assert first.context == "Police raided the office"
    assert second.context == "and the editor was held for ten days"
    assert first.sentence == second.sentence


def test_adjacent_markers_share_the_clause() -> None:
    first, second = markers_for(paragraph("The law bans torture{1}{2}."))
    assert first.context == second.context == "The law bans torture"
    assert second.span == ""


def test_marker_after_the_full_stop_belongs_to_the_sentence_before() -> None:
    (marker,) = markers_for(paragraph("First claim. Second claim here.{9} Third one."))
    assert marker.sentence == "Second claim here."
    assert marker.context == "Second claim here."


def test_long_sentence_context_is_cut_back_to_a_clause() -> None:
    text = ("In its long decision of March, the tribunal, which had sat for many months in the "
            "capital and heard more than forty witnesses from three provinces, and which had "
            "reviewed the medical records of every detainee held in the eastern camps during "
            "the winter, found that the guards had acted under orders{1} and closed the case.")
    (marker,) = markers_for(paragraph(text))
    assert len(marker.context) <= CONTEXT_MAX
    assert marker.context.endswith("acted under orders")
    assert ", " + marker.context in text  # starts right after a clause break
    assert len(marker.context) > 100  # the longest clause that fits, not the last one
    assert marker.sentence.endswith("closed the case.")


def test_bounds_on_sentence_and_span() -> None:
    words = " ".join(f"word{i}" for i in range(1500))
    (marker,) = markers_for(paragraph(f"{words} end of the claim{{1}} and more text after."))
    assert len(marker.sentence) <= SENTENCE_MAX
    assert "end of the claim" in marker.sentence
    assert len(marker.span) <= SPAN_MAX
    assert marker.span.endswith("end of the claim")
    assert marker.span.split()[0].startswith("word")  # cut at a word boundary


@pytest.mark.parametrize("text, limit, clauses, expected", [
    ("short text", 50, True, "short text"),
    ("  spaced \n out\ttext ", 50, False, "spaced out text"),
    (", and then the rest", 50, False, "and then the rest"),
    ("alpha beta gamma delta", 11, False, "gamma delta"),
    ("alpha beta gamma delta", 8, False, "delta"),
])
def test_clip_start(text: str, limit: int, clauses: bool, expected: str) -> None:
    assert clip_start(text, limit, clauses=clauses) == expected
