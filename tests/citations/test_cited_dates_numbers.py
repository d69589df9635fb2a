"""Cited dates (formats, languages, precision) and written numbers (Roman, words)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.dates import find_dates, parse_cited_date
from citecheck.citations.numbers import normalise_number, roman_to_int, to_roman, words_to_int
from citecheck.models import DatePrecision

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(("text", "iso", "precision"), [
    # English, day first and month first
    ("21 Nov 2023", "2023-11-21", DAY),
    ("20 July 2023", "2023-07-20", DAY),
    ("1st March 2020", "2020-03-01", DAY),
    ("3rd of May, 2019", "2019-05-03", DAY),
    ("September 6, 2022", "2022-09-06", DAY),
    ("Sept. 6th, 2022", "2022-09-06", DAY),
    ("Dec 31 1999", "1999-12-31", DAY),
    ("JANUARY 17, 2022", "2022-01-17", DAY),
    # month and year
    ("march 2023", "2023-03", MONTH),
    ("March, 2023", "2023-03", MONTH),
    ("Feb. 2021", "2021-02", MONTH),
    ("2021-02", "2021-02", MONTH),
    # numeric
    ("2022-09-06", "2022-09-06", DAY),
    ("2022/9/6", "2022-09-06", DAY),
    ("06.09.2022", "2022-09-06", DAY),
    ("6-9-2022", "2022-09-06", DAY),
    ("06/09/2022", "2022-09-06", DAY),
    ("09/13/2022", "2022-09-13", DAY),
    ("13/09/2022", "2022-09-13", DAY),
    ("2023, March 2", "2023-03-02", DAY),
    ("(2023, March)", "2023-03", MONTH),
    # year only
    ("2022", "2022", YEAR),
    ("(2019)", "2019", YEAR),
    ("1998.", "1998", YEAR),
    # other languages through dateparser
    ("6 septembre 2022", "2022-09-06", DAY),
    ("1er mars 2021", "2021-03-01", DAY),
    ("6. September 2022", "2022-09-06", DAY),
    ("3. Mai 2020", "2020-05-03", DAY),
    ("20 de julio de 2023", "2023-07-20", DAY),
    ("mayo de 2023", "2023-05", MONTH),
    ("20 июля 2023", "2023-07-20", DAY),
    ("5 noyabr 2021", "2021-11-05", DAY),
    ("12 Ekim 2020", "2020-10-12", DAY),
    ("septembre 2022", "2022-09", MONTH),
    ("Juni 2019", "2019-06", MONTH),
])
def test_parse_cited_date(text, iso, precision):
    assert parse_cited_date(text) == (iso, precision)


@pytest.mark.parametrize("text", [
    "", "hello", "31 Feb 2023", "2023-13-01", "32 May 2020", "Report 2022", "No. 405",
    "12345", "2022 Country Reports", "May", "Article 2020 of the Code", "1066", "3 May",
    "5 June 2020 and 6 June 2020",
])
def test_not_a_single_date(text):
    assert parse_cited_date(text) is None


@pytest.mark.parametrize(("text", "found"), [
    ("Title, Publisher, march 2023, link", [("2023-03", "march 2023")]),
    ("2022 Country Reports, US department, march 2023",
     [("2022", "2022"), ("2023-03", "march 2023")]),
    ("Law No. 405-IVQD of June 29, 2012", [("2012-06-29", "June 29, 2012")]),
    ("published 3 May 2020, updated 4 May 2020",
     [("2020-05-03", "3 May 2020"), ("2020-05-04", "4 May 2020")]),
    ("https://x.example/2021/05/12/a", []),
    ("FY2021 budget", []),
    ("Tel. 2020-3030", []),
])
def test_find_dates_gives_every_date_with_its_place(text, found):
    dates = find_dates(text)
    assert [(d.iso, d.text) for d in dates] == found
    assert all(text[d.start:d.end] == d.text for d in dates)


def test_find_dates_prefers_the_longest_reading():
    (date,) = find_dates("on September 6, 2022.")
    assert (date.iso, date.precision) == ("2022-09-06", DAY)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_find_dates_never_raises(text):
    for date in find_dates(text):
        assert text[date.start:date.end] == date.text
    parse_cited_date(text)


@pytest.mark.parametrize(("text", "value"), [
    ("I", 1), ("iv", 4), ("IX", 9), ("XIV", 14), ("XL", 40), ("MCMXCIX", 1999),
    ("IIII", None), ("IC", None), ("VX", None), ("ABC", None), ("", None),
])
def test_roman_numerals(text, value):
    assert roman_to_int(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("one", 1), ("Three", 3), ("twelve", 12), ("twenty-one", 21), ("Forty Two", 42),
    ("one hundred and five", 105), ("two hundred", 200), ("hundred", None), ("and", None),
    ("three apples", None),
])
def test_number_words(text, value):
    assert words_to_int(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("III", "3"), ("Three", "3"), ("46", "46"), ("12bis", "12bis"), ("5(2)", "5(2)"),
    ("zz", None),
])
def test_normalise_number(text, value):
    assert normalise_number(text) == value


@pytest.mark.parametrize("number", [1, 4, 9, 14, 40, 90, 400, 1999, 3999])
def test_roman_round_trip(number):
    assert roman_to_int(to_roman(number)) == number
