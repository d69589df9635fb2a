import gzip
import json
import logging
import zlib

import pytest
from extract_helpers import ARTICLE_TEXT, html_page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.extract import extract_page
from citecheck.extract.page import media_type
from citecheck.models import PageMetadata
from citecheck.serialize import from_data, to_data

URL = "https://example.org/a"
PAGE = html_page("<title>Water plan | Example</title>", "<h1>Water plan</h1>" + ARTICLE_TEXT)


@pytest.mark.parametrize(("declared", "body", "expected"), [
    ("text/html", b"<html>", "text/html"),
    ("application/xhtml+xml", b"<html>", "application/xhtml+xml"),
    (None, b"<!doctype html><html>", "text/html"),
    ("application/octet-stream", b"<html><body>", "text/html"),
    ("text/plain", b"<html><body>", "text/html"),
    ("text/html", b"%PDF-1.5\n", "application/pdf"),
    ("application/octet-stream", b"%PDF-1.5\n", "application/pdf"),
    ("image/png", b"\x89PNG\r\n", "image/png"),
    ("text/plain", b"just words", "text/plain"),
    (None, b"\x00\x01", "application/octet-stream"),
])
def test_media_type(declared, body, expected):
    assert media_type(declared, body) == expected


def test_html_page_is_read():
    meta = extract_page(PAGE.encode(), url=URL, headers=[("Content-Type", "text/html")])
    assert (meta.content_type, meta.title, meta.charset) == ("text/html", "Water plan", "utf-8")
    assert meta.size == len(PAGE.encode())
    assert "42 per cent" in meta.text


def test_other_content_is_stated_as_such():
    body = b"\x89PNG\r\n\x1a\n" + bytes(100)
    meta = extract_page(body, url=URL, headers=[("Content-Type", "image/png")])
    assert (meta.content_type, meta.size, meta.title, meta.text) == ("image/png", 108, None, "")


def test_gzip_encoded_page_is_decompressed():
    body = gzip.compress(PAGE.encode())
    meta = extract_page(body, url=URL, headers=[("Content-Type", "text/html; charset=utf-8"),
                                                ("Content-Encoding", "gzip")])
    assert meta.title == "Water plan"
    assert meta.size == len(PAGE.encode())


def test_gzip_bomb_is_bounded():
    engine = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(engine.compress(bytes(1 << 20)) for _ in range(200)) + engine.flush()
    meta = extract_page(bomb, url=URL, headers=[("Content-Type", "text/html"),
                                                ("Content-Encoding", "gzip")],
                        max_decoded=2_000_000)
    assert meta.size == 2_000_000
    assert meta.title is None


def test_headers_are_case_insensitive():
    body = gzip.compress(PAGE.encode())
    meta = extract_page(body, url=URL, headers=[("content-type", "TEXT/HTML"),
                                                ("CONTENT-ENCODING", "gzip")])
    assert meta.title == "Water plan"


class ErrorCounter(logging.Handler):
    """Counts error records: extract_page logs one whenever its last-resort guard fires."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@pytest.fixture
def errors():
    counter = ErrorCounter()
    logger = logging.getLogger("citecheck")
    logger.addHandler(counter)
    yield counter
    logger.removeHandler(counter)


CONTENT_TYPES = st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                 "text/html; charset=windows-1251", "application/pdf",
                                 "application/octet-stream", "text/html; charset=bogus",
                                 "text/html; charset=idna", "text/html; charset=utf-16"])
ENCODINGS = st.sampled_from([None, "gzip", "deflate", "br", "gzip, deflate"])
MARKUP = st.lists(st.sampled_from([
    "<html>", "<head>", "<title>", "</title>", "<meta charset='koi8-r'>", "<h1>", "</h1>",
    "<meta charset='rot13'>", "<meta charset='undefined'>", "<meta charset=utf-16>", "\ufeff",
    "<script type='application/ld+json'>", "</script>", '{"@type": "Article", "headline": ',
    '"datePublished": "2023-03-14"', "<time datetime='2023-02-30'>", "<meta property='og:title'",
    " content='x'>", "Published 14 March 2023", "<p>", "<noscript>", "%PDF-1.4", "\x00", "é",
    "<!--", "-->", "<![CDATA[", "<svg><title>", "404", "Just a moment...", "<base href='::'>",
    "<link rel=canonical href='http://[::1'>", "</html>",
]), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=3000), content_type=CONTENT_TYPES, encoding=ENCODINGS)
def test_never_raises_on_arbitrary_bytes(body, content_type, encoding, errors):
    headers = [(k, v) for k, v in (("Content-Type", content_type),
                                   ("Content-Encoding", encoding)) if v]
    meta = extract_page(body, url="https://example.org/x", headers=headers)
    assert meta.size <= 50_000_000
    assert errors.count == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(markup=MARKUP, content_type=CONTENT_TYPES, url=st.sampled_from([
    "https://example.org/2023/03/14/x", "", "not a url", "http://[::1"]))
def test_never_raises_on_broken_markup(markup, content_type, url, errors):
    body = markup.encode("utf-8", errors="surrogatepass")
    meta = extract_page(body, url=url, headers=[("Content-Type", content_type or "text/html")])
    assert all(len(d.value) == 10 for d in meta.dates)
    assert errors.count == 0


def test_metadata_round_trips_through_json():
    head = ('<meta property="og:title" content="Water plan">'
            '<meta property="article:published_time" content="2023-03-14">')
    meta = extract_page(html_page(head, "<h1>Water plan</h1>" + ARTICLE_TEXT).encode(), url=URL)
    assert from_data(PageMetadata, json.loads(json.dumps(to_data(meta)))) == meta
