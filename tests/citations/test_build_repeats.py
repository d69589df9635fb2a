"""Repeat notes (ibid, supra, previous reference): parsing the hint and resolving same_as."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.build import build_citations, citations_from_texts
from citecheck.citations.parse import RefersTo, parse_note
from citecheck.models import Document, Kind, Marker, Note


@pytest.mark.parametrize(("note", "kind", "refers_to"), [
    ("Ibid", Kind.IBID, RefersTo("previous")),
    ("Ibid.", Kind.IBID, RefersTo("previous")),
    ("ibid., p. 4", Kind.IBID, RefersTo("previous")),
    ("Ibidem, para. 7", Kind.IBID, RefersTo("previous")),
    ("Id.", Kind.IBID, RefersTo("previous")),
    ("Id. at 12", Kind.IBID, RefersTo("previous")),
    ("Idem", Kind.IBID, RefersTo("previous")),
    ("op. cit.", Kind.PREVIOUS, RefersTo("previous")),
    ("Previous reference", Kind.PREVIOUS, RefersTo("previous")),
    ("Previous reference.", Kind.PREVIOUS, RefersTo("previous")),
    ("previously cited", Kind.PREVIOUS, RefersTo("previous")),
    ("supra note 5", Kind.PREVIOUS, RefersTo("note", "5")),
    ("Supra note 12, p. 3", Kind.PREVIOUS, RefersTo("note", "12")),
    ("above n 5", Kind.PREVIOUS, RefersTo("note", "5")),
    ("See note 7 above.", Kind.PREVIOUS, RefersTo("note", "7")),
    ("Report on Prisons, Previous reference.", Kind.PREVIOUS,
     RefersTo("match", "Report on Prisons")),
    ("Report on Prisons, previously cited, p. 9", Kind.PREVIOUS,
     RefersTo("match", "Report on Prisons")),
    ("Smith, op. cit., p. 5", Kind.PREVIOUS, RefersTo("match", "Smith")),
    ("Amnesty International, supra, at 4", Kind.PREVIOUS,
     RefersTo("match", "Amnesty International")),
])
def test_repeat_hints(note, kind, refers_to):
    parsed = parse_note(note)
    assert (parsed.kind, parsed.refers_to) == (kind, refers_to)


@pytest.mark.parametrize("note", [
    "Identity checks at the border, Border Monitor, 3 May 2021",
    "Idle courts, Legal Times, 2020",
    "The Supreme Court above all, Law Review, 2019",
    "Previously unseen footage of the arrest, Channel Nine, 8 July 2022",
    "UN Secretary-General, Report on detention, see note 3 for the background, 2021",
    "Annual report on prisons, previously cited by the Ombudsman in her statement, 2020",
])
def test_ordinary_notes_are_not_repeats(note):
    assert parse_note(note).refers_to is None


@pytest.mark.parametrize(("note", "locators"), [
    ("Ibid, p. 4", [("page", "4")]),
    ("Ibid., paras. 12-14", [("paragraph", "12-14")]),
    ("Ibid", []),
    ("supra note 5, p. 8", [("page", "8")]),
])
def test_repeats_keep_their_own_locators(note, locators):
    assert [(loc.kind, loc.value) for loc in parse_note(note).locators] == locators


def _document(*texts: str, kinds: tuple[str, ...] = ()) -> Document:
    notes = tuple(Note(id=str(i), text=text, line=i, kind=kinds[i - 1] if kinds else "footnote")
                  for i, text in enumerate(texts, start=1))
    markers = tuple(Marker(note_id=n.id, context=f"claim {n.id}", sentence=f"claim {n.id}.",
                           span=f"claim {n.id}", line=n.line) for n in notes)
    return Document(name="t.txt", format="poi-text", notes=notes, markers=markers)


def _same_as(*texts: str, kinds: tuple[str, ...] = ()) -> list[str | None]:
    return [c.same_as for c in build_citations(_document(*texts, kinds=kinds))]


SOURCE_A = "Prisons in the south, Prison Monitor, 3 May 2021, https://a.example/1"
SOURCE_B = "Courts and reporters, Legal Desk, 9 June 2022, https://a.example/2"
SOURCE_C = "John Smith, Policing Protest, Routledge (2019), p. 4"


@pytest.mark.parametrize(("texts", "expected"), [
    ((SOURCE_A, "Ibid"), [None, "1"]),
    ((SOURCE_A, "Ibid", "Ibid."), [None, "1", "1"]),
    ((SOURCE_A, SOURCE_B, "Prisons in the south, Previous reference.", "Ibid"),
     [None, None, "1", "1"]),
    ((SOURCE_A, SOURCE_B, "supra note 1", "Ibid, p. 3"), [None, None, "1", "1"]),
    ((SOURCE_A, SOURCE_B, "Courts and Reporters, previously cited"), [None, None, "2"]),
    ((SOURCE_C, SOURCE_A, "Smith, op. cit., p. 7"), [None, None, "1"]),
    ((SOURCE_A, SOURCE_B, "Prison Monitor, op. cit."), [None, None, "1"]),
    (("Ibid",), [None]),
    ((SOURCE_A, "supra note 7"), [None, None]),
    ((SOURCE_A, "A title nobody cited before, Previous reference."), [None, None]),
    ((SOURCE_A, "Ibid", "supra note 2"), [None, "1", "1"]),
])
def test_same_as_holds_the_final_note(texts, expected):
    assert _same_as(*texts) == expected


def test_repeats_look_only_at_notes_of_the_same_kind():
    texts = (SOURCE_A, SOURCE_B, "Ibid")
    assert _same_as(*texts, kinds=("footnote", "endnote", "footnote")) == [None, None, "1"]
    assert _same_as(*texts, kinds=("footnote", "endnote", "endnote")) == [None, None, "2"]


def test_unresolved_repeats_have_lower_confidence():
    resolved, unresolved = build_citations(_document(SOURCE_A, "Ibid"))[1], build_citations(
        _document("Ibid"))[0]
    assert resolved.kind == unresolved.kind == Kind.IBID
    assert unresolved.confidence < resolved.confidence


def test_a_repeat_with_its_own_link_is_a_web_citation():
    citation = build_citations(_document(SOURCE_A, "Prisons in the south, Previous reference, "
                                                   "https://a.example/1"))[1]
    assert (citation.kind, citation.same_as, citation.url) == (Kind.WEB, "1",
                                                               "https://a.example/1")


def test_citations_carry_context_from_the_first_marker():
    doc = _document(SOURCE_A)
    doc = Document(doc.name, doc.format, doc.notes, (
        Marker("1", "under Article 5 of the Constitution", "s", "Article 5 of the Constitution",
               line=3, paragraph=2),
        Marker("1", "later", "s", "Article 9 of the Constitution", line=8, paragraph=4)))
    citation = build_citations(doc)[0]
    assert citation.context is not None
    assert (citation.context.text, citation.context.line, citation.context.paragraph) == (
        "under Article 5 of the Constitution", 3, 2)
    assert [(loc.kind, loc.value, loc.instrument) for loc in citation.context.locators] == [
        ("article", "5", "constitution")]
    assert citation.note_line == 1


def test_a_note_without_marker_has_no_context():
    doc = _document(SOURCE_A)
    citation = build_citations(Document(doc.name, doc.format, doc.notes, ()))[0]
    assert citation.context is None


def test_citations_from_texts_are_the_same_fields_without_context():
    texts = [("1", SOURCE_A), ("2", SOURCE_B), ("3", "Ibid")]
    base = citations_from_texts(texts)
    built = build_citations(_document(SOURCE_A, SOURCE_B, "Ibid"))
    assert list(base) == ["1", "2", "3"]
    for citation in built:
        other = base[citation.id]
        assert other.context is None
        assert (other.title, other.publisher, other.date, other.url, other.same_as, other.kind) == (
            citation.title, citation.publisher, citation.date, citation.url, citation.same_as,
            citation.kind)


def test_citations_keep_document_order_and_ids():
    doc = _document(SOURCE_B, SOURCE_A, "Ibid")
    assert [c.id for c in build_citations(doc)] == ["1", "2", "3"]
    assert [c.text for c in build_citations(doc)] == [SOURCE_B, SOURCE_A, "Ibid"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Ibid", "Ibid, p. 2", "supra note 1", "supra note 9", SOURCE_A,
                                 SOURCE_B, "Prisons in the south, Previous reference.",
                                 "op. cit."]) | st.text(max_size=80), max_size=8))
def test_build_citations_never_raises(texts):
    citations = build_citations(_document(*texts))
    ids = {c.id for c in citations}
    assert all(c.same_as is None or c.same_as in ids for c in citations)
    assert all(c.same_as != c.id for c in citations)
