"""Hostile documents and citations files, built in memory (no binary fixtures).

- `CITATIONS`: a small valid citations.yml and the ways to spoil it (tabs, duplicate keys,
  object-building tags, aliases, control characters, bad encodings, deep nesting…), each with
  the line its error must name.
- `docx(...)`: a minimal Word package from WordprocessingML parts; `zip_bomb`, `lying_zip`
  and the other packages are the .docx attacks.
- Text documents: POI text with thousands of nested brackets, Markdown with tens of thousands
  of footnotes, notes with thousands of URLs, notes full of terminal escapes and bidi controls.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = f'xmlns:w="{W}" xmlns:r="{R}"'
REFUSED_URL = "http://192.0.2.10/page"  # a documentation address: refused, never connected

GOOD = f"""# hand-edited
version: 1
document: {{name: report.md, format: markdown}}
citations:
- id: '1'
  kind: web
  title: A page
  url: {REFUSED_URL}
  text: 'A page, {REFUSED_URL}'
"""


def _laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        this, last = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{this}: &{this} [{', '.join([f'*{last}'] * 9)}]")
    return "\n".join(lines) + "\n" + GOOD


def _nested_blocks(depth: int) -> str:
    return "version: 1\n" + "".join(f"{'  ' * level}k:\n" for level in range(depth)) + "x: 1\n"


@dataclass(frozen=True)
class Spoiled:
    """A citations.yml that must be refused: its bytes and the line the error names."""

    name: str
    data: bytes
    line: int | None  # None: the error names the file only (its size)


def _spoiled(name: str, text: str, line: int | None) -> Spoiled:
    return Spoiled(name, text.encode("utf-8", "surrogateescape"), line)


CITATIONS = [
    _spoiled("tab", GOOD.replace("  kind: web", "\tkind: web"), 6),
    _spoiled("duplicate-key", GOOD.replace("  title: A page\n", "  title: A page\n  title: B\n"),
             8),
    _spoiled("duplicate-top-key", GOOD + "version: 1\n", 10),
    _spoiled("python-object", GOOD.replace(
        "title: A page", "title: !!python/object/apply:os.system ['touch pwned']"), 7),
    _spoiled("python-name", GOOD.replace("title: A page", "title: !!python/name:os.system"), 7),
    _spoiled("local-tag", GOOD.replace("title: A page", "title: !Ref title"), 7),
    _spoiled("set-tag", GOOD.replace("title: A page", "title: !!set {a, b}"), 7),
    _spoiled("binary-tag", GOOD.replace("title: A page", "title: !!binary cHduZWQ="), 7),
    _spoiled("billion-laughs", _laughs(), 1),
    _spoiled("alias", GOOD.replace("title: A page", "title: &t A page")
             .replace("  text:", "  publisher: *t\n  text:"), 7),
    _spoiled("nul", GOOD.replace("A page\n", "A \x00page\n", 1), 7),
    _spoiled("escape", GOOD.replace("A page\n", "A \x1b[2J page\n", 1), 7),
    _spoiled("c1-control", GOOD.replace("A page\n", "A \x9b31m page\n", 1), 7),
    _spoiled("invalid-utf8", GOOD.replace("A page\n", "A \udcff page\n", 1), 7),
    Spoiled("utf-16", GOOD.encode("utf-16"), 1),
    _spoiled("nested-lists", "version: 1\nx: " + "[" * 10_000 + "]" * 10_000 + "\n", 2),
    _spoiled("nested-maps", "version: 1\nx: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
             2),
    _spoiled("nested-blocks", _nested_blocks(1500), 1001),
    _spoiled("two-documents", GOOD + "---\n" + GOOD, 10),
    _spoiled("empty", "", 1),
    _spoiled("null", "~\n", 1),
    _spoiled("a-list", "- 1\n- 2\n", 1),
    _spoiled("version-2", GOOD.replace("version: 1", "version: 2"), 2),
    _spoiled("huge-scalar-then-error", GOOD.replace("title: A page", "title: " + "x" * 5_000_000)
             + "citations: []\n", 10),
]

# Odd but valid: these load, and a run or check leaves them as they are.
VALID = {
    "bom": "\ufeff" + GOOD,
    "crlf": GOOD.replace("\n", "\r\n"),
    "merge-key": GOOD.replace("  title: A page\n", "  title: A page\n  <<: {x: 1}\n"),
    "tag-directive": "%YAML 1.1\n%TAG ! tag:evil.example,2024:\n---\n" + GOOD,
    "extra-keys": GOOD + "mine: {anything: [1, 2]}\n",
}


# --------------------------------------------------------------------------- .docx


def run(text: str) -> str:
    """A run of text."""
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def rels(*entries: tuple[str, str, str, bool]) -> str:
    """A relationships part from (id, type, target, external)."""
    mode = ' TargetMode="External"'
    items = "".join(f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{escape(target)}"'
                    f'{mode if external else ""}/>' for rid, kind, target, external in entries)
    return f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}">{items}</Relationships>'


def docx(body: str, footnotes: str = "", *, note_rels: str | None = None,
         document_rels: str | None = None) -> bytes:
    """A .docx: body paragraphs, footnote elements, and their relationships."""
    parts = {
        "_rels/.rels": rels(("rId1", "officeDocument", "word/document.xml", False)),
        "word/document.xml": f"<w:document {NS}><w:body>{body}</w:body></w:document>",
        "word/_rels/document.xml.rels": document_rels or rels(
            ("rId1", "footnotes", "footnotes.xml", False)),
        "word/footnotes.xml": f"<w:footnotes {NS}>{footnotes}</w:footnotes>",
    }
    if note_rels is not None:
        parts["word/_rels/footnotes.xml.rels"] = note_rels
    return zipped(parts)


def zipped(parts: dict[str, str | bytes]) -> bytes:
    """A zip of these parts (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def footnote(xml_id: int, inner: str) -> str:
    """A footnote element whose one paragraph holds `inner` (runs, hyperlinks)."""
    return f'<w:footnote w:id="{xml_id}"><w:p>{inner}</w:p></w:footnote>'


def reference(xml_id: int) -> str:
    """A body run referencing a footnote."""
    return f'<w:r><w:footnoteReference w:id="{xml_id}"/></w:r>'


@functools.cache
def zip_bomb(size: int = 210 * 2**20) -> bytes:
    """A .docx whose document.xml inflates to `size` bytes of blanks (written a MiB at a time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_rels/.rels", rels(("rId1", "officeDocument", "word/document.xml", False)))
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f"<w:document {NS}><w:body>".encode())
            blanks = b" " * 2**20
            for _ in range(size // len(blanks)):
                part.write(blanks)
    return out.getvalue()


def lying_zip(size: int = 60 * 2**20, claim: int = 1000) -> bytes:
    """A zip bomb whose headers claim document.xml is `claim` bytes when it inflates to `size`."""
    data = bytearray(zip_bomb(size))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + 17] == b"word/document.xml":
                struct.pack_into("<I", data, start + offset, claim)
            start += 4
    return bytes(data)


def many_parts(count: int = 20_000) -> bytes:
    """A zip of `count` empty parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for number in range(count):
            zf.writestr(f"word/media/{number}.bin", b"")
    return out.getvalue()


def xml_docx(document_xml: str) -> bytes:
    """A .docx whose document.xml is exactly this text."""
    return zipped({"_rels/.rels": rels(("rId1", "officeDocument", "word/document.xml", False)),
                   "word/document.xml": document_xml})


LAUGHS_XML = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">'
              + "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
              + f"]><w:document {NS}><w:body><w:p>{run('x')}<w:r><w:t>&l9;</w:t></w:r></w:p>"
              "</w:body></w:document>")
