"""Bytes as archived -> bytes as meant -> text: Content-Encoding, content type, charset.

Decompression is bounded (a gzip bomb stops at `limit` bytes) and forgiving: a body that
claims an encoding it does not have is kept as it is, a truncated stream gives what it held.
"""

from __future__ import annotations

import codecs
import logging
import re
import zlib
from collections.abc import Sequence
from email.message import Message

import charset_normalizer

try:  # optional: br is only undone when a brotli module with bounded output is importable
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

LOGGER = logging.getLogger(__name__)

_CHUNK = 1 << 20  # decompress a megabyte at a time
_GZIP_WBITS = 16 + zlib.MAX_WBITS
# WHATWG labels Python does not know, and Python codecs browsers read as a superset
_LABEL_ALIASES = {"windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic", "windows-31j": "cp932",
                  "iso-8859-8-i": "iso8859-8", "x-sjis": "shift_jis", "x-cp1250": "cp1250",
                  "x-cp1251": "cp1251", "x-user-defined": "cp1252"}
_SUPERSETS = {"ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254",
              "iso8859-11": "cp874", "tis-620": "cp874", "shift_jis": "cp932", "euc_kr": "cp949",
              "gb2312": "gbk", "big5": "big5hkscs"}
# the encodings of the web (WHATWG Encoding Standard) as Python codecs; any other is ignored
_WEB_CODECS = frozenset((
    "utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp866", "koi8-r", "koi8-u", "mac-roman",
    "mac-cyrillic", "cp874", "gbk", "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932",
    "cp949", *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
    *(f"cp{n}" for n in range(1250, 1259)),
))
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9._:-]{2,40})""")
# WHATWG MIME sniffing: the tags an HTML document may start with
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|"
                         rb"title|b|body|br|p|meta|link|!--)[\s>/]")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def header_value(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """The first header of that name (case-insensitive), if any."""
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), None)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """A Content-Type header as (media type, charset), both lower case; (None, None) if absent."""
    if not value or not value.strip():
        return None, None
    message = Message()
    message["content-type"] = value
    media = message.get_content_type() if "/" in value.split(";")[0] else None
    charset = message.get_param("charset")
    return media, charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


def decompress(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """Undo a Content-Encoding (gzip, deflate, br), never producing more than `limit` bytes."""
    data = body
    for coding in reversed([c.strip().lower() for c in (content_encoding or "").split(",")]):
        if coding in ("gzip", "x-gzip"):
            data = _inflate(data, limit, gzip=True)
        elif coding == "deflate":
            data = _inflate(data, limit, gzip=False)
        elif coding == "br":
            data = _unbrotli(data, limit)
        elif coding not in ("", "identity"):
            LOGGER.debug("unknown Content-Encoding %r: body kept as it is", coding)
    return data[:limit]


def _inflate(data: bytes, limit: int, *, gzip: bool) -> bytes:
    """Inflate gzip (all members) or deflate (zlib-wrapped or raw); bad input comes back as is."""
    attempts = (_GZIP_WBITS,) if gzip else (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    for wbits in attempts:
        try:
            return _inflate_members(data, limit, wbits)
        except zlib.error:
            continue
    LOGGER.debug("body is not %s-encoded as declared: kept as it is", "gzip" if gzip else "deflate")
    return data


def _inflate_members(data: bytes, limit: int, wbits: int) -> bytes:
    """Inflate member after member into at most `limit` bytes; zlib.error if nothing came."""
    out = bytearray()
    members = 0
    while data and len(out) < limit:
        engine = zlib.decompressobj(wbits)
        try:
            data = _inflate_one(engine, data, out, limit)
        except zlib.error:
            if not out:
                raise
            break  # a damaged or truncated tail: keep what was decoded
        members += engine.eof
        if not engine.eof:
            break
    if not out and not members:
        raise zlib.error("no complete stream and no output")
    return bytes(out)


def _inflate_one(engine: zlib._Decompress, data: bytes, out: bytearray, limit: int) -> bytes:
    """Feed one stream into `out` up to the limit; return the bytes after it (the next member)."""
    while data and len(out) < limit and not engine.eof:
        out += engine.decompress(data, min(_CHUNK, limit - len(out)))
        data = engine.unconsumed_tail
    return engine.unused_data if engine.eof else b""


def _unbrotli(data: bytes, limit: int) -> bytes:
    """Undo br when a bounded brotli decoder is importable; otherwise keep the body as it is."""
    if brotli is None or not hasattr(brotli.Decompressor, "can_accept_more_data"):
        LOGGER.debug("br body kept as it is: no brotli module with bounded output")
        return data
    engine, out, pending = brotli.Decompressor(), bytearray(), data
    try:
        while len(out) < limit and not engine.is_finished():
            feed = pending if engine.can_accept_more_data() else b""
            pending = b"" if feed else pending
            chunk = engine.process(feed, output_buffer_limit=min(_CHUNK, limit - len(out)))
            if not chunk and not feed:
                break
            out += chunk
    except brotli.error:
        if not out:
            return data
    return bytes(out)


def sniff_media_type(body: bytes) -> str | None:
    """The media type the first bytes show (PDF or HTML), or None."""
    head = body[:1024]
    for bom, name in _BOMS[1:]:
        if head.startswith(bom):
            head = head.decode(name, errors="ignore").encode("ascii", errors="ignore")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    lowered = head.lower()
    if _HTML_START.match(lowered) or re.search(rb"<(?:html|head|body)[\s>]", lowered):
        return "text/html"  # also a page behind a few lines of PHP warnings
    if b"%PDF-" in head:  # readers accept a PDF header after some leading junk
        return "application/pdf"
    return None


def normalise_charset(label: str | None) -> str | None:
    """A web charset label as a Python codec ("latin-1" -> "cp1252"); None if not a web one."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except (LookupError, ValueError):
        return None
    name = _SUPERSETS.get(name, name)
    return name if name in _WEB_CODECS else None


