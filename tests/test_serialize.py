import json

import pytest

from citecheck.models import (
    CaptureRef,
    Citation,
    CitationResult,
    Code,
    Context,
    DatePrecision,
    Finding,
    Hop,
    HopKind,
    Kind,
    LinkResult,
    LinkStatus,
    Locator,
    Severity,
)
from citecheck.serialize import from_data, to_data


def sample_result() -> CitationResult:
    citation = Citation(
        id="3", text="A report, Some Ministry, march 2023, link: https://x.test/a", kind=Kind.WEB,
        context=Context("as the ministry says", line=7,
                        locators=(Locator("article", "11", "Article 11", "convention"),)),
        title="A report", publisher="Some Ministry", date="2023-03",
        date_precision=DatePrecision.MONTH, url="https://x.test/a", confidence=0.8,
    )
    link = LinkResult(
        url="https://x.test/a", status=LinkStatus.OK, final_url="https://y.test/b",
        http_status=200,
        hops=(Hop("https://x.test/a", 301, HopKind.HTTP, "https://y.test/b", 12),
              Hop("https://y.test/b", 200, HopKind.FINAL)),
        capture=CaptureRef("c.warc.gz", 10, 99, "2026-01-01T00:00:00Z", "<urn:uuid:1>"),
    )
    finding = Finding(Code.TITLE_MISMATCH, Severity.ERROR, "differs", "3",
                      {"cited": "A report", "found": "B"})
    return CitationResult(citation, link, None, (finding,))


def test_round_trip_through_json():
    result = sample_result()
    data = json.loads(json.dumps(to_data(result)))
    assert data["link"]["hops"][0]["kind"] == "http"
    assert data["citation"]["date_precision"] == "month"
    back = from_data(CitationResult, data)
    assert back == result
    assert back.findings[0].evidence == {"cited": "A report", "found": "B"}


def test_bad_enum_value_names_the_field():
    data = to_data(sample_result())
    data["link"]["status"] = "fine"
    with pytest.raises(ValueError, match=r"link.status.*'fine'"):
        from_data(CitationResult, data)


def test_missing_required_field():
    with pytest.raises(ValueError, match="missing 'id'"):
        from_data(Citation, {"text": "x", "kind": "web"})


def test_drop_fields():
    data = to_data(sample_result(), drop=frozenset({"text"}))
    assert "text" not in data["citation"]
