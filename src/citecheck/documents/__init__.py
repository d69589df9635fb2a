"""One reader per input format: a document becomes notes, markers and their context.

`read_document` is pure (bytes in, Document out); `load_document` is the thin edge that
reads a file. Formats: "poi-text" (Apache POI / Tika text export of a Word file), "docx",
"markdown" (pandoc / GFM footnotes). Each reader's module says how it maps its format.
"""

from __future__ import annotations

import re
from pathlib import Path

from citecheck.documents.docx import read_docx
from citecheck.documents.markdown import read_markdown
from citecheck.documents.poi_text import read_poi_text
from citecheck.documents.text import decode_text
from citecheck.errors import InputError
from citecheck.models import Document

FORMATS: tuple[str, ...] = ("poi-text", "docx", "markdown")
MAX_DOCUMENT_BYTES = 100_000_000

_EXTENSIONS = {
    ".txt": "poi-text", ".text": "poi-text",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".mdtext": "markdown", ".pandoc": "markdown",
}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_POI_MARKER = re.compile(r"\[(?:footnote|endnote)Ref:\d+\]")
_MD_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:|\[\^[^\]\s]+\]|\^\[", re.MULTILINE)
_SUPPORTED = (f"supported formats: {', '.join(FORMATS)}; name one with --from "
              "(for example --from poi-text)")


def detect_format(data: bytes, name: str) -> str:
    """The format of a document, by its extension and its content; InputError if unknown."""
    return _detect(data, name)[0]


def read_document(data: bytes, name: str, fmt: str | None = None) -> Document:
    """Read a document from its bytes; `fmt` (one of FORMATS) overrides detection."""
    text = None
    if fmt is None:
        fmt, text = _detect(data, name)
    if fmt == "docx":
        return read_docx(data, name)
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; {_SUPPORTED}", where=name)
    if text is None:
        text = decode_text(data, name)
    return read_poi_text(text, name) if fmt == "poi-text" else read_markdown(text, name)


def _detect(data: bytes, name: str) -> tuple[str, str | None]:
    """The format, and the decoded text when detection had to decode it."""
    suffix = Path(name).suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        return "docx", None
    if data.startswith(_OLE_MAGIC):
        raise InputError("a Word 97-2003 .doc (or an encrypted Office file) cannot be read; "
                         f"save it as .docx or export it as text ({_SUPPORTED})", where=name)
    if _EXTENSIONS.get(suffix) in ("markdown", "docx"):
        return _EXTENSIONS[suffix], None
    text = _decode_or_explain(data, name, known=suffix in _EXTENSIONS)
    if _POI_MARKER.search(text):
        return "poi-text", text
    if _MD_FOOTNOTE.search(text):
        return "markdown", text
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix], text
    raise InputError(f"cannot tell the format of this document ({_SUPPORTED})", where=name)


def _decode_or_explain(data: bytes, name: str, *, known: bool) -> str:
    """Decode text; for an unknown extension, a failure names the supported formats."""
    if known or not data.strip():
        return decode_text(data, name)
    try:
        return decode_text(data, name)
    except InputError:
        raise InputError(f"not a document citecheck can read ({_SUPPORTED})",
                         where=name) from None


def load_document(path: Path, fmt: str | None = None) -> Document:
    """Read a document file (at most 100 MB) and parse it with `read_document`."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the document: {exc.strerror or exc}",
                         where=str(path)) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"the document is larger than {MAX_DOCUMENT_BYTES // 1_000_000} MB",
                         where=str(path))
    return read_document(data, path.name, fmt)
