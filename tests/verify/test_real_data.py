"""Real pages and a real report, read only when ../shared is there (the dev workspace)."""

import json
import random
import re

import pytest

from citecheck.models import Candidate, DateCandidate
from citecheck.verify.claims import numbers, unsupported_claims
from citecheck.verify.dates import match_date
from citecheck.verify.titles import match_title
from citecheck.verify.verdict import Verdict

pytestmark = pytest.mark.corpus


def manifest(corpus) -> list[dict]:
    lines = (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def titles(row: dict) -> list[Candidate]:
    fields = (("page_og_title", "og:title"), ("page_title", "title"), ("page_h1", "h1"))
    return [Candidate(row[field], source) for field, source in fields if row.get(field)]


def test_gold_titles_match_the_pages_own_titles(corpus):
    rows = manifest(corpus)
    missed = [row["gold_title"] for row in rows
              if match_title(row["gold_title"], titles(row)).verdict is not Verdict.MATCH]
    assert len(missed) <= 0.01 * len(rows), missed


def test_another_pages_title_is_caught(corpus):
    rows = manifest(corpus)
    rng = random.Random(7)
    caught = 0
    for row in rows:
        other = rng.choice([r for r in rows if r["url"] != row["url"]])
        caught += match_title(other["gold_title"], titles(row)).verdict is not Verdict.MATCH
    assert caught >= 0.98 * len(rows)


def meta_dates(row: dict) -> list[DateCandidate]:
    found = []
    for item in row["page_published_meta"]:
        name, _, value = item.partition("=")
        match = re.match(r"\d{4}-\d\d-\d\d", value)
        if match:
            found.append(DateCandidate(match.group(), "published", f"meta:{name}"))
    return found


def test_gold_dates_match_the_published_meta_where_they_agree(corpus):
    rows = [row for row in manifest(corpus) if row["trust"] in ("high", "medium")
            and "page-published-meta-differs" not in row["flags"] and meta_dates(row)]
    assert rows
    for row in rows:
        match = match_date(row["gold_date"], None, meta_dates(row))
        assert match.verdict is Verdict.MATCH, (row["file"], row["gold_date"], meta_dates(row))


def test_seed_clauses_support_themselves(seed_report):
    clauses = re.findall(r"([^.\n]{20,300})\[footnoteRef:\d+\]", seed_report)
    assert clauses
    for clause in clauses:
        assert unsupported_claims(clause, clause) == [], clause
        assert not any(re.fullmatch(r"(19|20)\d\d", value) for value in numbers(clause))
