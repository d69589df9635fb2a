"""Build small .docx packages in memory from WordprocessingML snippets (no binary fixtures)."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

SEPARATORS = (
    '<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
    '<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:{kind}>'
)


def run(text: str) -> str:
    """A run holding text."""
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def fref(xml_id: int | str) -> str:
    """A run with a footnote reference."""
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>' \
           f'<w:footnoteReference w:id="{xml_id}"/></w:r>'


def eref(xml_id: int | str) -> str:
    """A run with an endnote reference."""
    return f'<w:r><w:endnoteReference w:id="{xml_id}"/></w:r>'


def para(*runs: str) -> str:
    """A paragraph of runs (plain strings become text runs)."""
    body = "".join(r if r.startswith("<") else run(r) for r in runs)
    return f"<w:p>{body}</w:p>"


def note(kind: str, xml_id: int | str, *paragraphs: str) -> str:
    """A footnote or endnote element; paragraphs are strings or ready <w:p> snippets."""
    ref = f"<w:r><w:{kind}Ref/></w:r>"
    body = "".join(
        p if p.startswith("<w:p") else f"<w:p>{ref if i == 0 else ''}{run(' ' + p)}</w:p>"
        for i, p in enumerate(paragraphs))
    return f'<w:{kind} w:id="{xml_id}">{body}</w:{kind}>'


def rels(*entries: tuple[str, str, str, bool]) -> str:
    """A relationships part from (id, type suffix, target, external) entries."""
    mode = ' TargetMode="External"'
    items = "".join(
        f'<Relationship Id="{rid}" Type="{TYPES}/{kind}" Target="{escape(target)}"'
        f'{mode if external else ""}/>'
        for rid, kind, target, external in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">{items}' \
           "</Relationships>"


def build_docx(body: str, footnotes: str | None = None, endnotes: str | None = None,
               footnote_rels: str | None = None, extra: dict[str, bytes] | None = None,
               with_rels: bool = True) -> bytes:
    """A .docx package: body paragraphs, and optional footnote / endnote elements."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
                               'openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                             f"<w:document {NS}><w:body>{body}</w:body></w:document>",
    }
    doc_rels = []
    if footnotes is not None:
        parts["word/footnotes.xml"] = f"<w:footnotes {NS}>" \
            f"{SEPARATORS.format(kind='footnote')}{footnotes}</w:footnotes>"
        doc_rels.append(("rId1", "footnotes", "footnotes.xml", False))
    if endnotes is not None:
        parts["word/endnotes.xml"] = f"<w:endnotes {NS}>" \
            f"{SEPARATORS.format(kind='endnote')}{endnotes}</w:endnotes>"
        doc_rels.append(("rId2", "endnotes", "endnotes.xml", False))
    if footnote_rels is not None:
        parts["word/_rels/footnotes.xml.rels"] = footnote_rels
    if with_rels:
        parts["_rels/.rels"] = rels(("rId1", "officeDocument", "word/document.xml", False))
        parts["word/_rels/document.xml.rels"] = rels(*doc_rels)
    parts.update(extra or {})
    return zipped(parts)


def zipped(parts: dict[str, str | bytes]) -> bytes:
    """A zip of these parts (deflated), in this order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()
