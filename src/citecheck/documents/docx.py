"""Word .docx files: body paragraphs and note references from the main part, notes from
footnotes.xml and endnotes.xml, link targets from relationships and HYPERLINK fields.

The package is untrusted input: parts are read through size limits (zip bombs), the XML
parser resolves no entities, loads no DTD and never touches the network, and a part with a
DOCTYPE is refused. Note ids are the numbers Word shows: the order of first reference in
the body (footnotes and endnotes counted apart), not the w:id values, which some writers
start at 2. A custom reference mark (w:customMarkFollows) is numbered like the others.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from citecheck.documents.base import ENDNOTE, FOOTNOTE, assemble, is_mixed, note_id
from citecheck.documents.context import Paragraph, Ref
from citecheck.errors import InputError
from citecheck.models import Document, Note

log = logging.getLogger(__name__)

FORMAT = "docx"
MAX_PART = 50_000_000
MAX_TOTAL = 200_000_000
MAX_ENTRIES = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REF_KINDS = {f"{_W}footnoteReference": FOOTNOTE, f"{_W}endnoteReference": ENDNOTE}
_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
         f"{_W}noBreakHyphen": "-"}
_SKIP = frozenset(f"{_W}{name}" for name in (
    "delText", "instrText", "del", "moveFrom", "txbxContent", "footnoteRef", "endnoteRef",
    "rPr", "pPr")) | {f"{_MC}Fallback"}
_HYPERLINK_FIELD = re.compile(r'HYPERLINK\s+"([^"]+)"')
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
               ValueError, OSError)


@dataclass
class _Package:
    """The parts of a .docx read so far, within the size limits."""

    zf: zipfile.ZipFile
    name: str
    read_total: int = 0
    parts: set[str] = field(default_factory=set)

    def xml(self, part: str) -> etree._Element | None:
        """A part parsed as XML, or None when the package has no such part."""
        data = self.raw(part)
        return None if data is None else _parse_xml(data, part, self.name)

    def raw(self, part: str) -> bytes | None:
        """A part's bytes, or None when absent; InputError past the size limits."""
        if part not in self.parts:
            return None
        try:
            with self.zf.open(part) as stream:
                data = stream.read(MAX_PART + 1)
        except _ZIP_ERRORS as exc:
            raise InputError(f"cannot read {part} from the .docx ({exc}); is the file damaged?",
                             where=self.name) from None
        self.read_total += len(data)
        if len(data) > MAX_PART or self.read_total > MAX_TOTAL:
            raise InputError(f"{part} is too large once uncompressed (over {MAX_PART:,} bytes)",
                             where=self.name)
        return data

    def relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """A part's relationships: id -> (type, target resolved to a part name, external)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        rels = {}
        for rel in [] if root is None else root.iter(_REL):
            target, external = rel.get("Target", ""), rel.get("TargetMode") == "External"
            if not external:
                target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            rels[rel.get("Id", "")] = (rel.get("Type", ""), target, external)
        return rels


def read_docx(data: bytes, name: str) -> Document:
    """Read a .docx package into a Document."""
    package = _open(data, name)
    main = _main_part(package)
    body = package.xml(main)
    if body is None:
        raise InputError(f"not a Word document: the package has no {main}", where=name)
    paragraphs, first_seen = _body(body)
    mixed = is_mixed(kind for kind, _ in first_seen)
    numbers = _display_numbers(first_seen)
    paragraphs = [_with_ids(p, numbers, mixed) for p in paragraphs]
    notes = _notes(package, main, first_seen, numbers, mixed)
    return assemble(name, FORMAT, notes, paragraphs)


def _open(data: bytes, name: str) -> _Package:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except _ZIP_ERRORS:
        raise InputError("not a valid .docx: it is not a zip archive (damaged or truncated?)",
                         where=name) from None
    if len(infos) > MAX_ENTRIES or sum(info.file_size for info in infos) > MAX_TOTAL:
        raise InputError(f"not a plausible .docx: over {MAX_ENTRIES:,} parts or "
                         f"{MAX_TOTAL:,} bytes uncompressed (a zip bomb?)", where=name)
    return _Package(zf, name, parts={info.filename for info in infos})


def _parse_xml(data: bytes, part: str, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{part} is not valid XML ({exc.msg}, line {exc.lineno})",
                         where=name) from None
    if root.getroottree().docinfo.doctype:
        raise InputError(f"{part} declares a DOCTYPE, which a Word document never does; "
                         "refusing to read it", where=name)
    return root


def _main_part(package: _Package) -> str:
    for rel_type, target, external in package.relationships("").values():
        if rel_type.endswith("/officeDocument") and not external:
            return target
    return "word/document.xml"


def _pieces(element: etree._Element) -> Iterator[tuple[str, str]]:
    """("text", s) and (kind, w:id) pieces of an element, in reading order."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _TEXT:
            yield "text", _TEXT[tag] if _TEXT[tag] is not None else (child.text or "")
        elif tag in _REF_KINDS:
            yield _REF_KINDS[tag], child.get(f"{_W}id", "")
        else:
            yield from _pieces(child)


