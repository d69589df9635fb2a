"""Replay rewriting: inert headers and links into the archive (pure functions, tables)."""

from __future__ import annotations

from urllib.parse import quote

import lxml.html
import pytest

from citecheck.browse.rewrite import (
    header_text,
    replay_headers,
    replay_link,
    rewrite_css,
    rewrite_html,
)

PAGE = "https://site.example/news/story.html"


def resolve(url: str) -> str:
    return "/replay/R/res?url=" + quote(url, safe="")


@pytest.mark.parametrize("name, value, expected", [
    ("Set-Cookie", "sid=1", ("X-Archive-Orig-Set-Cookie", "sid=1")),
    ("Content-Security-Policy", "default-src *",
     ("X-Archive-Orig-Content-Security-Policy", "default-src *")),
    ("Strict-Transport-Security", "max-age=1", ("X-Archive-Orig-Strict-Transport-Security",
                                                "max-age=1")),
    ("Refresh", "0;url=https://evil.example/", ("X-Archive-Orig-Refresh",
                                                "0;url=https://evil.example/")),
    ("Link", "<x.css>; rel=stylesheet", ("X-Archive-Orig-Link", "<x.css>; rel=stylesheet")),
    ("Clear-Site-Data", '"*"', ("X-Archive-Orig-Clear-Site-Data", '"*"')),
    ("Content-Encoding", "gzip", ("X-Archive-Orig-Content-Encoding", "gzip")),
    ("Content-Length", "12", ("X-Archive-Orig-Content-Length", "12")),
    ("Location", "https://x.example/", ("X-Archive-Orig-Location", "https://x.example/")),
    ("Content-Type", "text/html", ("X-Archive-Orig-Content-Type", "text/html")),
    ("content-language", "de", ("content-language", "de")),
    ("Last-Modified", "Tue, 14 Mar 2023 09:00:00 GMT",
     ("Last-Modified", "Tue, 14 Mar 2023 09:00:00 GMT")),
    ("X-Archive-Orig-Transfer-Encoding", "chunked", ("X-Archive-Orig-Transfer-Encoding",
                                                     "chunked")),
    ("Bad Name(1)", "v", ("X-Archive-Orig-Bad-Name-1-", "v")),
    ("X-Split", "a\r\nSet-Cookie: b=2", ("X-Archive-Orig-X-Split", "a  Set-Cookie: b=2")),
    ("X-Wide", "caf\u00e9 \u2603", ("X-Archive-Orig-X-Wide", "caf\u00e9 ?")),
])
def test_replay_headers_rename_all_but_the_allowlist(name, value, expected):
    assert replay_headers([(name, value)]) == [expected]


def test_header_text_is_one_latin1_line():
    assert header_text("a\nb\x00c\u2028") == "a b c?"


@pytest.mark.parametrize("link, expected", [
    ("https://site.example/img/a.png", resolve("https://site.example/img/a.png")),
    ("http://other.example/x?y=1", resolve("http://other.example/x?y=1")),
    ("https://site.example/other#part", resolve("https://site.example/other") + "#part"),
    (PAGE + "#top", "#top"),
    ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
    ("javascript:alert(1)", "#"),
    ("  JavaScript:alert(1)", "#"),
    ("mailto:press@site.example", "#"),
    ("ftp://site.example/file", "#"),
    ("http://[::1", "#"),
])
def test_replay_link(link, expected):
    assert replay_link(link, PAGE, resolve) == expected


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


