import json

import pytest
from extract_helpers import ARTICLE_TEXT, html_page

from citecheck.extract import extract_page
from citecheck.extract.dates import to_iso, url_dates
from citecheck.models import DateCandidate

URL = "https://news.example.org/politics/water-plan"


def extract(head: str = "", body: str = "", url: str = URL, lang: str = "en"):
    page = html_page(head, body + ARTICLE_TEXT, lang=lang)
    return extract_page(page.encode(), url=url, headers=[("Content-Type", "text/html")])


def found(meta) -> set[tuple[str, str, str]]:
    return {(d.value, d.role, d.source) for d in meta.dates}


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-03-14", "2023-03-14"),
    ("2023-03-14T09:30:00+01:00", "2023-03-14"),
    ("2022-5-5 22:17:36", "2022-05-05"),
    ("2023/03/14", "2023-03-14"),
    ("20230314", "2023-03-14"),
    ("20230314T093000Z", "2023-03-14"),
    ("14.03.2023", "2023-03-14"),
    ("14 March 2023", "2023-03-14"),
    ("March 14, 2023", "2023-03-14"),
    ("Tue, 14 Mar 2023 09:30:00 GMT", "2023-03-14"),
    ("1678786200", "2023-03-14"),
    ("1678786200000", "2023-03-14"),
    ("1949-05-23", "1949-05-23"),
    ("1789-08-26", "1789-08-26"),
    ("0001-01-01", None),
    ("2023-02-30", None),
    ("2023-03", None),
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_to_iso(value, expected):
    assert to_iso(value) == expected


def test_to_iso_reads_month_names_of_the_page_language():
    assert to_iso("14. März 2023", "de") == "2023-03-14"
    assert to_iso("14 de marzo de 2023", "es") == "2023-03-14"
    assert to_iso("14 mars 2023", "fr-FR") == "2023-03-14"


@pytest.mark.parametrize(("head", "body", "expected"), [
    (ld({"@type": "NewsArticle", "datePublished": "2023-03-14T08:00:00Z"}), "",
     ("2023-03-14", "published", "json-ld:datePublished")),
    (ld({"@type": "NewsArticle", "dateModified": "2023-04-02"}), "",
     ("2023-04-02", "modified", "json-ld:dateModified")),
    (ld({"@type": "Report", "dateCreated": "2023-03-10"}), "",
     ("2023-03-10", "published", "json-ld:dateCreated")),
    (ld({"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "X", "foundingDate": "1990-01-01"},
        {"@type": "WebPage", "datePublished": "2023-03-14"}]}), "",
     ("2023-03-14", "published", "json-ld:datePublished")),
    ('<meta property="article:published_time" content="2023-03-14T08:00:00+01:00">', "",
     ("2023-03-14", "published", "meta:article:published_time")),
    ('<meta property="article:modified_time" content="2023-04-02T08:00:00+01:00">', "",
     ("2023-04-02", "modified", "meta:article:modified_time")),
    ('<meta property="og:updated_time" content="2023-04-02">', "",
     ("2023-04-02", "modified", "meta:og:updated_time")),
    ('<meta name="date" content="2023-03-14">', "", ("2023-03-14", "published", "meta:date")),
    ('<meta name="DC.date.issued" content="2023-03-14">', "",
     ("2023-03-14", "published", "meta:dc.date.issued")),
    ('<meta name="dcterms.modified" content="2023-04-02">', "",
     ("2023-04-02", "modified", "meta:dcterms.modified")),
    ('<meta name="sailthru.date" content="2023-03-14 08:00:00">', "",
     ("2023-03-14", "published", "meta:sailthru.date")),
    ('<meta name="parsely-pub-date" content="2023-03-14T08:00:00Z">', "",
     ("2023-03-14", "published", "meta:parsely-pub-date")),
    ('<meta name="citation_publication_date" content="2023/03/14">', "",
     ("2023-03-14", "published", "meta:citation_publication_date")),
    ('<meta name="pubdate" content="20230314">', "", ("2023-03-14", "published", "meta:pubdate")),
    ("", '<span itemprop="datePublished" content="2023-03-14">14 March</span>',
     ("2023-03-14", "published", "itemprop:datePublished")),
    ("", '<span itemprop="dateModified">2 April 2023</span>',
     ("2023-04-02", "modified", "itemprop:dateModified")),
    ("", '<time datetime="2023-03-14T08:00">8:00</time>', ("2023-03-14", "other", "time")),
    ("", '<time pubdate datetime="2023-03-14">8:00</time>', ("2023-03-14", "published", "time")),
    ("", '<time class="entry-date published" datetime="2023-03-14">x</time>',
     ("2023-03-14", "published", "time")),
    ("", '<span class="updated"><time datetime="2023-04-02">x</time></span>',
     ("2023-04-02", "modified", "time")),
    ("", "<time>14 March 2023</time>", ("2023-03-14", "other", "time:text")),
])
def test_each_date_source(head, body, expected):
    assert expected in found(extract(head, body))


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/2023/03/14/water-plan", ("2023-03-14", "published")),
    ("https://example.org/news/2023-03-14-water-plan.html", ("2023-03-14", "published")),
    ("https://example.org/news/2023_03_14/", ("2023-03-14", "published")),
    ("https://example.org/article/20230314-water", ("2023-03-14", "other")),
    ("https://example.org/a?date=2023-03-14", ("2023-03-14", "published")),
])
def test_url_dates(url, expected):
    assert (*expected, "url") in {(d.value, d.role, d.source) for d in url_dates(url)}


