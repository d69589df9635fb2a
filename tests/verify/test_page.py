import logging

import pytest

from citecheck.models import (
    Candidate,
    Citation,
    Code,
    Context,
    DateCandidate,
    DatePrecision,
    Kind,
    PageMetadata,
    Severity,
)
from citecheck.verify.page import verify_page

URL = "https://www.caspiancourier.test/news/2022/06/09/detention-centres"
PAGE = PageMetadata(
    content_type="text/html",
    size=48_000,
    title="Ministry denies reports of overcrowding in detention centres",
    titles=(
        Candidate("Ministry denies reports of overcrowding in detention centres", "og:title"),
        Candidate("Ministry denies reports of overcrowding in detention centres | Caspian Courier",
                  "title"),
        Candidate("Caspian Courier", "h1"),
    ),
    published="2022-06-09",
    dates=(
        DateCandidate("2022-06-09", "published", "json-ld:datePublished"),
        DateCandidate("2022-09-14", "modified", "meta:article:modified_time"),
    ),
    site_name="Caspian Courier",
    site_names=(Candidate("Caspian Courier", "og:site_name"),),
    text="The ministry said 405 detainees were held in a centre built for 250. "
         "A spokesman called the reports “deliberate misinformation”.",
)


def cite(**fields) -> Citation:
    base = dict(id="7", text="a footnote", kind=Kind.WEB, url=URL,
                title="Ministry denies reports of overcrowding in detention centres",
                publisher="Caspian Courier", date="2022-06-09", date_precision=DatePrecision.DAY)
    return Citation(**{**base, **fields})


def codes(findings) -> list[tuple[Code, Severity]]:
    return [(finding.code, finding.severity) for finding in findings]


def test_a_correct_footnote_has_no_finding():
    context = Context("the ministry admitted that 405 detainees were held there")
    assert verify_page(cite(context=context), PAGE, final_url=URL) == []


@pytest.mark.parametrize(("fields", "expected"), [
    ({"title": "Court sentences journalist to six years in prison"},
     [(Code.TITLE_MISMATCH, Severity.ERROR)]),
    ({"title": "Ministry denies reports of overcrowding in police stations"},
     [(Code.TITLE_MISMATCH, Severity.WARNING)]),
    ({"date": "2022-09-06"}, [(Code.DATE_MISMATCH, Severity.ERROR)]),
    ({"date": "2021-06-09"}, [(Code.DATE_MISMATCH, Severity.ERROR)]),
    ({"date": "2022-06-13"}, [(Code.DATE_MISMATCH, Severity.WARNING)]),
    ({"date": "2022-09-14"}, [(Code.DATE_MATCHES_UPDATED, Severity.INFO)]),
    ({"date": "2022-06", "date_precision": DatePrecision.MONTH}, []),
    ({"date": "2022", "date_precision": DatePrecision.YEAR}, []),
    ({"publisher": "Reuters"}, [(Code.PUBLISHER_MISMATCH, Severity.WARNING)]),
    ({"publisher": "caspiancourier.test"}, []),
    ({"context": Context("some 450 detainees")}, [(Code.CLAIM_UNSUPPORTED, Severity.INFO)]),
    ({"title": None, "date": None, "publisher": None}, []),
])
def test_each_check_yields_its_code_and_severity(fields, expected):
    assert codes(verify_page(cite(**fields), PAGE, final_url=URL)) == expected


def test_a_page_without_titles_or_dates_gives_missing_not_mismatch():
    page = PageMetadata(content_type="application/pdf", size=1000)
    assert codes(verify_page(cite(), page, final_url=URL)) == [
        (Code.TITLE_MISSING, Severity.INFO), (Code.DATE_MISSING, Severity.INFO)]


def test_single_title_and_dates_are_used_when_there_are_no_candidate_sets():
    page = PageMetadata(content_type="text/html", size=10, title="Annual report 2022",
                        title_source="pdf:info:/Title", published="2023-02-01",
                        published_source="pdf:info:/CreationDate", modified="2023-05-01")
    findings = verify_page(cite(title="Annual report 2022", date="2023-02-01"), page,
                           final_url=URL)
    assert findings == []
    findings = verify_page(cite(title="Annual report 2022", date="2023-05-01"), page,
                           final_url=URL)
    assert codes(findings) == [(Code.DATE_MATCHES_UPDATED, Severity.INFO)]
    assert findings[0].evidence["published"] == "2023-02-01"


@pytest.mark.parametrize(("fields", "cited", "found", "source"), [
    ({"title": "Court sentences journalist to six years in prison"},
     "Court sentences journalist to six years in prison",
     "Ministry denies reports of overcrowding in detention centres", "og:title"),
    ({"date": "2022-09-06"}, "2022-09-06", "2022-06-09", "json-ld:datePublished"),
    ({"date": "2022-09-14"}, "2022-09-14", "2022-09-14", "meta:article:modified_time"),
    ({"publisher": "Reuters"}, "Reuters", "Caspian Courier", "og:site_name"),
])
def test_every_mismatch_quotes_both_sides_and_where(fields, cited, found, source):
    (finding,) = verify_page(cite(**fields), PAGE, final_url=URL)
    assert cited in finding.message and found in finding.message and source in finding.message
    assert finding.evidence["cited"] == cited
    assert finding.evidence["found"] == found
    assert finding.evidence["source"] == source
    assert finding.note_id == "7"