@pytest.mark.parametrize("snippet, xpath, attribute, expected", [
    ('<img src="../img/a.png">', "//img", "src", resolve("https://site.example/img/a.png")),
    ('<link rel="stylesheet" href="/s.css">', "//link", "href",
     resolve("https://site.example/s.css")),
    ('<a href="other.html">x</a>', "//a", "href", resolve("https://site.example/news/other.html")),
    ('<a href="#notes">x</a>', "//a", "href", "#notes"),
    ('<a href="javascript:steal()">x</a>', "//a", "href", "#"),
    ('<form action="/login"></form>', "//form", "action", resolve("https://site.example/login")),
    ('<iframe src="https://ads.example/"></iframe>', "//iframe", "src",
     resolve("https://ads.example/")),
    ('<img srcset="a.png 1x, /b.png 2x">', "//img", "srcset",
     f"{resolve('https://site.example/news/a.png')} 1x, "
     f"{resolve('https://site.example/b.png')} 2x"),
    ('<img srcset="data:image/png;base64,AA, b.png 2x" src="c.png">', "//img", "srcset", ""),
    ('<link rel="stylesheet" href="s.css" integrity="sha384-x" crossorigin="anonymous">',
     "//link", "integrity", None),
    ('<link rel="stylesheet" href="s.css" integrity="sha384-x" crossorigin="anonymous">',
     "//link", "crossorigin", None),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "//meta",
     "http-equiv", None),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "//meta",
     "data-archive-orig-http-equiv", "refresh"),
    ('<meta http-equiv="Set-Cookie" content="a=1">', "//meta", "http-equiv", None),
    ('<meta http-equiv="content-type" content="text/html; charset=latin1">', "//meta",
     "http-equiv", "content-type"),
])
def test_rewrite_html_points_every_link_into_the_archive(snippet, xpath, attribute, expected):
    out = parse(rewrite_html(f"<html><head></head><body>{snippet}</body></html>", PAGE, resolve))
    assert out.xpath(xpath)[0].get(attribute) == expected


def test_rewrite_html_applies_base_href_then_drops_it():
    html = '<html><head><base href="https://cdn.example/assets/"></head><body><img src="a.png">'
    out = parse(rewrite_html(html, PAGE, resolve))
    assert out.xpath("//base") == []
    assert out.xpath("//img")[0].get("src") == resolve("https://cdn.example/assets/a.png")


def test_rewrite_html_rewrites_inline_css():
    html = ('<html><head><style>body { background: url("/bg.png") }</style></head>'
            '<body><p style="background:url(dot.gif)">x</p></body></html>')
    out = rewrite_html(html, PAGE, resolve)
    assert resolve("https://site.example/bg.png") in out
    assert resolve("https://site.example/news/dot.gif") in out
    assert "url(\"/bg.png\")" not in out


@pytest.mark.parametrize("html, starts", [
    ("<!DOCTYPE html><html><body>x</body></html>", "<!DOCTYPE html>"),
    ("<!-- c --><!doctype html><p>x", "<!doctype html>"),
    ("<html><body>quirks</body></html>", "<html>"),
])
def test_rewrite_html_keeps_the_doctype_it_had(html, starts):
    assert rewrite_html(html, PAGE, resolve).startswith(starts)


@pytest.mark.parametrize("html", ["", "   "])
def test_rewrite_html_of_nothing_is_nothing(html):
    assert rewrite_html(html, PAGE, resolve).strip() in ("", "<html></html>")


def test_rewrite_html_escapes_text_it_serialises():
    out = rewrite_html("<html><body><p>&lt;script&gt;x&lt;/script&gt;</p></body></html>", PAGE,
                       resolve)
    assert "<script" not in out


@pytest.mark.parametrize("css, expected", [
    ("body{background:url(../img/bg.png)}",
     f'body{{background:url("{resolve("https://site.example/img/bg.png")}")}}'),
    ("a{b:url( 'x.png' )}", f'a{{b:url("{resolve("https://site.example/css/x.png")}")}}'),
    ('@import "print.css";', f'@import "{resolve("https://site.example/css/print.css")}";'),
    ("@import url('p.css');", f'@import url("{resolve("https://site.example/css/p.css")}");'),
    ("i{b:url(data:image/gif;base64,R0)}", 'i{b:url("data:image/gif;base64,R0")}'),
    ("i{b:url(javascript:steal)}", 'i{b:url("#")}'),
    ("p{color:red}", "p{color:red}"),
])
def test_rewrite_css(css, expected):
    assert rewrite_css(css, "https://site.example/css/site.css", resolve) == expected
