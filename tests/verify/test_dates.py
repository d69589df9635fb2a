from datetime import date

import pytest

from citecheck.models import DateCandidate, DatePrecision
from citecheck.verify.dates import OTHER_YEAR, OTHER_YEAR_MONTH, SWAPPED, match_date, parse_cited
from citecheck.verify.verdict import Verdict

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


def published(value: str, source: str = "json-ld:datePublished") -> DateCandidate:
    return DateCandidate(value, "published", source)


def modified(value: str, source: str = "meta:article:modified_time") -> DateCandidate:
    return DateCandidate(value, "modified", source)


def other(value: str, source: str = "text") -> DateCandidate:
    return DateCandidate(value, "other", source)


PAGE = [published("2022-06-09"), modified("2023-01-02"), other("2022-06-09", "url")]


@pytest.mark.parametrize(("cited", "precision", "verdict"), [
    ("2022-06-09", DAY, Verdict.MATCH),
    ("2022-06-08", DAY, Verdict.MATCH),  # one day either side: time zones
    ("2022-06-10", DAY, Verdict.MATCH),
    ("2022-06-11", DAY, Verdict.NEAR),  # two days off: borderline
    ("2022-06-16", DAY, Verdict.NEAR),
    ("2022-06-20", DAY, Verdict.MISMATCH),
    ("2022-06", MONTH, Verdict.MATCH),  # any day of the month
    ("2022-05", MONTH, Verdict.MISMATCH),  # June 9 is 8 days past May and its tolerance
    ("2022-04", MONTH, Verdict.MISMATCH),
    ("2022", YEAR, Verdict.MATCH),  # any day of the year
    ("2021", YEAR, Verdict.MISMATCH),
    ("2022-06-30", MONTH, Verdict.MATCH),  # a day written with month precision
    ("2022-06", None, Verdict.MATCH),  # precision taken from how the date is written
    ("2022", DAY, Verdict.MATCH),  # a year can't be more precise than a year
    ("2023-01-02", DAY, Verdict.UPDATED),
    ("2023-01", MONTH, Verdict.UPDATED),
])
def test_precision_and_tolerance(cited, precision, verdict):
    assert match_date(cited, precision, PAGE).verdict is verdict


@pytest.mark.parametrize(("cited", "page", "verdict"), [
    ("2022-05-31", [published("2022-06-01")], Verdict.MATCH),  # across a month's end
    ("2022-06", [published("2022-05-31")], Verdict.MATCH),  # the tolerance widens the month
    ("2022-06", [published("2022-05-30")], Verdict.NEAR),
    ("2021-12-31", [published("2022-01-01")], Verdict.MATCH),  # across a year's end
])
def test_tolerance_at_the_edges(cited, page, verdict):
    assert match_date(cited, None, page).verdict is verdict


@pytest.mark.parametrize(("cited", "page", "hint"), [
    ("2022-09-06", [published("2022-06-09")], SWAPPED),
    ("2022-03-04", [published("2022-04-03")], SWAPPED),
    ("2021-06-09", [published("2022-06-09")], OTHER_YEAR),
    ("2202-06-09", [published("2022-06-09")], OTHER_YEAR),
    ("2021-06", [published("2022-06-09")], OTHER_YEAR_MONTH),
    ("2022-07-09", [published("2022-06-09")], None),  # a month off: no typo explains it
])
def test_mismatch_hints(cited, page, hint):
    match = match_date(cited, None, page)
    assert match.verdict is Verdict.MISMATCH
    assert match.hint == hint


def test_swap_is_found_among_several_publication_dates():
    page = [published("2022-05-01"), published("2022-06-09", "time"), modified("2022-12-01")]
    match = match_date("2022-09-06", DAY, page)
    assert (match.hint, match.found) == (SWAPPED, published("2022-06-09", "time"))


def test_hints_come_from_the_publication_dates_when_there_are_some():
    page = [published("2022-05-01"), other("2021-06-09", "text"), other("2022-09-06", "text")]
    match = match_date("2022-06-09", DAY, page)
    assert (match.hint, match.found) == (None, published("2022-05-01"))


def test_same_day_and_month_are_not_a_swap():
    match = match_date("2022-05-05", DAY, [published("2021-05-05")])
    assert match.hint == OTHER_YEAR


def test_mismatch_quotes_the_nearest_publication_date():
    page = [published("2020-01-01"), published("2022-06-01", "meta:article:published_time"),
            other("2022-06-20"), modified("2022-06-21")]
    match = match_date("2022-06-25", DAY, page)
    assert match.found == published("2022-06-01", "meta:article:published_time")


def test_mismatch_falls_back_to_other_then_modified_dates():
    assert match_date("2020-01-01", DAY, [other("2022-06-01"), modified("2022-06-05")]).found \
        == other("2022-06-01")
    assert match_date("2020-01-01", DAY, [modified("2022-06-05")]).found == modified("2022-06-05")


def test_other_dates_confirm_a_cited_date():
    match = match_date("2022-01-27", DAY, [published("2021-12-20"), other("2022-01-27")])
    assert (match.verdict, match.found) == (Verdict.MATCH, other("2022-01-27"))


def test_publication_date_wins_over_other_dates():
    match = match_date("2022-01-27", DAY, [other("2022-01-27"), published("2022-01-27")])
    assert match.found == published("2022-01-27")


def test_updated_gives_the_publication_date_too():
    match = match_date("2023-01-02", DAY, PAGE)
    assert match.verdict is Verdict.UPDATED
    assert match.found == modified("2023-01-02")
    assert match.published == published("2022-06-09")


def test_updated_without_a_publication_date():
    match = match_date("2023-01-02", DAY, [modified("2023-01-02")])
    assert (match.verdict, match.published) == (Verdict.UPDATED, None)


@pytest.mark.parametrize("page", [
    [],
    [published("")],
    [published("not a date"), modified("2022-13-45")],
])
def test_no_usable_date_is_missing(page):
    assert match_date("2022-06-09", DAY, page).verdict is Verdict.MISSING


def test_candidates_with_a_time_or_unknown_role_are_used():
    page = [DateCandidate("2022-06-09T23:30:00+00:00", "dateline", "htmldate")]
    assert match_date("2022-06-10", DAY, page).verdict is Verdict.MATCH


@pytest.mark.parametrize("cited", ["", "June 2022", "2022-13", "2022-02-30", "22-06-09", "2022/06"])
def test_cited_dates_that_are_not_iso_raise_value_error(cited):
    with pytest.raises(ValueError):
        match_date(cited, None, PAGE)


@pytest.mark.parametrize(("cited", "precision", "start", "end"), [
    ("2024-02", None, date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-02", MONTH, date(2023, 2, 1), date(2023, 2, 28)),
    ("2023", None, date(2023, 1, 1), date(2023, 12, 31)),
    ("2023-07-14", YEAR, date(2023, 1, 1), date(2023, 12, 31)),
    ("2023-7-4", None, date(2023, 7, 4), date(2023, 7, 4)),
])
def test_parse_cited(cited, precision, start, end):
    span = parse_cited(cited, precision)
    assert (span.start, span.end) == (start, end)
