"""Onward links that are not 3xx, and the URL checks done before any request."""

from __future__ import annotations

import gzip
import zlib

import pytest

from citecheck.fetch.onward import decode_sample, find_onward, is_html
from citecheck.fetch.urls import hop_key, join_location, url_problem
from citecheck.models import HopKind, LinkStatus

PAGE = "https://sho.rt/abc"

ARTICLE = """<html><head><title>Water rights in the valley</title></head><body>
<h1>Water rights in the valley</h1>
<p>{text}</p>
<script>if (location.hash === '#old') {{ location.href = "/archive/2019"; }}</script>
<a href="https://other.example/continue">Continue reading at the ministry</a>
</body></html>""".format(text="The commission heard farmers from four districts. " * 40)


@pytest.mark.parametrize("html, expected, kind", [
    ('<meta http-equiv="refresh" content="0; url=https://dest.example/a">',
     "https://dest.example/a", HopKind.META_REFRESH),
    ("<meta http-equiv='Refresh' content='2;URL=\"/next\"'>", "https://sho.rt/next",
     HopKind.META_REFRESH),
    ('<head><meta http-equiv="refresh" content="0;https://dest.example/b"></head><p>x</p>',
     "https://dest.example/b", HopKind.META_REFRESH),
    ('<script>window.location = "https://dest.example/js";</script>',
     "https://dest.example/js", HopKind.JAVASCRIPT),
    ("<script>location.href='https://dest.example/js2'</script><p>Redirecting…</p>",
     "https://dest.example/js2", HopKind.JAVASCRIPT),
    ('<script>window.location.replace("https:\\/\\/dest.example\\/js3")</script>',
     "https://dest.example/js3", HopKind.JAVASCRIPT),
    ("<script>location.assign('/js4')</script>", "https://sho.rt/js4", HopKind.JAVASCRIPT),
    ('<body><h1>Preview</h1><p>You are about to leave for:</p>'
     '<a href="https://dest.example/report.pdf">https://dest.example/report.pdf</a>'
     '<a href="/abuse">Report abuse</a> <a href="/">Home</a></body>',
     "https://dest.example/report.pdf", HopKind.INTERSTITIAL),
    ('<body><p>You are being redirected.</p><a href="https://dest.example/x">Continue</a></body>',
     "https://dest.example/x", HopKind.INTERSTITIAL),
])
def test_find_onward_follows(html: str, expected: str, kind: HopKind) -> None:
    found = find_onward(html.encode(), PAGE, whole=True)
    assert found is not None and (found.url, found.kind) == (expected, kind)


@pytest.mark.parametrize("html", [
    ARTICLE,
    '<meta http-equiv="refresh" content="300">',  # a reload timer
    '<meta http-equiv="refresh" content="600; url=https://dest.example/later">',
    f'<meta http-equiv="refresh" content="0; url={PAGE}#top">',  # to itself
    '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
    '<script>location.href = "https://a.example/"; location.href = "https://b.example/";</script>',
    '<script>if (location.href == "https://a.example/") {}</script>',
    '<script src="https://cdn.example/redirect.js"></script><p>Please wait</p>',
    '<body><p>Continue</p><a href="https://a.example/">A</a><a href="https://b.example/">B</a></body>',
    '<body><p>Our annual review</p><a href="https://dest.example/x">Partner</a></body>',
    "",
    "plain text, not html",
])
def test_find_onward_stays(html: str) -> None:
    assert find_onward(html.encode(), PAGE, whole=True) is None


def test_script_redirect_needs_the_whole_small_page() -> None:
    html = b'<script>location.href = "https://dest.example/js"</script>'
    assert find_onward(html, PAGE, whole=False) is None
    assert find_onward(html, PAGE, whole=True) is not None


def test_meta_refresh_found_in_a_big_page_sample() -> None:
    html = ('<head><meta http-equiv="refresh" content="0; url=/moved"></head>' + ARTICLE).encode()
    found = find_onward(html, PAGE, whole=False)
    assert found is not None and found.kind is HopKind.META_REFRESH


@pytest.mark.parametrize("encoding, encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
    (None, lambda data: data),
])
def test_decode_sample(encoding: str | None, encode) -> None:
    page = b"<p>hello</p>" * 10_000
    assert decode_sample(encode(page), encoding, limit=1000) == page[:1000]


def test_decode_sample_bounds_a_bomb() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(decode_sample(bomb, "gzip")) == 64 * 1024


def test_decode_sample_gives_up_on_unknown_encodings() -> None:
    assert decode_sample(b"\x1b\x00", "br") == b""


@pytest.mark.parametrize("content_type, sample, expected", [
    ("text/html; charset=utf-8", b"", True),
    ("application/xhtml+xml", b"", True),
    ("application/pdf", b"<", False),
    (None, b"  <!doctype html>", True),
    (None, b"%PDF-1.7", False),
])
def test_is_html(content_type: str | None, sample: bytes, expected: bool) -> None:
    assert is_html(content_type, sample) is expected


@pytest.mark.parametrize("url, status", [
    ("https://example.org/a b", LinkStatus.INVALID_URL),
    ("https://example.org/\t", LinkStatus.INVALID_URL),
    ("example.org/page", LinkStatus.INVALID_URL),
    ("http:/example.org", LinkStatus.INVALID_URL),
    ("https://", LinkStatus.INVALID_URL),
    ("https://exa<mple.org/", LinkStatus.INVALID_URL),
    ("https://example.org:99999/", LinkStatus.INVALID_URL),
    ("http://[::1/", LinkStatus.INVALID_URL),
    ("https://a..b/", LinkStatus.INVALID_URL),
    ("javascript:alert(1)", LinkStatus.REFUSED),
    ("file:///etc/passwd", LinkStatus.REFUSED),
    ("ftp://ftp.example.org/report.pdf", LinkStatus.REFUSED),
    ("data:text/html,hello", LinkStatus.REFUSED),
    ("mailto:someone@example.org", LinkStatus.REFUSED),
    ("http://127.0.0.1/", LinkStatus.REFUSED),
    ("http://0x7f.1/", LinkStatus.REFUSED),
    ("http://[::ffff:169.254.169.254]/latest/", LinkStatus.REFUSED),
    ("http://2130706433/", LinkStatus.REFUSED),
])
def test_url_problem(url: str, status: LinkStatus) -> None:
    problem = url_problem(url)
    assert problem is not None and problem.status is status


@pytest.mark.parametrize("url", [
    "https://example.org/", "HTTP://Example.ORG/a?b=c#d", "https://bücher.example/katalog",
    "https://sub_domain.example.org/", "http://[2606:4700::1111]:8080/", "http://8.8.8.8/",
])
def test_url_problem_accepts(url: str) -> None:
    assert url_problem(url) is None


def test_url_problem_without_address_check() -> None:
    assert url_problem("http://127.0.0.1:8000/", check_address=False) is None


@pytest.mark.parametrize("a, b", [
    ("https://Example.org/a#x", "https://example.org/a"),
    ("http://example.org:80/", "http://example.org"),
    ("https://example.org./a", "https://example.org/a"),
])
def test_hop_key_equal(a: str, b: str) -> None:
    assert hop_key(a) == hop_key(b)


@pytest.mark.parametrize("base, location, expected", [
    ("https://a.example/x/y", "../z", "https://a.example/z"),
    ("https://a.example/x", "//b.example/p q", "https://b.example/p%20q"),
    ("https://a.example/x", " https://b.example/ ", "https://b.example/"),
])
def test_join_location(base: str, location: str, expected: str) -> None:
    assert join_location(base, location) == expected
