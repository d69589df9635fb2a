import pytest

from citecheck.models import Candidate
from citecheck.verify.publishers import domain_candidates, match_publisher, same_name
from citecheck.verify.verdict import Verdict


@pytest.mark.parametrize(("cited", "site_names", "url"), [
    # acronyms and spelled-out forms, by site name or by domain alone
    ("RFE/RL", ["Radio Free Europe/Radio Liberty"], "https://www.rferl.org/a/31234567.html"),
    ("RFE/RL", [], "https://www.rferl.org/a/31234567.html"),
    ("Radio Free Europe/Radio Liberty", ["RFE/RL"], "https://www.rferl.org/a/1.html"),
    ("Radio Free Europe", [], "https://www.rferl.org/a/1.html"),
    ("Us department of state", [], "https://www.state.gov/reports/2022-country-reports/"),
    ("U.S. Department of State", ["U.S. Department of State"], "https://www.state.gov/x/"),
    ("Council of Europe", [], "https://www.coe.int/en/web/portal/-/news"),
    ("MEYDAN.TV", ["Meydan TV"], "https://www.meydan.tv/en/article/abc/"),
    ("MEYDAN.TV", [], "https://www.meydan.tv/en/article/abc/"),
    ("oc-media", [], "https://oc-media.org/activist-claims/"),
    ("OC Media", ["OC Media"], "https://oc-media.org/activist-claims/"),
    ("TURAN", [], "https://turan.az/ext/news/2022/4/free/politics_news/en/1234.htm"),
    ("BBC", ["BBC News"], "https://www.bbc.co.uk/news/world-europe-1"),
    ("BBC", [], "https://www.bbc.com/news/world-europe-1"),
    ("BBC News", [], "https://www.bbc.co.uk/news/world-europe-1"),
    ("Human Rights Watch", [], "https://www.hrw.org/news/2022/01/01/x"),
    ("Deutsche Welle", [], "https://www.dw.com/en/x/a-1"),
    ("The Guardian", [], "https://www.theguardian.com/world/2022/x"),
    ("Amnesty International", [], "https://www.amnesty.org/en/latest/news/"),
    ("UN News", [], "https://news.un.org/en/story/2022/01/1"),
    ("Ministry of Foreign Affairs of the Republic of Azerbaijan", [], "https://mfa.gov.az/en/news"),
    ("Business news from Eastern Europe", ["bne IntelliNews"], "https://www.intellinews.com/x"),
    ("Business Standard", [], "https://hindi.business-standard.com/storypage.php?autono=1"),
    ("News.am", [], "https://news.am/eng/news/1.html"),
    ("Reuters", ["Reuters"], "https://www.reuters.com/world/x"),
    ("reuters.com", ["Thomson Reuters"], "https://www.reuters.com/world/x"),
    ("AP", ["AP News"], "https://apnews.com/article/x"),
    ("Le Monde", ["Le Monde.fr"], "https://www.lemonde.fr/international/article/x"),
])
def test_the_same_publisher(cited, site_names, url):
    names = [Candidate(name, "og:site_name") for name in site_names]
    match = match_publisher(cited, names, url)
    assert match.verdict is Verdict.MATCH, match


@pytest.mark.parametrize(("cited", "site_names", "url"), [
    ("Reuters", ["AP News"], "https://apnews.com/article/x"),
    ("Reuters", [], "https://apnews.com/article/x"),
    ("Associated Press", ["Reuters"], "https://www.reuters.com/world/x"),
    ("Human Rights Watch", ["Amnesty International"], "https://www.amnesty.org/en/x"),
    ("The Guardian", ["The Independent"], "https://www.independent.co.uk/news/x"),
    ("Le Monde", ["Le Figaro"], "https://www.lefigaro.fr/international/x"),
    ("Al Jazeera", ["BBC News"], "https://www.bbc.com/news/x"),
    ("Eurasianet", ["OC Media"], "https://oc-media.org/x"),
    ("BBC News", [], "https://news.am/eng/news/1.html"),
])
def test_another_publisher(cited, site_names, url):
    names = [Candidate(name, "og:site_name") for name in site_names]
    match = match_publisher(cited, names, url)
    assert match.verdict is Verdict.MISMATCH, match
    assert match.found is not None and match.source is not None


def test_mismatch_reports_the_closest_name_and_where_it_is():
    names = [Candidate("Daily Chronicle", "og:site_name"),
             Candidate("AP News", "json-ld:publisher")]
    match = match_publisher("A.P. News", names, "https://apnews.com/article/x")
    assert match.verdict is Verdict.MATCH
    match = match_publisher("Reuters", names, "https://apnews.com/article/x")
    assert match.verdict is Verdict.MISMATCH
    assert (match.found, match.source) in {(n.value, n.source) for n in names} | {
        ("apnews.com", "domain")}


@pytest.mark.parametrize(("cited", "names", "url"), [
    ("", [Candidate("BBC", "og:site_name")], "https://bbc.com/x"),
    ("--", [Candidate("BBC", "og:site_name")], "https://bbc.com/x"),
    ("BBC", [], ""),
    ("BBC", [], "not a url"),
    ("BBC", [], "http://[abc/"),
])
def test_nothing_to_compare_is_missing(cited, names, url):
    assert match_publisher(cited, names, url).verdict is Verdict.MISSING


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
    ("https://hindi.business-standard.com/x", "business-standard.com"),
    ("http://127.0.0.1:8000/page", "127.0.0.1"),
    ("https://localhost/x", "localhost"),
    ("https://www.caspiancourier.test/x", "caspiancourier.test"),
])
def test_domain_candidates(url, expected):
    assert domain_candidates(url) == [Candidate(expected, "domain")]


@pytest.mark.parametrize(("first", "second", "same"), [
    ("disfunctions.de", "Disfunctions.de", True),
    ("Caspian Courier", "caspian courier", True),
    ("Caspian Courier", "Caspian Courier Weekly", False),
    ("mix1.de", "Mix1", True),
    ("caspiancourier.test", "Caspian Courier", True),
])
def test_same_name_is_strict(first, second, same):
    assert same_name(first, second) is same