XXE_FILE_XML = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                f"<w:document {NS}><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body>"
                "</w:document>")
XXE_NET_XML = ('<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://169.254.169.254/d.dtd">'
               f"<w:document {NS}/>")
DEEP_XML = (f"<w:document {NS}><w:body>" + "<w:p>" * 10_000 + "</w:p>" * 10_000
            + "</w:body></w:document>")


def outside_rels() -> bytes:
    """A note whose hyperlinks lead to a local file and cloud metadata; parts outside the zip."""
    links = ('<w:hyperlink r:id="rId7">' + run("the file") + "</w:hyperlink>"
             '<w:hyperlink r:id="rId8">' + run("metadata") + "</w:hyperlink>")
    return docx(f"<w:p>{run('A claim.')}{reference(1)}</w:p>",
                footnote(1, run("A source, ") + links),
                note_rels=rels(("rId7", "hyperlink", "file:///etc/passwd", True),
                               ("rId8", "hyperlink", "http://169.254.169.254/latest/meta-data/",
                                True),
                               ("rId9", "image", "../../../../etc/passwd", False)),
                document_rels=rels(("rId1", "footnotes", "/word/footnotes.xml", False),
                                   ("rId2", "endnotes", "../../../../etc/passwd", False),
                                   ("rId3", "styles", "file:///etc/passwd", True)))


# --------------------------------------------------------------------------- text documents

PROSE = "The committee heard evidence from many witnesses over several days. " * 20


def nested_brackets(depth: int = 10_000, *, closed: bool = True) -> str:
    """A POI text note inside `depth` brackets (closed or not)."""
    inner = "[" * depth + "Report, https://example.org/a" + ("]" * depth if closed else "")
    return f"{PROSE}\n\nA claim.[footnoteRef:1]\n\n[1: {inner}]\n"


def many_footnotes(count: int) -> str:
    """A Markdown report with `count` footnotes, each referenced once."""
    body = "\n".join(" ".join(f"Claim {n}.[^{n}]" for n in range(start, min(start + 100, count)
                                                                    + 1))
                     for start in range(1, count + 1, 100))
    notes = "\n".join(f"[^{n}]: Source {n}, https://example.org/{n}" for n in range(1, count + 1))
    return f"# Report\n\n{body}\n\n{notes}\n"


def many_urls(count: int, fmt: str) -> str:
    """One note holding `count` distinct URLs, as POI text or Markdown."""
    urls = " ".join(f"https://example.org/p{n}" for n in range(count))
    if fmt == "poi-text":
        return f"A claim.[footnoteRef:1]\n\n[1: Many links {urls}]\n"
    return f"# R\n\nA claim.[^1]\n\n[^1]: Many links {urls}\n"


HOSTILE_TEXT = ("\x1b[2J\x1b[H\x1b]0;window\x07 \u202egnp.exe\u202c \x9b31m \x08\x08 "
                "\u2066x\u2069 \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\ ::error::in")
