import pytest

from citecheck.verify.claims import numbers, unsupported_claims

PAGE = (
    "The prosecutor's office said on Tuesday that 405 soldiers had been questioned since the "
    "case was reopened. Of these, 17 officers were charged and nine were sentenced to three "
    "years. The ministry put the cost of repairs at 1.200.000 manat, and 12,5 % of the budget "
    "went to the prison service. The detainee's injuries were described as “self-inflicted” "
    "by the investigators, a claim his lawyer rejected at the 79th session of the committee. "
    "Around 2,000 people signed the petition. Case no. 4050 is still pending."
)


@pytest.mark.parametrize(("clause", "missing"), [
    ("405 people connected to the case were subjected to abuse", []),
    ("the authorities convicted 17 senior army officers", []),
    ("the authorities convicted 18 senior army officers", ["18"]),
    ("repairs cost 1,200,000 manat", []),  # separators differ from the page's
    ("repairs cost 1 200 000 manat", ["200", "000"]),  # plain spaces are not separators
    ("12.5% of the budget", []),
    ("14.5% of the budget", ["14.5"]),
    ("the 79th session", []),
    ("the 80th session", ["80"]),
    ("some 2000 people signed", []),  # a year-like count, not checked
    ("some 2.000 people signed", []),
    ("some 3,000 people signed", ["3,000"]),
    ("in December 2021 and in 2017", []),  # years are not checked
    ("case 050 was opened", ["050"]),
    ("case 405", []),
    ("case 40 was opened", ["40"]),  # "40" is inside "4050" and "405" only
    ("one of 9 judges", []),  # a single digit is not checked
    ("COVID-19 measures", ["19"]),
    ("the G20 summit and the 5G network", []),  # numbers inside words are not claims
    ("٤٠٥ soldiers", []),  # Arabic-Indic digits
])
def test_numbers(clause, missing):
    assert unsupported_claims(clause, PAGE) == missing


@pytest.mark.parametrize(("clause", "missing"), [
    ("claiming that his injuries were “self-inflicted.”", []),
    ('claiming that his injuries were "Self Inflicted"', []),
    ("claiming that his injuries were «self-inflicted»", []),
    ("claiming that his injuries were „self-inflicted“", []),
    ("calling it a “politically motivated verdict”", ["politically motivated verdict"]),
    ('the lawyer "rejected the claim"', ["rejected the claim"]),
    ("it was “ok”", []),  # too short to check
    ("the officers' “routine questioning”", ["routine questioning"]),
])
def test_quoted_phrases(clause, missing):
    assert unsupported_claims(clause, PAGE) == missing


def test_long_quotes_may_differ_slightly():
    page = "He said: we were never informed about the reasons for his arrest at all."
    clause = "the family said they “were never informed about the reason for his arrest”"
    assert unsupported_claims(clause, page) == []
    warned = "had been warned about the coming arrests in advance"
    assert unsupported_claims(f"the family said they “{warned}”", page) == [warned]


def test_claims_are_given_once_in_clause_order():
    clause = "“a staged trial”, 33 witnesses and 33 lawyers, 44 days"
    assert unsupported_claims(clause, PAGE) == ["33", "44", "a staged trial"]


@pytest.mark.parametrize("page", ["", "   \n"])
def test_no_page_text_no_claims(page):
    assert unsupported_claims("17 officers, “self-inflicted”", page) == []


def test_numbers_by_value():
    assert numbers("1,200 and 1.200 and 12,5 and 79th, 2019, 3") == {
        "1200": "1,200", "12.5": "12,5", "79": "79"}