def declared_charset(body: bytes) -> str | None:
    """The charset the page itself declares: BOM, <meta charset>/http-equiv, XML declaration."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    head = body[:16384]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalise_charset(match.group(1).decode("ascii")) if match else None


def decode_text(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Bytes -> (text, charset used): HTTP header, then the page's own declaration, then detection.

    A declared legacy charset loses to UTF-8 when the bytes are valid UTF-8 with non-ASCII
    in them: pages re-saved as UTF-8 keep their old declaration, and valid multi-byte UTF-8
    almost never happens by chance in a legacy encoding.
    """
    declared = _bom_charset(body) or normalise_charset(header_charset) or declared_charset(body)
    if declared in ("utf-16-le", "utf-16-be", "utf-16") and body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return body.decode(declared, errors="replace").lstrip("\ufeff"), declared
    if declared and not declared.startswith("utf") and _is_utf8_with_non_ascii(body):
        return body.decode("utf-8"), "utf-8"
    if declared and not declared.startswith("utf"):
        return body.decode(declared, errors="replace"), declared
    return _decode_as_utf8_or_detect(body)


def _bom_charset(body: bytes) -> str | None:
    return next((name for bom, name in _BOMS if body.startswith(bom)), None)


def _is_utf8_with_non_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_as_utf8_or_detect(body: bytes) -> tuple[str, str]:
    """UTF-8 when it fits (a few stray bad bytes allowed), else what charset-normalizer finds."""
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    bad = text.count("\ufffd")
    if not bad:
        return text, "utf-8"
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    if good >= bad:  # mostly valid multi-byte text with a few broken bytes
        return text, "utf-8"
    encoding = detect_charset(body)
    return body.decode(encoding, errors="replace"), encoding


def detect_charset(body: bytes) -> str:
    """charset-normalizer's legacy-charset guess; windows-1252 wins ties, and is the default."""
    results = [r for r in charset_normalizer.from_bytes(body[:200_000])
               if not r.encoding.startswith("utf")]
    if not results:
        return "cp1252"
    least_chaos = min(r.chaos for r in results)
    tied = [normalise_charset(r.encoding) for r in results if r.chaos <= least_chaos + 0.01]
    return "cp1252" if "cp1252" in tied else tied[0] or "cp1252"
