import codecs
import gzip
import zlib

import pytest

from citecheck.extract import decode
from citecheck.extract.decode import (
    declared_charset,
    decode_text,
    decompress,
    normalise_charset,
    parse_content_type,
    sniff_media_type,
)

PAGE = "<html><head><title>Ein schöner Tag</title></head><body>Grüße</body></html>".encode()


def deflate_raw(data: bytes) -> bytes:
    engine = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return engine.compress(data) + engine.flush()


@pytest.mark.parametrize(("encoded", "coding"), [
    (gzip.compress(PAGE), "gzip"),
    (gzip.compress(PAGE), "x-gzip"),
    (gzip.compress(PAGE), " GZIP "),
    (zlib.compress(PAGE), "deflate"),
    (deflate_raw(PAGE), "deflate"),
    (PAGE, "identity"),
    (PAGE, None),
    (PAGE, "compress-of-the-future"),
    (gzip.compress(gzip.compress(PAGE)), "gzip, gzip"),
])
def test_decompress_undoes_content_encoding(encoded, coding):
    assert decompress(encoded, coding, 1_000_000) == PAGE


def test_decompress_reads_every_gzip_member():
    assert decompress(gzip.compress(PAGE[:20]) + gzip.compress(PAGE[20:]), "gzip", 10**6) == PAGE


def test_decompress_keeps_a_body_that_is_not_really_compressed():
    assert decompress(PAGE, "gzip", 10**6) == PAGE
    assert decompress(PAGE, "deflate", 10**6) == PAGE