def test_swapped_date_says_so():
    (finding,) = verify_page(cite(date="2022-09-06"), PAGE, final_url=URL)
    assert "day and month swapped?" in finding.message
    assert finding.evidence["hint"] == "day and month swapped?"


def test_updated_date_names_the_publication_date_too():
    (finding,) = verify_page(cite(date="2022-09-14"), PAGE, final_url=URL)
    assert "2022-06-09" in finding.message and "json-ld:datePublished" in finding.message


def test_title_mismatch_gives_the_score():
    (finding,) = verify_page(cite(title="Weekly market review"), PAGE, final_url=URL)
    assert 0 <= int(finding.evidence["score"]) < 65
    assert finding.evidence["score"] in finding.message


@pytest.mark.parametrize(("fields", "cited"), [
    ({"context": Context("a “campaign of lies”, 450 detainees")}, "campaign of lies"),
    ({"title": "Any title"}, "Any title"),
    ({"date": "2022-06-09"}, "2022-06-09"),
])
def test_missing_and_unsupported_findings_quote_the_cited_value(fields, cited):
    page = PageMetadata(content_type="text/html", size=10, text="A page with little text.")
    findings = verify_page(cite(**{"title": None, "date": None, **fields}), page, final_url=URL)
    assert findings
    for finding in findings:
        assert finding.evidence["cited"] in finding.message
    assert cited in [finding.evidence["cited"] for finding in findings]


def test_claims_need_page_text():
    page = PageMetadata(content_type="image/png", size=10)
    findings = verify_page(cite(title=None, date=None, context=Context("450 detainees")), page,
                           final_url=URL)
    assert findings == []


def test_ignored_codes_are_left_out():
    citation = cite(title="Weekly market review", date="2021-06-09",
                    ignore=("title-mismatch", "claim-unsupported"))
    assert codes(verify_page(citation, PAGE, final_url=URL)) == [
        (Code.DATE_MISMATCH, Severity.ERROR)]


@pytest.mark.parametrize("wall", [{"blocked": "cloudflare: Just a moment..."},
                                  {"soft404": "title: Page not found"}])
def test_walls_and_error_pages_are_not_compared(wall):
    page = PageMetadata(content_type="text/html", size=10, **wall)
    assert verify_page(cite(title="Weekly market review"), page, final_url=URL) == []


def test_a_cited_date_that_is_not_iso_is_skipped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="citecheck.verify.page"):
        findings = verify_page(cite(date="9 June 2022"), PAGE, final_url=URL)
    assert findings == []
    assert "footnote 7" in caplog.text and "9 June 2022" in caplog.text


def test_the_site_name_as_h1_does_not_confirm_another_article():
    findings = verify_page(cite(title="Court sentences journalist | Caspian Courier"), PAGE,
                           final_url=URL)
    assert codes(findings) == [(Code.TITLE_MISMATCH, Severity.ERROR)]


def test_the_site_name_in_the_page_title_counts_for_the_publisher():
    page = PageMetadata(content_type="text/html", size=10, titles=(
        Candidate("Detention centres overcrowded - Caspian Courier", "title"),))
    url = "https://cdn.example-hosting.net/story/1"
    assert verify_page(cite(title=None, date=None), page, final_url=url) == []
    (finding,) = verify_page(cite(title=None, date=None, publisher="Reuters"), page,
                             final_url=url)
    assert finding.code is Code.PUBLISHER_MISMATCH
    assert finding.evidence["source"] == "title affix"


def test_a_pdf_whose_metadata_title_is_junk_is_confirmed_by_its_first_page():
    page = PageMetadata(
        content_type="application/pdf", size=90_000,
        titles=(Candidate("Microsoft Word - final_v3.docx", "pdf:info:/Title"),),
        text="Distr.: General 12 May 2023\nOriginal: English\nCommittee against Torture\n"
             "Concluding observations on the fifth periodic report of Azerbaijan\n1. The "
             "Committee considered the report at its meetings...",
    )
    title = "Concluding observations on the fifth periodic report of Azerbaijan"
    assert verify_page(cite(title=title, date=None, publisher=None), page, final_url=URL) == []


@pytest.mark.parametrize("junk", ["", " | ", "…", "- · -"])
def test_titles_made_of_separators_do_not_break_anything(junk):
    page = PageMetadata(content_type="text/html", size=10, titles=(Candidate(junk, "title"),),
                        site_names=(Candidate(junk, "og:site_name"),))
    findings = verify_page(cite(date=None), page, final_url=URL)
    assert [finding.code for finding in findings] == [Code.TITLE_MISSING]
