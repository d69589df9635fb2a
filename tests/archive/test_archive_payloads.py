from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from archive_helpers import sample_result

from citecheck.archive.index import document_id, mime_of, new_run_id
from citecheck.archive.layout import final_name, new_warc_name
from citecheck.archive.payloads import (
    RunEnd,
    RunInfo,
    parse_result_payload,
    parse_run_end_payload,
    parse_warcinfo,
    result_payload,
    result_target,
    run_end_payload,
    warcinfo_block,
    warcinfo_fields,
    without_text,
)
from citecheck.archive.records import declared_length, request_target, stored_response_headers
from citecheck.archive.writer import warc_date
from citecheck.models import Code, DocumentInfo, Finding, Severity

DOCUMENT = DocumentInfo("rapport  annuel\u2028final.docx", "docx", None)


@pytest.mark.parametrize(("url", "target"), [
    ("http://127.0.0.1:8000", "/"),
    ("http://127.0.0.1:8000/", "/"),
    ("http://127.0.0.1:8000/a/b?x=1&y=%20", "/a/b?x=1&y=%20"),
    ("http://127.0.0.1:8000/a#fragment", "/a"),
    ("http://127.0.0.1:8000/caf%C3%A9?", "/caf%C3%A9"),
    ("http://127.0.0.1:8000/café au lait?q=ü", "/caf%C3%A9%20au%20lait?q=%C3%BC"),
])
def test_request_target(url: str, target: str) -> None:
    assert request_target(url) == target


@pytest.mark.parametrize(("headers", "stored"), [
    ([("Transfer-Encoding", "chunked")], [("X-Archive-Orig-Transfer-Encoding", "chunked")]),
    ([("transfer-encoding", "gzip, chunked"), ("Content-Type", "text/html")],
     [("X-Archive-Orig-Transfer-Encoding", "gzip, chunked"), ("Content-Type", "text/html")]),
    ([("Content-Length", "5"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
     [("Content-Length", "5"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]),
])
def test_stored_response_headers(headers: list, stored: list) -> None:
    assert stored_response_headers(headers) == stored


@pytest.mark.parametrize(("headers", "length"), [
    ([("Content-Length", "120")], 120),
    ([("content-length", " 7 ")], 7),
    ([("Content-Length", "12, 12")], None),
    ([("Content-Length", "-1")], None),
    ([("Content-Length", "9"), ("Transfer-Encoding", "chunked")], None),
    ([], None),
])
def test_declared_length(headers: list, length: int | None) -> None:
    assert declared_length(headers) == length


@pytest.mark.parametrize(("content_type", "mime"), [
    ("text/html; charset=utf-8", "text/html"), ("Application/PDF", "application/pdf"),
    ("", None), (None, None), (" ; charset=x", None),
])
def test_mime_of(content_type: str | None, mime: str | None) -> None:
    assert mime_of(content_type) == mime


@pytest.mark.parametrize(("moment", "text"), [
    (dt.datetime(2026, 3, 1, 12, 0, 0, 5, tzinfo=dt.UTC), "2026-03-01T12:00:00.000005Z"),
    (dt.datetime(2026, 3, 1, 12, 0), "2026-03-01T12:00:00.000000Z"),  # naive: taken as UTC
    (dt.datetime(2026, 3, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
     "2026-03-01T12:00:00.000000Z"),
])
def test_warc_date(moment: dt.datetime, text: str) -> None:
    assert warc_date(moment) == text


def test_names() -> None:
    moment = dt.datetime(2026, 11, 28, 17, 41, tzinfo=dt.UTC)
    name = new_warc_name(moment, "3f9a1c", 2)
    assert name == "citecheck-20261128T174100Z-3f9a1c-00002.warc.gz"
    assert final_name(Path(name + ".open")) == name
    assert new_run_id(moment).startswith("20261128T174100Z-")
    assert document_id(DocumentInfo("a.md", "markdown", "ab12")) == "ab12"
    assert document_id(DocumentInfo("a.md", "markdown")) == "name:a.md"


def test_warcinfo_fields_survive_their_block() -> None:
    info = RunInfo("20261128T174100Z-3f9a1c", "run", DOCUMENT, "2026-11-28T17:41:00Z",
                   {"exclude": ["a\nb"], "workers": 4})
    fields = warcinfo_fields(info.warcinfo())
    assert list(fields)[:2] == ["software", "format"]
    parsed = parse_warcinfo(warcinfo_block(fields))
    assert parsed == fields
    assert RunInfo.from_warcinfo(parsed) == info


@pytest.mark.parametrize("fields", [
    {"software": "wget"},
    {"citecheck-run-id": "r", "citecheck-document": "not json"},
    {"citecheck-run-id": "r", "citecheck-document": "{\"name\": 3}"},
])
def test_warcinfo_that_names_no_run(fields: dict) -> None:
    assert RunInfo.from_warcinfo(fields) is None


def test_a_result_survives_its_metadata_record() -> None:
    result = sample_result("4", "http://127.0.0.1:8000/report", None, text="page text")
    payload = result_payload("run-1", DOCUMENT, result)
    assert "page text" not in str(payload)
    run_id, document, back = parse_result_payload(payload)
    assert (run_id, document, back) == ("run-1", DOCUMENT, without_text(result))
    assert result_target("run 1", "4/a") == "urn:citecheck:run%201:note:4%2Fa"


def test_a_run_end_survives_its_metadata_record() -> None:
    end = RunEnd("run-1", "2026-03-01T12:00:00Z", {"ok": 2},
                 (Finding(Code.NOTE_UNREFERENCED, Severity.WARNING, "note 3 is never cited"),))
    assert parse_run_end_payload(run_end_payload(end)) == end


@pytest.mark.parametrize("payload", [
    {"citecheck": "other"},
    {"citecheck": "citation-result", "run_id": 5},
    {"citecheck": "citation-result", "run_id": "r", "document": {"name": "d"}},
    {"citecheck": "citation-result", "run_id": "r", "document": {"name": "d", "format": "x"},
     "citation": {"id": "1"}},
])
def test_a_malformed_result_payload_is_a_value_error(payload: dict) -> None:
    with pytest.raises(ValueError):
        parse_result_payload(payload)


@pytest.mark.parametrize("payload", [
    {"citecheck": "run-end"},
    {"citecheck": "run-end", "run_id": "r", "counts": {"ok": "two"}},
    {"citecheck": "run-end", "run_id": "r", "findings": [{"code": "nope"}]},
])
def test_a_malformed_run_end_payload_is_a_value_error(payload: dict) -> None:
    with pytest.raises(ValueError):
        parse_run_end_payload(payload)