def test_decompress_truncated_stream_gives_what_it_held():
    data = gzip.compress(PAGE * 50)
    decoded = decompress(data[: len(data) // 2], "gzip", 10**6)
    assert decoded and (PAGE * 50).startswith(decoded)


def test_decompress_ignores_garbage_after_a_complete_member():
    assert decompress(gzip.compress(PAGE) + b"\x00trailing junk", "gzip", 10**6) == PAGE


def gzip_bomb(megabytes: int) -> bytes:
    engine = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join(engine.compress(zeros) for _ in range(megabytes)) + engine.flush()


def test_gzip_bomb_stops_at_the_limit():
    bomb = gzip_bomb(200)
    assert len(bomb) < 1_000_000
    decoded = decompress(bomb, "gzip", 5_000_000)
    assert len(decoded) == 5_000_000


def test_br_is_kept_when_no_bounded_brotli_is_importable(monkeypatch):
    monkeypatch.setattr(decode, "brotli", None)
    assert decompress(b"\x8b\x03\x80hello\x03", "br", 10**6) == b"\x8b\x03\x80hello\x03"


def test_br_is_undone_and_bounded_when_brotli_is_importable():
    brotli = pytest.importorskip("brotli")
    if not hasattr(brotli.Decompressor, "can_accept_more_data"):
        pytest.skip("this brotli has no bounded decompression")
    assert decompress(brotli.compress(PAGE), "br", 10**6) == PAGE
    assert len(decompress(brotli.compress(bytes(20_000_000)), "br", 1_000_000)) == 1_000_000


@pytest.mark.parametrize(("value", "expected"), [
    ("text/html; charset=UTF-8", ("text/html", "utf-8")),
    ("text/html;charset=\"windows-1251\"", ("text/html", "windows-1251")),
    ("Application/PDF", ("application/pdf", None)),
    ("text/html; charset=", ("text/html", None)),
    ("", (None, None)),
    (None, (None, None)),
    ("garbage", (None, None)),
])
def test_parse_content_type(value, expected):
    assert parse_content_type(value) == expected


@pytest.mark.parametrize(("body", "expected"), [
    (b"%PDF-1.7\n%\xe2\xe3", "application/pdf"),
    (b"\n\n  <!DOCTYPE html><html>", "text/html"),
    (b"<html><body>x", "text/html"),
    (b"\xef\xbb\xbf<!doctype HTML>", "text/html"),
    (b"<!-- saved page --><html>", "text/html"),
    (b"\xff\xfe" + "<html><title>x".encode("utf-16-le"), "text/html"),
    (b"\r\n%PDF-1.4", "application/pdf"),
    (b"junk before the header %PDF-1.4", "application/pdf"),
    (b"<html><title>The %PDF-1.7 header explained</title>", "text/html"),
    (b"<br />\n<b>Warning</b>: deprecated in <b>x.php</b><br />\n<!DOCTYPE html>", "text/html"),
    (b"<div class='page'>Hello</div>", "text/html"),
    (b"<p>Hello</p>", "text/html"),
    (b"<?xml version='1.0'?><rss><channel>", None),
    (b"<bogus>", None),
    (b"GIF89a\x01\x00", None),
    (b"plain words", None),
])
def test_sniff_media_type(body, expected):
    assert sniff_media_type(body) == expected


@pytest.mark.parametrize(("label", "expected"), [
    ("UTF-8", "utf-8"), ("utf8", "utf-8"), ("ISO-8859-1", "cp1252"), ("latin1", "cp1252"),
    ("us-ascii", "cp1252"), ("windows-1251", "cp1251"), ("x-no-such-charset", None), (None, None),
    ("Shift_JIS", "cp932"), ("EUC-KR", "cp949"), ("gb2312", "gbk"), ("windows-874", "cp874"),
    ("x-mac-cyrillic", "mac-cyrillic"), ("'koi8-u'", "koi8-u"),
    # codecs Python knows that no web page may use
    ("rot13", None), ("base64", None), ("undefined", None), ("idna", None), ("utf-7", None),
    ("unicode_escape", None), ("cp037", None), ("hex", None),
])
def test_normalise_charset(label, expected):
    assert normalise_charset(label) == expected


@pytest.mark.parametrize(("head", "expected"), [
    (b'<meta charset="windows-1251">', "cp1251"),
    (b"<meta charset=koi8-r>", "koi8-r"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">', "iso8859-2"),
    (b'<?xml version="1.0" encoding="ISO-8859-15"?><html>', "iso8859-15"),
    (b"<html><head><title>none</title>", None),
])
def test_declared_charset(head, expected):
    assert declared_charset(head + b"</head><body></body></html>") == expected


RUSSIAN = ("<html><head><title>Новости района</title></head><body><p>Районный совет утвердил "
           "новый план водоснабжения после долгого обсуждения стоимости труб и насосов. Жители "
           "сказали, что многие семьи до сих пор носят воду из колонки.</p></body></html>")


def test_cp1251_without_any_declaration_is_detected():
    text, charset = decode_text(RUSSIAN.encode("cp1251"))
    assert charset == "cp1251"
    assert "Новости района" in text


def test_utf8_page_declared_latin1_is_read_as_utf8():
    body = ('<html><head><meta charset="iso-8859-1"><title>Grüße aus Köln</title></head>'
            "<body>Straße</body></html>").encode()
    text, charset = decode_text(body, "iso-8859-1")
    assert charset == "utf-8"
    assert "Grüße aus Köln" in text


def test_real_latin1_page_stays_latin1():
    body = ('<html><head><meta charset="iso-8859-1"><title>Grüße aus Köln</title></head>'
            "<body>Straße</body></html>").encode("latin-1")
    text, charset = decode_text(body)
    assert charset == "cp1252"
    assert "Grüße aus Köln" in text


def test_header_charset_wins_over_meta():
    body = '<html><head><meta charset="utf-8"><title>Çà et là</title></head></html>'.encode(
        "cp1252")
    text, charset = decode_text(body, "windows-1252")
    assert charset == "cp1252"
    assert "Çà et là" in text


def test_invalid_utf8_bytes_in_a_utf8_title_are_replaced():
    body = ('<html><head><meta charset="utf-8"><title>Café \xff report</title></head><body>'
            "déjà vu, naïve, façade</body></html>").encode().replace(b"\xc3\xbf", b"\xff")
    text, charset = decode_text(body)
    assert charset == "utf-8"
    assert "Café \ufffd report" in text
    assert "déjà vu" in text


def test_mostly_legacy_bytes_declared_utf8_are_detected():
    body = ("<html><head><meta charset='utf-8'><title>Ça coûte très cher</title></head><body>"
            "Les élèves étaient très nombreux à la fête de l'école, où l'on a mangé des crêpes "
            "et bu du thé.</body></html>").encode("cp1252")
    text, charset = decode_text(body)
    assert not charset.startswith("utf")
    assert "Ça coûte très cher" in text


@pytest.mark.parametrize(("bom", "codec"), [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_bom_decides(bom, codec):
    body = bom + "<html><title>Über uns</title></html>".encode(codec)
    text, charset = decode_text(body, "iso-8859-1")
    assert charset == codec
    assert text.startswith("<html><title>Über uns")