def _paragraphs(root: etree._Element) -> Iterator[etree._Element]:
    """Every w:p in reading order, skipping the fallback copies of alternate content."""
    for paragraph in root.iter(f"{_W}p"):
        if next(paragraph.iterancestors(f"{_MC}Fallback"), None) is None:
            yield paragraph


def _body(root: etree._Element) -> tuple[list[Paragraph], dict[tuple[str, str], int]]:
    """Body paragraphs with raw refs (kind:w:id), and where each note is first referenced."""
    paragraphs: list[Paragraph] = []
    first_seen: dict[tuple[str, str], int] = {}
    for element in _paragraphs(root):
        parts, refs, size = [], [], 0
        for kind, value in _pieces(element):
            if kind == "text":
                parts.append(value)
                size += len(value)
            else:
                refs.append(Ref(f"{kind}:{value}", size))
                first_seen.setdefault((kind, value), len(paragraphs) + 1)
        text = "".join(parts)
        if text.strip() or refs:
            paragraphs.append(Paragraph(text, tuple(refs), len(paragraphs) + 1))
    return paragraphs, first_seen


def _display_numbers(first_seen: dict[tuple[str, str], int]) -> dict[tuple[str, str], str]:
    counters = {FOOTNOTE: 0, ENDNOTE: 0}
    numbers = {}
    for kind, xml_id in first_seen:  # dicts keep insertion order: first reference first
        counters[kind] += 1
        numbers[(kind, xml_id)] = str(counters[kind])
    return numbers


def _with_ids(paragraph: Paragraph, numbers: dict[tuple[str, str], str],
              mixed: bool) -> Paragraph:
    refs = []
    for ref in paragraph.refs:
        kind, xml_id = ref.note_id.split(":", 1)
        refs.append(Ref(note_id(kind, numbers[(kind, xml_id)], mixed=mixed), ref.offset))
    return Paragraph(paragraph.text, tuple(refs), paragraph.number)


def _notes(package: _Package, main: str, first_seen: dict[tuple[str, str], int],
           numbers: dict[tuple[str, str], str], mixed: bool) -> list[Note]:
    found: dict[tuple[str, str], Note] = {}
    for kind, part in _note_parts(package, main):
        note_rels = package.relationships(part)
        for xml_id, element in _note_elements(package, part, kind):
            key = (kind, xml_id)
            if key not in numbers:
                log.debug("%s: %s w:id=%s is never referenced; skipped", package.name, kind,
                          xml_id)
                continue
            found[key] = _note(element, note_id(kind, numbers[key], mixed=mixed), kind,
                               first_seen[key], note_rels)
    return [found[key] for key in first_seen if key in found]


def _note_parts(package: _Package, main: str) -> list[tuple[str, str]]:
    """(kind, part name) of the footnotes and endnotes parts, by relationship or by name."""
    parts = {}
    for rel_type, target, external in package.relationships(main).values():
        for kind in (FOOTNOTE, ENDNOTE):
            if rel_type.endswith(f"/{kind}s") and not external:
                parts.setdefault(kind, target)
    for kind in (FOOTNOTE, ENDNOTE):
        parts.setdefault(kind, f"word/{kind}s.xml")
    return list(parts.items())


def _note_elements(package: _Package, part: str,
                   kind: str) -> Iterator[tuple[str, etree._Element]]:
    root = package.xml(part)
    for note in [] if root is None else root.iter(f"{_W}{kind}"):
        if note.get(f"{_W}type", "normal") == "normal":
            yield note.get(f"{_W}id", ""), note


def _note(element: etree._Element, nid: str, kind: str, paragraph: int,
          rels: dict[str, tuple[str, str, bool]]) -> Note:
    blocks = ("".join(v for k, v in _pieces(p) if k == "text") for p in _paragraphs(element))
    text = "\n".join(" ".join(block.split()) for block in blocks if block.strip())
    targets = dict.fromkeys(url for url in _link_targets(element, rels) if url not in text)
    return Note(id=nid, text=text, line=paragraph, link_targets=tuple(targets), kind=kind)


def _link_targets(element: etree._Element,
                  rels: dict[str, tuple[str, str, bool]]) -> Iterator[str]:
    """URLs a note links to: hyperlink relationships and HYPERLINK field codes."""
    for link in element.iter(f"{_W}hyperlink"):
        _, target, external = rels.get(link.get(f"{_R}id", ""), ("", "", False))
        if external and target:
            yield target
    for simple in element.iter(f"{_W}fldSimple"):
        yield from _HYPERLINK_FIELD.findall(simple.get(f"{_W}instr", ""))
    codes = "".join(node.text or "" for node in element.iter(f"{_W}instrText"))
    yield from _HYPERLINK_FIELD.findall(codes)
