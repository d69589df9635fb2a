"""Bytes of a text document to str: byte-order marks, then strict UTF-8, then charset-normalizer.

Anything that does not decode to mostly printable text is refused with one line saying so,
rather than being read as a document with no notes.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata

from charset_normalizer import from_bytes

from citecheck.errors import InputError

log = logging.getLogger(__name__)

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MIN_PRINTABLE = 0.95
_NOT_TEXT = frozenset({"Cc", "Cn", "Co"})
_SAMPLE = 100_000  # characters looked at for the printable ratio


def decode_text(data: bytes, name: str) -> str:
    """Decode a text document; InputError when it is empty or not text at all."""
    if not data.strip():
        raise InputError("the file is empty", where=name)
    text = _decode(data, name)
    if _printable_ratio(text) < MIN_PRINTABLE:
        raise InputError("not a text document (mostly control characters or binary data)",
                         where=name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, name)
    if b"\x00" in data:
        raise InputError("not a text document (it contains NUL bytes: binary data?)", where=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError("not a text document (no text encoding fits its bytes)", where=name)
    log.debug("%s: decoded as %s", name, best.encoding)
    return str(best)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {encoding.upper()} text (byte {exc.start})",
                         where=name) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text written without a mark: nearly every other byte is NUL (Latin text)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _printable_ratio(text: str) -> float:
    """Share of characters that text has: not controls, unassigned or private-use code points.

    Format marks (right-to-left marks, soft hyphens) and no-break spaces count as text.
    """
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(1 for char in sample
              if char not in "\n\r\t\f" and unicodedata.category(char) in _NOT_TEXT)
    return 1 - bad / len(sample)
