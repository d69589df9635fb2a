"""The day/month order of numeric dates on a page, and cited dates that only weak dates back."""

from __future__ import annotations

import pytest

from citecheck.extract import extract_page
from citecheck.extract.dates import headline_dates
from citecheck.extract.textdates import (
    DAY_FIRST,
    MONTH_FIRST,
    find_dates,
    language_order,
    numeric_order,
)
from citecheck.models import DateCandidate, DatePrecision
from citecheck.verify.dates import OTHER_MONTH, OTHER_YEAR, SWAPPED, is_structured, match_date
from citecheck.verify.verdict import Verdict

DAY = DatePrecision.DAY


@pytest.mark.parametrize(("lang", "order"), [
    ("pt-BR", DAY_FIRST), ("es", DAY_FIRST), ("vi", DAY_FIRST), ("pl", DAY_FIRST),
    ("id-ID", DAY_FIRST), ("de_DE", DAY_FIRST), ("en-GB", DAY_FIRST), ("en-IN", DAY_FIRST),
    ("en-US", MONTH_FIRST), ("en-us", MONTH_FIRST),
    ("en", None),  # written both ways: the US, Britain, India…
    ("ja", None),  # year first: says nothing about a/b/yyyy
    (None, None), ("", None), ("xx", None), ("en-XX", None), ("12", None),
])
def test_language_order(lang, order):
    assert language_order(lang) == order


@pytest.mark.parametrize(("text", "lang", "order"), [
    ("Posted 25/04/2022. Comment 03/05/2022", "en", DAY_FIRST),  # 25 can only be a day
    ("Posted 04/25/2022. Comment 03/05/2022", "en", MONTH_FIRST),
    ("Posted 04/25/2022 and 25/04/2022", "pt", None),  # both orders on one page: no guess
    ("Publicado em 04/05/2022", "pt-BR", DAY_FIRST),  # nothing to go on but the language
    ("Posted 04/05/2022", "en-US", MONTH_FIRST),
    ("Posted 04/05/2022", "en", None),
    ("Posted 25/04/2022", "en-US", DAY_FIRST),  # what the page does beats its language
    ("Stand: 14.03.2023", "de", DAY_FIRST),
])
def test_numeric_order(text, lang, order):
    assert numeric_order(text, lang) == order


@pytest.mark.parametrize(("order", "values"), [
    (DAY_FIRST, ["2022-05-04"]),
    (MONTH_FIRST, ["2022-04-05"]),
    (None, ["2022-05-04", "2022-04-05"]),  # unknown: both readings stay candidates
])
def test_ambiguous_date_read_in_the_page_order(order, values):
    found = find_dates("Por Ana Lima | 04/05/2022 20:36", "pt", order=order)
    assert [d.value for d in found] == values


def test_unambiguous_dates_ignore_the_order():
    assert [d.value for d in find_dates("on 25/04/2022", order=MONTH_FIRST)] == ["2022-04-25"]


def test_headline_dates_take_the_order():
    text = "Nachrichten\nMinisterium legt Bericht vor\nVon Jana Roth, 03/05/2022 21:44\nText"
    found = headline_dates(text, "Ministerium legt Bericht vor", "de", DAY_FIRST)
    assert [d.value for d in found] == ["2022-05-03"]


def published(value: str, source: str = "json-ld:datePublished") -> DateCandidate:
    return DateCandidate(value, "published", source)


def other(value: str, source: str = "text") -> DateCandidate:
    return DateCandidate(value, "other", source)


@pytest.mark.parametrize(("cited", "page", "verdict", "hint"), [
    # a comment dated 5 April does not confirm a swapped citation of a 4 May article
    ("2022-04-05", [published("2022-05-04"), other("2022-04-05")], Verdict.NEAR, SWAPPED),
    ("2021-05-04", [published("2022-05-04"), other("2021-05-04", "time")], Verdict.NEAR,
     OTHER_YEAR),
    ("2020-06-15", [published("2020-07-15"), other("2020-06-15", "time")], Verdict.NEAR,
     OTHER_MONTH),
    # a publication date backs the cited date: the other dates do not matter
    ("2022-05-04", [published("2022-05-04"), other("2022-04-05")], Verdict.MATCH, None),
    ("2022-04-05", [published("2022-04-05"), published("2022-05-04", "url")], Verdict.MATCH,
     None),
    # an other date that is no slip of the publication date still confirms (a print date…)
    ("2022-05-12", [published("2022-05-10"), other("2022-05-12")], Verdict.MATCH, None),
    ("2022-01-27", [published("2021-12-20"), other("2022-01-27")], Verdict.MATCH, None),
    # no publication date to compare with: the other date confirms
    ("2022-04-05", [other("2022-04-05"), other("2022-05-04")], Verdict.MATCH, None),
])
def test_weakly_supported_dates(cited, page, verdict, hint):
    match = match_date(cited, DAY, page)
    assert (match.verdict, match.hint) == (verdict, hint)
    if verdict is Verdict.NEAR:
        assert match.weak_support is not None and match.weak_support.role == "other"


def test_month_precision_is_not_a_month_slip():
    page = [published("2020-07-15"), other("2020-06-15", "time")]
    assert match_date("2020-06", DatePrecision.MONTH, page).verdict is Verdict.MATCH


@pytest.mark.parametrize(("candidate", "structured"), [
    (published("2022-05-04"), True),
    (published("2022-05-04", "meta:article:published_time"), True),
    (published("2022-05-04", "time"), True),
    (published("2022-05-04", "url"), True),
    (published("2022-05-04", "text"), False),  # "Posted 09/06/2022" under a comment
    (published("2022-05-04", "htmldate:original"), False),
    (other("2022-05-04", "json-ld:datePublished"), False),
])
def test_structured_publication_dates(candidate, structured):
    assert is_structured(candidate) is structured


def test_a_posted_comment_does_not_confirm_a_swapped_date():
    page = [published("2022-06-09", "meta:article:published_time"),
            published("2022-09-06", "text")]  # "Posted 09/06/2022 by ReaderMike" (en-US)
    match = match_date("2022-09-06", DAY, page)
    assert (match.verdict, match.hint) == (Verdict.NEAR, SWAPPED)
    assert match.found.value == "2022-06-09"


def test_a_byline_date_beats_htmldates_guess():
    html = ("<html lang='it'><head><title>Nuova pista ciclabile</title></head><body>"
            "<h1>Nuova pista ciclabile</h1><p>Pubblicato il 12 gennaio 2021</p>"
            "<p>Il percorso è lungo 6 chilometri e collega il centro al quartiere.</p>"
            "</body></html>")
    page = extract_page(html.encode(), url="https://example.it/cronaca/pista")
    assert (page.published, page.published_source) == ("2021-01-12", "text")
