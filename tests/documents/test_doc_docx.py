from __future__ import annotations

import pytest
from docxbuild import R_NS, build_docx, eref, fref, note, para, rels, run, zipped

from citecheck.documents import docx as docx_module
from citecheck.documents import read_document
from citecheck.documents.docx import read_docx
from citecheck.errors import InputError


def test_paragraphs_markers_and_notes() -> None:
    data = build_docx(
        para("Report on detention")
        + para("Guards denied water to detainees", fref(1), ". The ministry denied it",
               fref(2), ".")
        + para("No notes here."),
        footnotes=note("footnote", 1, "Water in prisons, Watch Group, 3 March 2022")
        + note("footnote", 2, "Statement of the ministry, 2022", "Second paragraph."))
    doc = read_docx(data, "r.docx")
    assert doc.format == "docx"
    assert [(n.id, n.text, n.line, n.kind) for n in doc.notes] == [
        ("1", "Water in prisons, Watch Group, 3 March 2022", 2, "footnote"),
        ("2", "Statement of the ministry, 2022\nSecond paragraph.", 2, "footnote")]
    assert [(m.note_id, m.paragraph, m.line) for m in doc.markers] == [
        ("1", 2, None), ("2", 2, None)]
    assert doc.markers[0].context == "Guards denied water to detainees"
    assert doc.markers[1].context == "The ministry denied it"
    assert doc.markers[1].span == "The ministry denied it"


def test_ids_are_display_numbers_not_xml_ids() -> None:
    data = build_docx(para("First", fref(7), " then second", fref(3), "."),
                      footnotes=note("footnote", 3, "Later note") + note("footnote", 7, "Early"))
    doc = read_docx(data, "r.docx")
    assert [(n.id, n.text) for n in doc.notes] == [("1", "Early"), ("2", "Later note")]
    assert [m.note_id for m in doc.markers] == ["1", "2"]


def test_endnotes_alongside_footnotes() -> None:
    data = build_docx(para("A claim", fref(2), " and another", eref(2), "."),
                      footnotes=note("footnote", 2, "Foot"),
                      endnotes=note("endnote", 2, "End"))
    doc = read_docx(data, "r.docx")
    assert [(n.id, n.kind, n.text) for n in doc.notes] == [
        ("1", "footnote", "Foot"), ("e1", "endnote", "End")]
    assert [m.note_id for m in doc.markers] == ["1", "e1"]


def test_hyperlink_targets_that_are_not_visible_become_link_targets() -> None:
    linked = ('<w:p><w:r><w:footnoteRef/></w:r>'
              f'{run(" Rights report, Example Monitor, ")}'
              f'<w:hyperlink r:id="rId5">{run("online")}</w:hyperlink>{run(" ")}'
              f'<w:hyperlink r:id="rId6">{run("https://example.org/seen")}</w:hyperlink>'
              '</w:p>')
    data = build_docx(
        para("Claim", fref(1), "."),
        footnotes=f'<w:footnote w:id="1">{linked}</w:footnote>',
        footnote_rels=rels(("rId5", "hyperlink", "https://example.org/hidden", True),
                           ("rId6", "hyperlink", "https://example.org/seen", True)))
    (item,) = read_docx(data, "r.docx").notes
    assert item.text == "Rights report, Example Monitor, online https://example.org/seen"
    assert item.link_targets == ("https://example.org/hidden",)


def test_hyperlink_field_codes_split_over_runs() -> None:
    field_runs = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://exam</w:instrText></w:r>'
        '<w:r><w:instrText>ple.org/field" \\o "tip"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{run("the report")}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    simple = (f'<w:fldSimple w:instr=\' HYPERLINK "https://example.org/simple" \'>'
              f'{run(" and more")}</w:fldSimple>')
    data = build_docx(para("Claim", fref(1), "."), footnotes=(
        f'<w:footnote w:id="1"><w:p>{run("See ")}{field_runs}{simple}</w:p></w:footnote>'))
    (item,) = read_docx(data, "r.docx").notes
    assert item.text == "See the report and more"
    assert set(item.link_targets) == {"https://example.org/field", "https://example.org/simple"}


def test_deleted_text_text_boxes_tabs_and_breaks() -> None:
    body = ("<w:p>" + run("Kept") + "<w:del><w:r><w:delText>gone</w:delText></w:r></w:del>"
            "<w:r><w:tab/><w:t>after tab</w:t><w:br/><w:t>next line</w:t></w:r>"
            '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
            'markup-compatibility/2006"><mc:Choice Requires="wps"><w:r><w:drawing>'
            "<w:txbxContent><w:p>" + run("box text") + "</w:p></w:txbxContent>"
            "</w:drawing></w:r></mc:Choice><mc:Fallback><w:r><w:pict><w:txbxContent><w:p>"
            + run("box text") + "</w:p></w:txbxContent></w:pict></w:r></mc:Fallback>"
            "</mc:AlternateContent>" + fref(1) + "</w:p>")
    doc = read_docx(build_docx(body, footnotes=note("footnote", 1, "N")), "r.docx")
    assert doc.markers[0].span == "Kept after tab next line"
    assert [m.paragraph for m in doc.markers] == [1]  # the text box is paragraph 2, once


def test_no_notes_is_a_document_without_notes() -> None:
    doc = read_docx(build_docx(para("Just text.")), "r.docx")
    assert doc.notes == () and doc.markers == ()


def test_parts_found_without_relationships() -> None:
    data = build_docx(para("Claim", fref(1), "."), footnotes=note("footnote", 1, "A note"),
                      with_rels=False)
    assert [n.text for n in read_docx(data, "r.docx").notes] == ["A note"]


def test_unreferenced_note_is_skipped() -> None:
    data = build_docx(para("Claim", fref(1), "."),
                      footnotes=note("footnote", 1, "Used") + note("footnote", 9, "Orphan"))
    assert [n.text for n in read_docx(data, "r.docx").notes] == ["Used"]


@pytest.mark.parametrize("data", [
    b"this is not a zip file at all",
    build_docx(para("Some text"))[:200],  # truncated
    zipped({"word/other.xml": "<x/>"}),  # no document part
    build_docx("<w:p><w:r><w:t>unclosed</w:r></w:p>"),  # not XML
    zipped({"word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]>'
                                 "<d>&e;</d>"}),
    zipped({"word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM '
                                 '"file:///etc/passwd">]><d>&e;</d>'}),
], ids=["not-zip", "truncated", "no-document", "bad-xml", "dtd-entity", "external-entity"])
def test_bad_packages_are_input_errors(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        read_document(data, "bad.docx")
    assert caught.value.where == "bad.docx"
    assert "\n" not in caught.value.one_line()


def test_zip_bomb_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_docx(para("x" * 5000))
    monkeypatch.setattr(docx_module, "MAX_PART", 1000)
    with pytest.raises(InputError) as caught:
        read_docx(data, "bomb.docx")
    assert caught.value.where == "bomb.docx"
    monkeypatch.setattr(docx_module, "MAX_PART", 50_000_000)
    read_docx(data, "bomb.docx")  # within the limits again
    monkeypatch.setattr(docx_module, "MAX_TOTAL", 100)
    with pytest.raises(InputError):
        read_docx(data, "bomb.docx")


def test_hyperlink_namespace_is_the_relationships_one() -> None:
    assert R_NS.endswith("/relationships")
