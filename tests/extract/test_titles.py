import json

import pytest
from extract_helpers import ARTICLE_TEXT, html_page

from citecheck.extract import extract_page
from citecheck.extract.titles import host_name, looks_like_site, split_title

URL = "https://news.example.org/2023/water-plan"
HEADLINE = "Council approves the new water plan"


def extract(head: str = "", body: str = "", url: str = URL):
    page = html_page(head, body + ARTICLE_TEXT)
    return extract_page(page.encode(), url=url, headers=[("Content-Type", "text/html")])


def sources(meta, value: str) -> set[str]:
    return {c.source for c in meta.titles if c.value == value}


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


@pytest.mark.parametrize(("head", "body", "source"), [
    (f'<meta property="og:title" content="{HEADLINE}">', "", "og:title"),
    (f'<meta name="twitter:title" content="{HEADLINE}">', "", "twitter:title"),
    (ld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE}), "",
     "json-ld:headline"),
    (ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example News"},
        {"@type": "Article", "headline": HEADLINE}]}), "", "json-ld:headline"),
    (ld({"@type": "WebPage", "name": HEADLINE}), "", "json-ld:name"),
    (f"<title>{HEADLINE}</title>", "", "title"),
    (f"<title>{HEADLINE} | Example News</title>", "", "title:main"),
    ("", f"<h1>{HEADLINE}</h1>", "h1"),
    ("", f'<div itemscope><span itemprop="headline">{HEADLINE}</span></div>', "itemprop:headline"),
    (f'<meta name="DC.title" content="{HEADLINE}">', "", "meta:dc.title"),
    (f'<meta name="citation_title" content="{HEADLINE}">', "", "meta:citation_title"),
    ("", f"<h2>{HEADLINE}</h2>", "h2"),
    ("", f"<h3>{HEADLINE}</h3>", "h3"),
])
def test_each_title_source(head, body, source):
    assert source in sources(extract(head, body), HEADLINE)


def test_breadcrumb_pages_in_json_ld_are_not_titles():
    crumbs = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {"@type": "WebPage", "name": "Home"}}]}
    meta = extract(ld(crumbs))
    assert not sources(meta, "Home")


def test_best_title_chain_prefers_og_title():
    meta = extract(f'<meta property="og:title" content="{HEADLINE}"><title>Other | Site</title>',
                   "<h1>A heading</h1>")
    assert (meta.title, meta.title_source) == (HEADLINE, "og:title")


def test_best_title_then_json_ld_headline():
    meta = extract(ld({"@type": "Article", "headline": HEADLINE}) + "<title>Other | Site</title>")
    assert (meta.title, meta.title_source) == (HEADLINE, "json-ld:headline")


def test_best_title_then_title_without_site_name():
    meta = extract(f"<title>{HEADLINE} – Example News</title>", "<h1>Menu</h1>")
    assert (meta.title, meta.title_source) == (HEADLINE, "title:main")
    assert ("Example News", "title:suffix") in {(c.value, c.source) for c in meta.site_names}


def test_best_title_then_h1():
    meta = extract("", f"<h1>  {HEADLINE}\n</h1>")
    assert (meta.title, meta.title_source) == (HEADLINE, "h1")


def test_og_title_that_only_names_the_site_is_skipped():
    head = ('<meta property="og:site_name" content="Example News">'
            '<meta property="og:title" content="Example News">'
            f"<title>{HEADLINE} | Example News</title>")
    meta = extract(head)
    assert (meta.title, meta.title_source) == (HEADLINE, "title:main")


def test_og_title_loses_a_site_name_suffix_for_people_but_keeps_it_as_candidate():
    head = ('<meta property="og:site_name" content="Example News">'
            f'<meta property="og:title" content="{HEADLINE} | Example News">')
    meta = extract(head)
    assert meta.title == HEADLINE
    assert "og:title" in sources(meta, f"{HEADLINE} | Example News")


def test_title_candidates_are_unique_and_bounded():
    meta = extract(f'<meta property="og:title" content="{HEADLINE}"><title>{HEADLINE}</title>',
                   f"<h1>{HEADLINE}</h1>" + "<h2>Part</h2>" * 20)
    values = [c.value for c in meta.titles]
    assert len(values) == len(set(values))
    assert len(values) <= 12


