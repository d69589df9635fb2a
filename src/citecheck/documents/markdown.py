"""Markdown with pandoc / GFM footnotes: `text[^1]`, `[^1]: note`, named labels, `^[inline]`.

Parsed with markdown-it-py and the footnote plugin of mdit-py-plugins, so code blocks, inline
code, indented continuation lines and link syntax follow CommonMark exactly instead of a
hand-written scanner's guesses. The plugin runs with `move_to_end=False` (definitions stay
where they are written, with their line) and `always_match_refs=True` (a reference to an
undefined note is still a marker, so the missing note can be reported).

Ids are the labels as written ("1", "smith2020"); inline notes get "inline-1", "inline-2"…
in document order. Notes come in the order of their first reference; notes nobody
references follow, in the order they are defined.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from citecheck.documents.base import assemble, unique_notes
from citecheck.documents.context import Paragraph, Ref
from citecheck.models import Document, Note

FORMAT = "markdown"
_BREAKS = frozenset({"softbreak", "hardbreak"})


@dataclass
class _Inline:
    """Plain text of inline tokens, the note references in it and the link targets."""

    text: str = ""
    refs: list[Ref] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=True, move_to_end=False, always_match_refs=True)
    return md


def read_markdown(text: str, name: str) -> Document:
    """Read a Markdown document with footnotes into a Document."""
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    inline_notes = env.get("footnotes", {}).get("list", {})
    paragraphs: list[Paragraph] = []
    defined: list[Note] = []
    inline: dict[int, Note] = {}
    definition: tuple[str, int | None, list[_Inline]] | None = None
    for token in tokens:
        if token.type == "footnote_reference_open":
            definition = (token.meta["label"], _line(token), [])
        elif token.type == "footnote_reference_close" and definition is not None:
            defined.append(_note(definition[0], definition[1], definition[2]))
            definition = None
        elif token.type == "inline" and definition is not None:
            definition[2].append(_plain(token.children or [], _line(token), inline_notes, {}))
        elif token.type == "inline":
            body = _plain(token.children or [], _line(token), inline_notes, inline)
            if body.text.strip() or body.refs:
                paragraphs.append(Paragraph(body.text, tuple(body.refs), len(paragraphs) + 1))
    notes, findings = unique_notes(_in_reference_order(paragraphs, defined, inline))
    return assemble(name, FORMAT, notes, paragraphs, findings)


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


def _plain(children: Sequence[Token], line: int | None, inline_notes: dict[int, Any],
           inline: dict[int, Note]) -> _Inline:
    out, parts, breaks = _Inline(), [], 0
    size = 0
    for child in children:
        piece = ""
        if child.type in ("text", "code_inline", "image"):
            piece = child.content
        elif child.type in _BREAKS:
            piece, breaks = "\n", breaks + 1
        elif child.type == "link_open":
            out.links.append(str(child.attrs.get("href", "")))
        elif child.type == "footnote_ref":
            at = None if line is None else line + breaks
            out.refs.append(Ref(_ref_id(child, at, inline_notes, inline), size, at))
        parts.append(piece)
        size += len(piece)
    out.text = "".join(parts)
    return out


def _ref_id(token: Token, line: int | None, inline_notes: dict[int, Any],
            inline: dict[int, Note]) -> str:
    label = token.meta.get("label")
    if label is not None:
        return str(label)
    number = token.meta["id"]
    if number not in inline:
        data = inline_notes.get(number, {})
        body = _plain(data.get("tokens", []), line, inline_notes, {})
        inline[number] = _note(f"inline-{len(inline) + 1}", line, [body])
    return inline[number].id


def _note(label: str, line: int | None, blocks: Iterable[_Inline]) -> Note:
    blocks = list(blocks)
    text = "\n".join(" ".join(block.text.split()) for block in blocks).strip()
    links = dict.fromkeys(link for block in blocks for link in block.links if link)
    hidden = tuple(link for link in links if link not in text and unquote(link) not in text)
    return Note(id=label, text=text, line=line, link_targets=hidden)


def _in_reference_order(paragraphs: Sequence[Paragraph], defined: Sequence[Note],
                        inline: dict[int, Note]) -> list[Note]:
    by_id: dict[str, list[Note]] = {}
    for note in [*defined, *inline.values()]:
        by_id.setdefault(note.id, []).append(note)
    ordered: list[Note] = []
    for paragraph in paragraphs:
        for ref in paragraph.refs:
            ordered.extend(by_id.pop(ref.note_id, []))
    ordered.extend(note for note in defined if note.id in by_id)
    return ordered