@pytest.mark.parametrize("url", [
    "https://example.org/item/120230314",  # an id, not a date
    "https://example.org/2023/13/45/x",
    "https://20230314.example.org/a",  # the host is not a date
    "https://example.org/page/2023",
])
def test_url_without_a_date(url):
    assert url_dates(url) == []


@pytest.mark.parametrize(("body", "lang", "expected"), [
    ("<p>By Ana Reyes. Published 14 March 2023</p>", "en", ("2023-03-14", "published")),
    ("<p class='byline'>Updated: March 20, 2023</p>", "en", ("2023-03-20", "modified")),
    ("<p>Veröffentlicht am 14. März 2023</p>", "de", ("2023-03-14", "published")),
    ("<p>14.03.2023 | Politik</p>", "de", ("2023-03-14", "other")),
    ("<p>Publié le 14 mars 2023</p>", "fr", ("2023-03-14", "published")),
    ("<p>Publicado el 14 de marzo de 2023</p>", "es", ("2023-03-14", "published")),
    ("<p>Опубликовано 14 марта 2023</p>", "ru", ("2023-03-14", "published")),
    ("<p>2023年3月14日 10:00</p>", "ja", ("2023-03-14", "other")),
])
def test_dates_written_near_the_headline(body, lang, expected):
    meta = extract(body=f"<h1>Council approves the water plan</h1>{body}", lang=lang)
    assert (*expected, "text") in found(meta)


def test_text_far_from_the_headline_is_not_read():
    filler = "<p>" + "More words about pipes and pumps. " * 80 + "</p>"
    meta = extract(body=f"<h1>Council approves</h1>{filler}<p>Published 14 March 2023</p>")
    assert not any(d.source == "text" and d.value == "2023-03-14" for d in meta.dates)


def test_dates_in_inline_json_widen_the_candidates_only():
    script = '<script>window.__DATA__ = {"post": {"publishedAt": "2023-03-14T08:00:00Z"}}</script>'
    meta = extract(body=script)
    assert ("2023-03-14", "other", "script:publishedAt") in found(meta)


def test_htmldate_dates_are_candidates():
    meta = extract(body="<h1>Council approves</h1><p>Published on 14 March 2023 by Ana.</p>")
    sources = {d.source for d in meta.dates if d.value == "2023-03-14"}
    assert "htmldate:original" in sources


def test_old_dates_are_kept():
    head = ld({"@type": "Legislation", "name": "Basic Law", "datePublished": "1949-05-23"})
    meta = extract(head, "<h1>Basic Law</h1><p>Adopted 23 May 1949</p>")
    assert meta.published == "1949-05-23"
    assert "text" in {d.source for d in meta.dates if d.value == "1949-05-23"}


def test_htmldate_keeps_old_dates_too():
    meta = extract('<meta name="date" content="1949-05-23">', "<h1>Basic Law</h1>")
    assert "htmldate:original" in {d.source for d in meta.dates if d.value == "1949-05-23"}


def test_a_listing_of_articles_dates_the_page_by_the_first():
    listing = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "Main story", "datePublished": "2023-03-14"},
        {"@type": "NewsArticle", "headline": "Older story", "datePublished": "2022-11-02"}]}
    meta = extract(ld(listing))
    assert meta.published == "2023-03-14"
    assert ("2022-11-02", "other", "json-ld:datePublished") in found(meta)
    assert ("2022-11-02", "published", "json-ld:datePublished") not in found(meta)


def test_published_and_modified_are_kept_apart():
    head = ('<meta property="article:published_time" content="2023-03-14T08:00:00Z">'
            '<meta property="article:modified_time" content="2023-04-02T08:00:00Z">')
    meta = extract(head)
    assert (meta.published, meta.published_source) == ("2023-03-14", "meta:article:published_time")
    assert (meta.modified, meta.modified_source) == ("2023-04-02", "meta:article:modified_time")


def test_structured_dates_come_first():
    head = ld({"@type": "NewsArticle", "datePublished": "2023-03-14"})
    meta = extract(head, '<h1>Water</h1><time pubdate datetime="2023-03-10">x</time>',
                   url="https://example.org/2023/03/01/water")
    assert (meta.published, meta.published_source) == ("2023-03-14", "json-ld:datePublished")


def test_only_the_first_time_element_of_a_role_is_the_pages():
    body = ('<time class="published" datetime="2023-03-14">a</time>'
            '<aside><time class="published" datetime="2021-01-01">b</time></aside>')
    dates = found(extract(body=body))
    assert ("2023-03-14", "published", "time") in dates
    assert ("2021-01-01", "other", "time") in dates
    assert ("2021-01-01", "published", "time") not in dates


def test_dates_are_iso_and_unique():
    head = ('<meta property="article:published_time" content="2023-03-14">'
            '<meta property="article:published_time" content="2023-03-14">')
    meta = extract(head, "<h1>Water</h1><p>14 March 2023</p>")
    assert len(meta.dates) == len(set(meta.dates))
    assert all(isinstance(d, DateCandidate) and len(d.value) == 10 for d in meta.dates)


def test_a_page_without_dates():
    meta = extract(body="<h1>About us</h1>")
    assert meta.published is None
    assert meta.modified is None