@pytest.mark.parametrize(("title", "names", "expected"), [
    ("Water plan approved | Example News", ["Example News"], ("Water plan approved",
                                                              "Example News")),
    ("Example News - Water plan approved", ["Example News"], ("Water plan approved",
                                                              "Example News")),
    ("Water plan approved – Politics – Example News", ["Example News"],
     ("Water plan approved – Politics", "Example News")),
    ("Water plan approved :: news.example.org", [], ("Water plan approved", "news.example.org")),
    ("Water plan approved · Example", [], ("Water plan approved", "Example")),
    ("Water plan approved » Blog", [], ("Water plan approved", "Blog")),
    ("Water plan approved — Some Paper", [], ("Water plan approved", "Some Paper")),
    ("Water plan approved | Example News | Politics", ["Example News"],
     ("Water plan approved", "Example News")),
    ("Water plan approved | news.example.org | Politics", [],
     ("Water plan approved", "news.example.org")),
    ("Example News: Politics | Water plan approved", ["Example News: Politics"],
     ("Water plan approved", "Example News: Politics")),
    ("Water plan approved", [], ("Water plan approved", None)),
    ("COVID-19 and the water-plan", [], ("COVID-19 and the water-plan", None)),
])
def test_split_title(title, names, expected):
    assert split_title(title, names, "news.example.org") == expected


@pytest.mark.parametrize(("part", "names", "host", "expected"), [
    ("Example News", ["Example News"], None, True),
    ("example news", ["Example News"], None, True),
    ("STATE.GOV", [], "state.gov", True),
    ("Investment Watch", [], "investmentwatchblog.com", True),
    ("Water plan approved", ["Example News"], "example.org", False),
    ("BBC News", [], "www.bbc.co.uk", True),
    ("bbc.co.uk", [], "bbc.co.uk", True),
    ("Water crisis deepens in the north", [], "water.org", False),
    ("", [], "example.org", False),
])
def test_looks_like_site(part, names, host, expected):
    assert looks_like_site(part, names, host) is expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.state.gov/reports/x", "state.gov"),
    ("http://Example.ORG:8080/a", "example.org"),
    ("not a url", None),
    ("http://[::1", None),
])
def test_host_name(url, expected):
    assert host_name(url) == expected


@pytest.mark.parametrize(("head", "best", "source"), [
    ('<meta property="og:site_name" content="Example News">', "Example News", "og:site_name"),
    (ld({"@type": "NewsArticle", "headline": "x", "publisher": {
        "@type": "Organization", "name": "Example Media Group"}}), "Example Media Group",
     "json-ld:publisher"),
    (ld({"@type": "WebSite", "name": "Example Site"}), "Example Site", "json-ld:WebSite"),
    ('<meta name="application-name" content="Example App">', "Example App",
     "meta:application-name"),
    ('<meta name="citation_publisher" content="Example Press">', "Example Press",
     "meta:citation_publisher"),
    ("", "news.example.org", "domain"),
])
def test_site_name_sources(head, best, source):
    meta = extract(head)
    assert meta.site_name == best
    assert (best, source) in {(c.value, c.source) for c in meta.site_names}
    assert ("news.example.org", "domain") in {(c.value, c.source) for c in meta.site_names}


@pytest.mark.parametrize(("head", "body", "expected"), [
    (ld({"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ana Reyes"},
                                            {"@type": "Person", "name": "Tom Berg"}]}), "",
     "Ana Reyes, Tom Berg"),
    ('<meta name="author" content="Ana Reyes">', "", "Ana Reyes"),
    ('<meta property="article:author" content="https://facebook.example/ana">'
     '<meta name="citation_author" content="Reyes, Ana">', "", "Reyes, Ana"),
    ("", '<span itemprop="author">Ana Reyes</span>', "Ana Reyes"),
    ("", "", None),
])
def test_author(head, body, expected):
    assert extract(head, body).author == expected


@pytest.mark.parametrize(("head", "html_lang", "expected"), [
    ("", "de-DE", "de-DE"),
    ('<meta property="og:locale" content="fr_FR">', "", "fr-FR"),
    ('<meta http-equiv="content-language" content="es">', "", "es"),
])
def test_lang(head, html_lang, expected):
    page = html_page(head, ARTICLE_TEXT, lang=html_lang).replace(' lang=""', "")
    assert extract_page(page.encode(), url=URL).lang == expected


@pytest.mark.parametrize(("head", "expected"), [
    ('<link rel="canonical" href="/2023/water-plan">', "https://news.example.org/2023/water-plan"),
    ('<link rel="Canonical" href="https://example.org/a">', "https://example.org/a"),
    ('<meta property="og:url" content="https://example.org/b">', "https://example.org/b"),
    ("", None),
])
def test_canonical_url(head, expected):
    assert extract(head).canonical_url == expected
