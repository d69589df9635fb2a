import pytest
from extract_helpers import ARTICLE_TEXT, html_page

from citecheck.extract import extract_page, home_page_redirect
from citecheck.extract.soft404 import error_phrase, soft404_evidence


@pytest.mark.parametrize("text", [
    "Page not found", "404", "404 Not Found", "Error 404", "Error 404 - Page not found",
    "Oops! That page can’t be found.", "Sorry, this page doesn't exist", "Nothing Found",
    "This content is no longer available", "The requested URL was not found on this server",
    "No longer available", "This page is no longer available",
    "Seite nicht gefunden", "Fehler 404: Seite nicht gefunden", "Page introuvable",
    "Página no encontrada", "Pagina non trovata", "Страница не найдена", "Página não encontrada",
    "Pagina niet gevonden", "ページが見つかりません", "页面不存在", "Sayfa bulunamadı",
])
def test_error_phrases(text):
    assert error_phrase(text)


@pytest.mark.parametrize("text", [
    "How we fixed the 404 errors on our site after the migration",
    "Page not found: why broken links hurt small charities and what to do about them",
    "Room 404", "Flight 404 lands safely", "Lost and found", "Not found guilty, says court",
    "Why the old paper archive is no longer available to researchers in the city",
    "Council approves the new water plan", "", "Seite nicht gefunden? So beheben Sie den Fehler "
    "in fünf einfachen Schritten",
])
def test_not_error_phrases(text):
    assert error_phrase(text) is None


@pytest.mark.parametrize(("title", "headings"), [
    ("Page not found | Example News", []),
    ("Example News", ["Sorry, we can't find that page"]),
    ("404 – Example", ["Example"]),
    ("Example News :: Seite nicht gefunden", []),
])
def test_soft404_evidence_positive(title, headings):
    assert soft404_evidence(title, headings)


@pytest.mark.parametrize(("title", "headings"), [
    ("Council approves the new water plan | Example News", ["Council approves the plan"]),
    ("Release notes | Example App", ["Changelog"]),
    ("", []),
])
def test_soft404_evidence_negative(title, headings):
    assert soft404_evidence(title, headings) is None


def extract(head: str, body: str, status: int = 200):
    page = html_page(head, body)
    return extract_page(page.encode(), url="https://example.org/reports/water", status=status)


def test_error_page_served_with_200_is_a_soft_404():
    meta = extract("<title>Page not found – Example</title>",
                   "<h1>Oops! That page can’t be found.</h1><p>Try a search instead.</p>")
    assert meta.soft404 and "Page not found" in meta.soft404


def test_article_about_404s_is_not_a_soft_404():
    body = ("<h1>Why links rot: the 404 problem</h1><p>A page not found error, or 404, is what "
            "readers see when a page has been removed. The item has been removed from the "
            "catalogue.</p>" + ARTICLE_TEXT)
    assert extract("<title>Why links rot | Example</title>", body).soft404 is None


def test_changelog_saying_removed_is_not_a_soft_404():
    body = ("<h1>Changelog</h1><ul><li>The export button has been removed.</li><li>Page not "
            "found errors on old links are fixed.</li></ul>" + ARTICLE_TEXT)
    assert extract("<title>Changelog – Example App</title>", body).soft404 is None


def test_soft404_only_for_success_statuses():
    assert extract("<title>Page not found</title>", "<h1>Page not found</h1>", 404).soft404 is None


@pytest.mark.parametrize(("url", "final", "expected"), [
    ("https://example.org/reports/2021/water.html", "https://example.org/", True),
    ("https://example.org/reports/2021/water.html", "https://www.example.org", True),
    ("http://example.org/a/b", "https://example.org/index.html", True),
    ("https://example.org/a/b", "https://example.org/en/", True),
    ("https://example.org/?p=123", "https://example.org/", True),
    ("https://news.example.org/a/b", "https://example.org/", True),
    ("https://example.org/", "https://example.org/", False),
    ("https://example.org/a/b", "https://example.org/a/b", False),
    ("https://example.org/a/b", "https://example.org/c/d", False),
    ("https://bit.ly/3abc", "https://example.org/", False),  # a shortener may point at a home page
    ("https://example.org/a", "https://other.example.net/", False),
    ("not a url", "https://example.org/", False),
])
def test_home_page_redirect(url, final, expected):
    assert bool(home_page_redirect(url, final)) is expected
