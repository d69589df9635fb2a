"""Real page titles, URLs and languages from the shared corpus, through every format."""

import json
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from junitparser import JUnitXml
from rich.cells import cell_len

from citecheck.models import (
    Citation,
    CitationResult,
    Code,
    DocumentInfo,
    Finding,
    Kind,
    LinkResult,
    LinkStatus,
    PageMetadata,
    RunResult,
    Severity,
)
from citecheck.report import FORMATS, render

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "report.schema.json")
                    .read_text(encoding="utf-8"))

pytestmark = pytest.mark.corpus


def corpus_run(corpus: Path) -> RunResult:
    lines = (corpus / "manifest.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    results = []
    for n, row in enumerate(rows, 1):
        citation = Citation(str(n), f"{row['gold_title']}, {row['url']}", Kind.WEB,
                            title=row["gold_title"], date=row.get("gold_date"), url=row["url"])
        page = PageMetadata("text/html", row["bytes"], title=row["page_og_title"] or
                            row["page_title"], title_source="title", lang=row.get("lang"),
                            canonical_url=row.get("page_canonical_url"))
        findings = (Finding(Code.TITLE_MISMATCH, Severity.WARNING,
                            f"cited '{row['gold_title']}', found '{page.title}'", str(n),
                            {"cited": row["gold_title"], "found": page.title or ""}),)
        link = LinkResult(row["url"], LinkStatus.OK, row["url"], 200)
        results.append(CitationResult(citation, link, page, findings if n % 3 == 0 else ()))
    return RunResult("run", DocumentInfo("corpus.txt", "poi-text"), tuple(results))


@pytest.fixture
def real_run(shared_corpus) -> RunResult:
    return corpus_run(shared_corpus)


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_titles_render_in_every_format(real_run, fmt):
    text = render(real_run, fmt)
    assert text.encode("utf-8")
    count = len(real_run.results)
    if fmt == "json":
        data = json.loads(text)
        jsonschema.validate(data, SCHEMA)
        assert len(data["citations"]) == count
    elif fmt == "junit":
        assert len(list(JUnitXml.fromstring(text.encode("utf-8")))[0]) == count
    elif fmt == "html":
        tree = lxml.html.document_fromstring(text)
        assert len(tree.xpath("//table[@id='footnotes']/tbody/tr")) == count
    elif fmt == "github":
        assert len(text.splitlines()) == len(real_run.all_findings())
    elif fmt == "text":
        assert max(cell_len(line) for line in text.splitlines()[:-1]) <= 100
