"""Fixes the accuracy evaluation called for: titles, publishers, soft 404s, dates, ca_bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.errors import InputError
from citecheck.extract import home_page_redirect
from citecheck.models import (
    Candidate,
    Citation,
    Code,
    DateCandidate,
    DatePrecision,
    Kind,
    PageMetadata,
    Severity,
)
from citecheck.settings import load_settings
from citecheck.verify.page import verify_page
from citecheck.verify.publishers import publisher_score
from citecheck.verify.titles import match_title
from citecheck.verify.verdict import Verdict

SITE = ["mobilsicher.de"]
TITLES = [Candidate("Apple kippt Verschlüsselungspläne für iCloud - mobilsicher.de", "og:title"),
          Candidate("Aktuelles auf mobilsicher.de", "h3")]


@pytest.mark.parametrize(("cited", "verdict"), [
    ("Apple kippt Verschlüsselungspläne für iCloud - mobilsicher.de", Verdict.MATCH),
    ("Apple kippt Verschlüsselungspläne für iCloud", Verdict.MATCH),
    # the site's name is the longest part of a short (CJK) title: it must not match the h3
    ("益阳：“数字”是优长 - mobilsicher.de", Verdict.MISMATCH),
    ("Wie man Passwörter sicher speichert - mobilsicher.de", Verdict.MISMATCH),
])
def test_site_name_part_is_never_the_article(cited, verdict):
    assert match_title(cited, TITLES, site_names=SITE).verdict is verdict


BLOG = [Candidate("Ein Lied über Sommer : Musik-Archiv | Notizen zur Popmusik | Seit 2005",
                  "title"),
        Candidate("Musik-Archiv", "h1"), Candidate("Ein Lied über Sommer", "h3")]


@pytest.mark.parametrize(("cited", "verdict"), [
    ("Ein Lied über Sommer | Musik-Archiv", Verdict.MATCH),
    ("北京欢迎你_百度百科 | Musik-Archiv", Verdict.MISMATCH),  # the blog's logo h1 is no title
])
def test_logo_heading_named_like_the_host_is_a_site_name(cited, verdict):
    assert match_title(cited, BLOG, site_names=["archiv.musik.de"]).verdict is verdict


@pytest.mark.parametrize(("cited", "name", "same"), [
    ("BA", "Bundesagentur für Arbeit", True),  # "für" is a small word
    ("EKS", "Evangelisch-reformierte Kirche Schweiz", True),  # a compound is one word
    ("ERKS", "Evangelisch-reformierte Kirche Schweiz", True),  # or several
    ("ACLU", "American Civil Liberties Union", True),
    ("Reuters", "Associated Press", False),
    ("BA", "British Airways Magazine", False),
    ("Krimiblog-Archiv", "archiv.krimiblog.de", True),  # the host's labels joined
    ("BBC News", "news.bbc.co.uk", True),
    ("Spiegel Online", "www.spiegel.de", True),
    ("Archiv", "archiv.krimiblog.de", True),
    ("Krimi Magazin", "archiv.krimiblog.de", False),
])
def test_publisher_initials(cited, name, same):
    assert (publisher_score(cited, name) >= 80) is same


@pytest.mark.parametrize(("url", "final", "via", "home"), [
    # a shortener's link to an article that now redirects to the home page
    ("https://tinyl.io/x", "https://example.org/", ["https://tinyl.io/x",
                                                     "https://example.org/news/a-moved"], True),
    ("https://tinyl.io/x", "https://example.org/", ["https://tinyl.io/x",
                                                     "https://example.org/"], False),
    # "/?p=31228" is an article, not the home page, even when nothing redirected
    ("https://www.example.ch/?p=31228", "https://www.example.ch/?p=31228", [], False),
    ("https://tinyl.io/y", "https://www.example.ch/?p=31228",
     ["https://tinyl.io/y", "https://www.example.ch/?p=31228"], False),
    # the same host spelt in Unicode and in IDNA
    ("https://tinyl.io/z", "https://seglerblog.xn--stssenseer-fcb.de/",
     ["https://seglerblog.stössenseer.de/archive/a"], True),
])
def test_home_page_redirect_through_the_chain(url, final, via, home):
    assert bool(home_page_redirect(url, final, via=via)) is home


def test_weakly_supported_date_is_a_warning_quoting_both_dates():
    page = PageMetadata("text/html", 100, dates=(
        DateCandidate("2022-05-04", "published", "json-ld:datePublished"),
        DateCandidate("2022-04-05", "other", "time")))
    citation = Citation("7", "", Kind.WEB, date="2022-04-05", date_precision=DatePrecision.DAY)
    [finding] = verify_page(citation, page, final_url="https://example.org/a")
    assert (finding.code, finding.severity) == (Code.DATE_MISMATCH, Severity.WARNING)
    assert finding.evidence["found"] == "2022-05-04"
    assert finding.evidence["weak_support"] == "time"


def test_ca_bundle_is_read_from_citecheck_toml(tmp_path: Path):
    (tmp_path / "citecheck.toml").write_text('ca_bundle = "/etc/proxy-ca.pem"\n')
    assert load_settings(tmp_path).ca_bundle == "/etc/proxy-ca.pem"


def test_ca_bundle_must_be_a_path(tmp_path: Path):
    (tmp_path / "citecheck.toml").write_text("ca_bundle = 3\n")
    with pytest.raises(InputError) as caught:
        load_settings(tmp_path)
    assert "citecheck.toml" in (caught.value.where or "")
