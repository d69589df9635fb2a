import json
import re
from pathlib import Path

import jsonschema
import pytest

from citecheck.models import Code, DatePrecision, HopKind, Kind, LinkStatus, RunResult, Severity
from citecheck.report import REPORT_SCHEMA_VERSION, render

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
DOC = (ROOT / "docs" / "report-format.md").read_text(encoding="utf-8")
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def rendered(run: RunResult) -> dict:
    data = json.loads(render(run, "json"))
    VALIDATOR.validate(data)
    return data


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_enums_follow_the_models():
    defs = SCHEMA["$defs"]
    assert defs["code"]["enum"] == [code.value for code in Code]
    assert defs["status"]["enum"] == [status.value for status in LinkStatus]
    assert defs["severity"]["enum"] == [severity.value for severity in Severity]
    assert defs["citation"]["properties"]["kind"]["enum"] == [kind.value for kind in Kind]
    assert defs["hop"]["properties"]["kind"]["enum"] == [kind.value for kind in HopKind]
    assert defs["cited"]["properties"]["date_precision"]["enum"][:-1] == [
        p.value for p in DatePrecision]


def test_schema_version_matches_the_pattern():
    assert re.fullmatch(SCHEMA["properties"]["schema_version"]["pattern"], REPORT_SCHEMA_VERSION)


def _property_names(schema: dict) -> set[str]:
    names = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties":
                names |= set(value)
            names |= _property_names(value)
    elif isinstance(schema, list):
        for value in schema:
            names |= _property_names(value)
    return names


def test_every_field_of_the_schema_is_documented():
    summary_keys = {s.value for s in LinkStatus} | {s.value for s in Severity}
    undocumented = [name for name in _property_names(SCHEMA) - summary_keys
                    if f"`{name}`" not in DOC]
    assert undocumented == []


def test_sample_run_validates_and_carries_the_top_level_fields(run):
    data = rendered(run)
    assert data["schema_version"] == REPORT_SCHEMA_VERSION
    assert data["command"] == "run"
    assert data["document"] == {"name": run.document.name, "format": "poi-text",
                                "sha256": run.document.sha256}
    assert data["summary"]["citations"] == len(run.results)
    assert data["summary"]["status"]["ok"] == 3
    assert data["summary"]["severity"] == {"info": 4, "warning": 3, "error": 5}
    assert [f["code"] for f in data["findings"]] == ["note-missing"]
    assert [c["id"] for c in data["citations"]] == [r.citation.id for r in run.results]


def test_citation_fields(run):
    by_id = {c["id"]: c for c in rendered(run)["citations"]}
    redirected = by_id["2"]
    assert redirected["url"] == "https://sho.rt/x1"
    assert redirected["final_url"] == "https://news.example.org/story/42"
    assert [(h["status"], h["kind"]) for h in redirected["redirects"]] == [
        (301, "http"), (200, "meta-refresh"), (200, "final")]
    assert redirected["capture"]["warc"] == "c.warc.gz"
    assert redirected["verdicts"] == {"title": "mismatch", "date": "match",
                                      "publisher": "mismatch"}
    assert {f["code"]: f["severity"] for f in redirected["findings"]} == {
        "title-mismatch": "error", "publisher-mismatch": "warning",
        "date-matches-updated": "info"}
    assert redirected["findings"][0]["evidence"]["found"] == "A different story"
    assert by_id["1"]["found"]["title_source"] == "og:title"
    assert by_id["1"]["cited"]["date_precision"] == "month"
    assert by_id["1"]["context"] == {"text": "as the clause citing note 1 says", "line": 12,
                                     "paragraph": None, "locators": []}
    assert by_id["3"]["status"] == "dead" and by_id["3"]["http_status"] == 404
    assert by_id["3"]["found"] is None and by_id["3"]["capture"] is None
    assert by_id["5"]["kind"] == "ibid" and by_id["5"]["same_as"] == "2"
    assert by_id["5"]["status"] == "not-checked" and by_id["5"]["redirects"] == []
    assert by_id["11"]["found"]["title"] is None
    assert by_id["11"]["verdicts"]["publisher"] is None


def test_an_empty_run_validates(make_run):
    data = rendered(make_run(results=(), findings=(), notices=(), run_id=None, started=None,
                             finished=None))
    assert data["citations"] == [] and data["summary"]["citations"] == 0


def test_evidence_values_are_strings(make_run, run):
    item = run.results[1]
    odd = item.findings[0].__class__(Code.TITLE_MISMATCH, Severity.ERROR, "m", "2",
                                     {"score": 0.42})
    data = rendered(make_run(results=(item.__class__(item.citation, findings=(odd,)),)))
    assert data["citations"][0]["findings"][0]["evidence"] == {"score": "0.42"}


def test_an_undocumented_field_fails_validation(run):
    data = json.loads(render(run, "json"))
    data["citations"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
