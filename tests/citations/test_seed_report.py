"""The seed report (shared/seeds): every note's fields, the repeats and the locator error.

Skipped with the reason when the seed is not there; the document is read by citecheck's own
POI text reader.
"""

from __future__ import annotations

import pytest

from citecheck.citations.build import build_citations
from citecheck.models import Code, DatePrecision, Kind, Severity
from citecheck.verify.offline import offline_findings

# id -> (title, publisher, date, precision)
EXPECTED = {
    "1": ("Constitution of the Republic of Azerbaijan. Chapter III. Basic rights and liberties of "
          "a person and citizen", "The Ministry of Emergency Situations of the Republic of "
          "Azerbaijan", None, None),
    "2": ("Article 93 of the Criminal Code of the Republic of Azerbaijan", None, None, None),
    "3": ("2022 Country Reports on Human Rights Practices: Azerbaijan", "Us department of state",
          "2023-03", DatePrecision.MONTH),
    "4": ("Abzas Media's Executive Director and Editor-in-chief Detained, Newsroom Raided",
          "Council of Europe", "2023-11-21", DatePrecision.DAY),
    "5": ("Muslim Union Movement Imprisoned Member Allegedly Tortured in Azerbaijani Detention "
          "Center", "MEYDAN.TV", "2023-07-20", DatePrecision.DAY),
    "6": ("journalist removes social media posts under duress", "Azerbaijan Internet Watch",
          "2023-07-13", DatePrecision.DAY),
    "7": ("Blogger Rashad Ramazanov claims of torture at police", "TURAN", "2022-05-27",
          DatePrecision.DAY),
    "10": ("Azerbaijani Opposition Politician 'Beat Himself' In Police Custody, Prosecutor Says",
           "Radio Free Europe/Radio Liberty", "2022-01-17", DatePrecision.DAY),
    "11": ("Activist claims to have been kidnapped over criticism of Azerbaijani minister",
           "oc-media", "2022-04-26", DatePrecision.DAY),
    "12": ("Number of soldiers tortured and abused in Azerbaijan's Tartar scandal now estimated "
           "at 405", "Business news from Eastern Europe", "2022-09-06", DatePrecision.DAY),
}


@pytest.fixture
def seed(seed_text, poi_document):
    document = poi_document(seed_text, "000_bc4570a8dd256e68.txt")
    citations = build_citations(document)
    return document, {c.id: c for c in citations}, offline_findings(citations, document)


def test_thirteen_notes_in_order(seed):
    document, citations, _ = seed
    assert [n.id for n in document.notes] == [str(i) for i in range(1, 14)]
    assert list(citations) == [str(i) for i in range(1, 14)]


def test_links_on_the_web_notes(seed):
    _, citations, _ = seed
    with_url = [i for i, c in citations.items() if c.url]
    assert with_url == ["1", "2", "3", "4", "5", "6", "7", "10", "11", "12"]
    assert all(citations[i].url.startswith("https://tinyl.io/") for i in with_url)
    assert all(citations[i].kind == Kind.WEB for i in with_url)


def test_repeats_point_at_note_three(seed):
    _, citations, _ = seed
    assert [(citations[i].kind, citations[i].same_as) for i in ("8", "9", "13")] == [
        (Kind.PREVIOUS, "3"), (Kind.IBID, "3"), (Kind.PREVIOUS, "3")]


@pytest.mark.parametrize("note_id", list(EXPECTED))
def test_fields_of_each_note(seed, note_id):
    _, citations, _ = seed
    c = citations[note_id]
    assert (c.title, c.publisher, c.date, c.date_precision) == EXPECTED[note_id]


def test_locator_error_on_note_two_only(seed):
    _, citations, findings = seed
    mismatches = [f for f in findings if f.code == Code.LOCATOR_MISMATCH]
    assert [(f.note_id, f.severity) for f in mismatches] == [("2", Severity.ERROR)]
    assert "293" in mismatches[0].message and "Article 93" in mismatches[0].message
    assert [(loc.kind, loc.value) for loc in citations["1"].locators] == [("chapter", "3")]


def test_no_other_findings(seed):
    _, _, findings = seed
    assert [f.code for f in findings] == [Code.LOCATOR_MISMATCH]
