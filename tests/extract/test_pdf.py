import datetime as dt
import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject
from pypdf.xmp import XmpInformation

from citecheck.extract import extract_page
from citecheck.extract.pdf import pdf_date

URL = "https://ngo.example.org/files/water-report.pdf"


def make_pdf(lines: tuple[str, ...] = (), info: dict | None = None,
             xmp: XmpInformation | None = None, pages: int = 1, password: str | None = None,
             ) -> bytes:
    """A small real PDF, written by pypdf: text lines on the first page, info, XMP."""
    writer = PdfWriter()
    for index in range(pages):
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                 NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        text = lines if index == 0 else (f"Page {index + 1} text",)
        ops = " ".join(f"0 -30 Td ({line}) Tj" for line in text)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 16 Tf 72 740 Td {ops} ET".encode("latin-1"))
        page.replace_contents(ContentStream(stream, None))
    if info:
        writer.add_metadata(info)
    if xmp is not None:
        writer.xmp_metadata = xmp
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def extract(body: bytes):
    return extract_page(body, url=URL, headers=[("Content-Type", "application/pdf")])


def test_document_info():
    meta = extract(make_pdf(("Water Access in Rural Districts",), {
        "/Title": "Water Access in Rural Districts", "/Author": "Ana Reyes",
        "/CreationDate": "D:20230314101500+01'00'", "/ModDate": "D:20230401090000Z"}))
    assert meta.content_type == "application/pdf"
    assert (meta.title, meta.title_source) == ("Water Access in Rural Districts", "pdf:info:/Title")
    assert (meta.published, meta.published_source) == ("2023-03-14", "pdf:info:/CreationDate")
    assert (meta.modified, meta.modified_source) == ("2023-04-01", "pdf:info:/ModDate")
    assert meta.author == "Ana Reyes"
    assert meta.site_name == "ngo.example.org"


def test_xmp_metadata():
    xmp = XmpInformation.create()
    xmp.dc_title = {"x-default": "Water Access (annual report)"}
    xmp.dc_creator = ["Ana Reyes", "Tom Berg"]
    xmp.xmp_create_date = dt.datetime(2023, 3, 14, 9, 15)
    xmp.xmp_modify_date = dt.datetime(2023, 4, 2, 9, 15)
    meta = extract(make_pdf(("Body text",), xmp=xmp))
    assert ("Water Access (annual report)", "pdf:xmp:dc:title") in {
        (c.value, c.source) for c in meta.titles}
    assert meta.title == "Water Access (annual report)"
    assert ("2023-03-14", "published", "pdf:xmp:xmp:CreateDate") in {
        (d.value, d.role, d.source) for d in meta.dates}
    assert ("2023-04-02", "modified", "pdf:xmp:xmp:ModifyDate") in {
        (d.value, d.role, d.source) for d in meta.dates}
    assert meta.author == "Ana Reyes, Tom Berg"


def test_first_page_text_gives_title_and_date_candidates():
    meta = extract(make_pdf(("Water Access in Rural Districts", "Published 14 March 2023")))
    assert (meta.title, meta.title_source) == ("Water Access in Rural Districts", "pdf:text")
    assert ("2023-03-14", "published", "pdf:text") in {
        (d.value, d.role, d.source) for d in meta.dates}
    assert "Water Access in Rural Districts" in meta.text


def test_junk_info_title_is_a_candidate_but_not_the_title():
    meta = extract(make_pdf(("Water Access in Rural Districts",),
                            {"/Title": "Microsoft Word - report_final_v3.docx"}))
    assert meta.title == "Water Access in Rural Districts"
    assert "pdf:info:/Title" in {c.source for c in meta.titles}


def test_text_is_bounded_to_the_first_pages():
    meta = extract(make_pdf(("Cover page",), pages=8))
    assert "Page 5 text" in meta.text
    assert "Page 6 text" not in meta.text


def test_encrypted_pdf_with_empty_password_is_read():
    meta = extract(make_pdf(("Water Access in Rural Districts",), {"/Title": "Water Access"},
                            password=""))
    assert meta.title == "Water Access"


def test_encrypted_pdf_with_a_password_gives_what_is_known():
    meta = extract(make_pdf(("Secret",), {"/Title": "Water Access"}, password="secret"))
    assert meta.content_type == "application/pdf"
    assert meta.size > 0
    assert "Secret" not in meta.text


@pytest.mark.parametrize("body", [
    b"%PDF-1.4\n",
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"%PDF-" + bytes(range(256)) * 4,
])
def test_broken_pdfs_do_not_raise(body, caplog):
    meta = extract(body)
    assert (meta.content_type, meta.size) == ("application/pdf", len(body))
    assert not [r for r in caplog.records if r.levelname == "ERROR" and "citecheck" in r.name]


def test_truncated_pdf_keeps_what_it_can():
    body = make_pdf(("Water Access in Rural Districts",), {"/Title": "Water Access"})
    meta = extract(body[: len(body) * 2 // 3])
    assert meta.content_type == "application/pdf"


@pytest.mark.parametrize(("raw", "expected"), [
    ("D:20230314101500+01'00'", "2023-03-14"), ("D:20230314", "2023-03-14"),
    ("20230314", "2023-03-14"), ("D:2023", None), ("D:20231399", None), (None, None), ("", None),
])
def test_pdf_date(raw, expected):
    assert pdf_date(raw) == expected
