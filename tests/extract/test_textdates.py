import pytest

from citecheck.extract.textdates import find_dates, make_date, month_names, parse_date, role_before


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("14 March 2023", None, ["2023-03-14"]),
    ("14th March, 2023", None, ["2023-03-14"]),
    ("March 14, 2023", None, ["2023-03-14"]),
    ("Sept. 3, 2021", None, ["2021-09-03"]),
    ("14 Mar 2023", None, ["2023-03-14"]),
    ("14.03.2023", None, ["2023-03-14"]),
    ("14. 3. 2023", None, ["2023-03-14"]),
    ("2023-03-14", None, ["2023-03-14"]),
    ("2023/3/14", None, ["2023-03-14"]),
    ("25/12/2022", None, ["2022-12-25"]),
    ("12/25/2022", None, ["2022-12-25"]),
    ("03/04/2022", None, ["2022-04-03", "2022-03-04"]),  # ambiguous: both readings
    ("14-03-2023", None, ["2023-03-14"]),
    ("2023年3月14日", None, ["2023-03-14"]),
    ("2023년 3월 14일", None, ["2023-03-14"]),
    ("١٤.٠٣.٢٠٢٣", None, ["2023-03-14"]),  # Arabic-Indic digits
    ("14. Januar 2022", "de", ["2022-01-14"]),
    ("3 de mayo de 2022", "es-ES", ["2022-05-03"]),
    ("14 marca 2023", "pl", ["2023-03-14"]),
    ("31 February 2023", None, []),
    ("build 10.2.3.2023", None, []),
    ("call 030 14 03 2023", None, []),
    ("in 2023", None, []),
])
def test_find_dates(text, lang, expected):
    assert [d.value for d in find_dates(text, lang)] == expected


def test_find_dates_in_order_with_roles():
    text = "Last updated 04 Jun 2020, originally created 17 Jun 2019. Seen 1 July 2020."
    assert [(d.value, d.role) for d in find_dates(text)] == [
        ("2020-06-04", "modified"), ("2019-06-17", "published"), ("2020-07-01", "other")]


@pytest.mark.parametrize(("before", "role"), [
    ("Published: ", "published"), ("Posted on ", "published"), ("Veröffentlicht am ", "published"),
    ("Updated ", "modified"), ("Aktualisiert: ", "modified"), ("Stand: ", "modified"),
    ("mis à jour le ", "modified"), ("Date: ", "other"), ("Standard ", "other"),
    ("We understand ", "other"),
])
def test_role_before(before, role):
    assert role_before(before + "14 March 2023", len(before)) == role


def test_make_date_bounds():
    assert make_date(1949, 5, 23) == "1949-05-23"
    assert make_date(1, 1, 1) is None
    assert make_date(2023, 2, 29) is None


def test_month_names_english_always_and_page_language():
    assert month_names(None)["march"] == 3
    assert month_names("de-AT")["märz"] == 3
    assert month_names("de-AT")["december"] == 12
    assert month_names("xx-unknown") == month_names(None)


def test_parse_date_first_date_only():
    assert parse_date("from 14 March 2023 to 20 March 2023") == "2023-03-14"
    assert parse_date("no date here") is None
