from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from docxbuild import build_docx, fref, note, para
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citecheck.documents as documents
from citecheck.documents import FORMATS, detect_format, load_document, read_document
from citecheck.documents.text import decode_text
from citecheck.errors import InputError

POI = b"Claim[footnoteRef:1]. [1:  A source, 2021 ] \n"
MD = b"Claim[^1].\n\n[^1]: A source, 2021.\n"
DOCX = build_docx(para("Claim", fref(1), "."), footnotes=note("footnote", 1, "A source"))


@pytest.mark.parametrize("data, name, expected", [
    (POI, "report.txt", "poi-text"),
    (POI, "report.export", "poi-text"),  # by content
    (MD, "report.md", "markdown"),
    (MD, "notes.txt", "markdown"),  # a .txt holding Markdown footnotes
    (MD, "notes", "markdown"),
    (DOCX, "report.docx", "docx"),
    (DOCX, "report.bin", "docx"),  # zip magic
    (b"plain text without notes", "report.txt", "poi-text"),
    (b"plain text without notes", "report.markdown", "markdown"),
    (b"not a zip", "report.docx", "docx"),  # the reader then says what is wrong
])
def test_detect_format(data: bytes, name: str, expected: str) -> None:
    assert detect_format(data, name) == expected


@pytest.mark.parametrize("data, name", [
    (b"plain text without any notes", "report.rtf"),
    (b"%PDF-1.7\n\x00\x01\x02\x03binary", "report.pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "report.doc"),
])
def test_unknown_formats_name_the_supported_ones(data: bytes, name: str) -> None:
    with pytest.raises(InputError) as caught:
        detect_format(data, name)
    assert all(fmt in caught.value.message for fmt in FORMATS)
    assert "--from" in caught.value.message


def test_from_overrides_detection() -> None:
    doc = read_document(MD, "report.txt", fmt="poi-text")
    assert doc.format == "poi-text" and doc.notes == ()
    assert read_document(POI, "x.md", fmt="poi-text").notes[0].text == "A source, 2021"


def test_unknown_from_value() -> None:
    with pytest.raises(InputError):
        read_document(POI, "x.txt", fmt="pdf")


RUSSIAN = ("Доклад о положении заключённых в северных районах. Наблюдатели отметили, что в "
           "камерах не было воды[footnoteRef:1]. [1:  Ежегодный доклад, Наблюдательный совет, "
           "2023 ] \n")


@pytest.mark.parametrize("data", [
    RUSSIAN.encode("utf-8"),
    codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"),
    codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"),
    codecs.BOM_UTF32_LE + RUSSIAN.encode("utf-32-le"),
    codecs.BOM_UTF32_BE + RUSSIAN.encode("utf-32-be"),
    RUSSIAN.encode("cp1251"),
], ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf32le", "utf32be", "cp1251"])
def test_encodings(data: bytes) -> None:
    doc = read_document(data, "doklad.txt")
    assert doc.notes[0].text == "Ежегодный доклад, Наблюдательный совет, 2023"
    assert doc.markers[0].context.endswith("в камерах не было воды")


def test_arabic_with_direction_marks_is_text() -> None:
    body = "\u200fتقرير عن السجون\u200f، قالت المنظمة\u00a0ذلك" * 20
    doc = read_document(f"{body}[footnoteRef:1]. [1:  مصدر ] \n".encode(), "ar.txt")
    assert doc.notes[0].text == "مصدر"


def test_utf16_without_bom() -> None:
    text = "Claim about water[footnoteRef:1]. [1:  A source, 2021 ] \n"
    assert decode_text(text.encode("utf-16-le"), "x.txt") == text


@pytest.mark.parametrize("data", [
    b"",
    b"   \n\n",
    bytes(range(256)) * 8,
    b"Some text\x00with a NUL byte in it",
    b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50,
], ids=["empty", "blank", "all-bytes", "nul", "control"])
def test_not_text(data: bytes) -> None:
    with pytest.raises(InputError):
        read_document(data, "x.txt")


def test_load_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(POI)
    doc = load_document(path)
    assert (doc.name, doc.format, len(doc.notes)) == ("report.txt", "poi-text", 1)
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(InputError) as caught:
        load_document(path)
    assert caught.value.where == str(path)


def test_load_missing_document(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_document(tmp_path / "nope.txt")
    assert caught.value.where == str(tmp_path / "nope.txt")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), name=st.sampled_from(
    ["x.txt", "x.md", "x.docx", "x", "x.pdf"]), fmt=st.sampled_from([None, *FORMATS]))
def test_arbitrary_bytes_raise_only_input_error(data: bytes, name: str, fmt: str | None) -> None:
    try:
        read_document(data, name, fmt)
    except InputError:
        pass


_NOTEY = st.sampled_from(["[", "]", "[footnoteRef:1]", "[endnoteRef:2]", "[1:", "[2: ", "\n",
                          "[^1]", "[^1]: ", "^[", "`", "```\n", "    ", ". ", "No. ", "A. "])


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.one_of(_NOTEY, st.text(max_size=20)), max_size=60),
       fmt=st.sampled_from(["poi-text", "markdown"]))
def test_arbitrary_text_reads_or_raises_input_error(pieces: list[str], fmt: str) -> None:
    text = "".join(pieces)
    try:
        doc = read_document(text.encode("utf-8", "surrogatepass"), "x.txt", fmt)
    except InputError:
        return
    for marker in doc.markers:
        assert len(marker.context) <= 200 and len(marker.span) <= 2000
    assert len({n.id for n in doc.notes}) == len(doc.notes)


@settings(max_examples=100, deadline=None)
@given(body=st.text(max_size=200), note_text=st.text(max_size=100))
def test_docx_with_arbitrary_text(body: str, note_text: str) -> None:
    clean = "".join(c for c in body + note_text if c.isprintable())
    data = build_docx(para(clean[:len(body)], fref(1)), footnotes=note("footnote", 1, clean))
    try:
        doc = read_document(data, "x.docx")
    except InputError:
        return
    assert [m.note_id for m in doc.markers] == ["1"]
