from __future__ import annotations

import re
from pathlib import Path

import pytest

from citecheck.archive import Outcome, ProblemCode
from citecheck.archive.payloads import FORMAT_VERSION
from citecheck.archive.schema import TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "archive-format.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_format_version_is_the_documented_one(doc: str) -> None:
    assert f"# Archive format, version {FORMAT_VERSION}" in doc
    assert f"`citecheck-archive-format: {FORMAT_VERSION}`" in doc


@pytest.mark.parametrize("code", list(ProblemCode))
def test_every_problem_code_is_documented(doc: str, code: ProblemCode) -> None:
    assert f"| `{code.value}` |" in doc


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_recovery_outcome_is_documented(doc: str, outcome: Outcome) -> None:
    assert f"`{outcome.value}`" in doc


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_and_column_is_documented(doc: str, table: str) -> None:
    row = re.search(rf"^\| `{table}` \|.*$", doc, re.MULTILINE)
    assert row, f"no row for table {table}"
    for column in TABLES[table]:
        assert f"`{column}`" in row.group(0), f"{table}.{column} is not documented"
