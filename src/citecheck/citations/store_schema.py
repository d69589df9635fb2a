"""The citations.yml schema: checking a parsed file, and citations as YAML maps.

Checking works on the YAML node tree (PyYAML's composer, in C where libyaml is there: about
twenty times faster than a round-trip load), and reads every value from its scalar text by
the schema, so YAML 1.1 / 1.2 typing questions (`no`, `2023-03-15`, `0o14`) never arise.
Checks fail with the file name and the line of the offending key, and say how to fix it
("date '31 Feb 2023' is not a date; write it as YYYY-MM-DD"). `date_precision` always
follows the shape of `date` (YYYY, YYYY-MM, YYYY-MM-DD), so fixing a date by hand never
needs a second edit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from citecheck.errors import InputError
from citecheck.models import Citation, Code, Context, DatePrecision, DocumentInfo, Kind, Locator

SCHEMA_VERSION = 1
KEY_ORDER = ("id", "kind", "title", "publisher", "date", "date_precision", "url", "urls",
             "accessed", "locators", "same_as", "ignore", "confidence", "note_line", "context",
             "text")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# What the resolver gives plain scalars, and the plain collections; nothing that builds objects.
_ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value", "yaml"))
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class CitationFile:
    """A loaded citations.yml."""

    version: int
    document: DocumentInfo
    citations: tuple[Citation, ...]
    # per citation, the keys citecheck does not use (kept on save, never read)
    extra_keys: tuple[tuple[str, ...], ...] = field(default=(), compare=False)


class _Invalid(Exception):
    """Something that does not fit the schema, and the node it was found at."""

    def __init__(self, message: str, node: Node | None = None) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1 if node is not None else 1


def compose(text: str, name: str) -> Node | None:
    """Parse YAML text into nodes (no objects built); InputError with the line if invalid."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "cannot parse"
        if "\t" in _line(text, line):  # libyaml's message does not name the character
            problem += " (indent with spaces, not tabs)"
        raise InputError(f"not valid YAML: {problem}", where=f"{name} line {line}") from None
    except yaml.reader.ReaderError as exc:  # its position is in bytes or characters: find it
        found = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, found) + 1 if found >= 0 else 1
        raise InputError(f"not valid YAML: control character U+{exc.character or 0:04X} is not "
                         "allowed; delete it, or write it as an escape in a double-quoted value",
                         where=f"{name} line {line}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise InputError(f"not valid YAML: {exc}", where=name) from None


def _line(text: str, number: int) -> str:
    """Line `number` (from 1) of a text, "" past its end."""
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def check_file(root: Node | None, name: str) -> CitationFile:
    """Check a parsed citations.yml; InputError naming the file and the line."""
    try:
        _refuse_tags_and_aliases(root)
        return _check_file(root)
    except _Invalid as exc:
        raise InputError(str(exc), where=f"{name} line {exc.line}") from None


def _refuse_tags_and_aliases(root: Node | None) -> None:
    seen: set[int] = set()
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _Invalid("YAML aliases (*name) are not allowed in a citations file", node)
        seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            raise _Invalid(f"YAML tag {node.tag!r} is not allowed in a citations file", node)
        if isinstance(node, MappingNode):
            stack.extend(child for pair in reversed(node.value) for child in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))


@dataclass
class _Map:
    """A YAML mapping: value nodes by key text, and the key nodes (for line numbers)."""

    node: MappingNode
    items: dict[str, tuple[ScalarNode, Node]]

    def get(self, key: str) -> Node | None:
        """The value node of a key, if present."""
        return self.items[key][1] if key in self.items else None

    def key(self, key: str) -> Node:
        """The key's own node (its line), or the mapping's."""
        return self.items[key][0] if key in self.items else self.node


def _mapping(node: Node | None, message: str) -> _Map:
    if not isinstance(node, MappingNode):
        raise _Invalid(message, node)
    items: dict[str, tuple[ScalarNode, Node]] = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode):
            raise _Invalid("a key must be a plain word", key)
        if key.value in items:
            raise _Invalid(f"duplicate key {key.value!r}; each key may appear once", key)
        items[key.value] = (key, value)
    return _Map(node, items)


def _check_file(root: Node | None) -> CitationFile:
    top = _mapping(root, "expected a mapping with version, document and citations")
    _check_version(top)
    document = _document(top.get("document"), top.key("document"))
    citations: list[Citation] = []
    extra: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for item in _seq(top.get("citations"), "citations"):
        fields = _mapping(item, "each citation must be a mapping (id: …, kind: …)")
        citation = _entry(fields)
        if citation.id in seen:
            raise _Invalid(f"citation id {citation.id!r} appears twice", fields.key("id"))
        seen.add(citation.id)
        citations.append(citation)
        extra.append(tuple(key for key in fields.items if key not in KEY_ORDER))
    return CitationFile(version=SCHEMA_VERSION, document=document, citations=tuple(citations),
                        extra_keys=tuple(extra))


def _check_version(top: _Map) -> None:
    if top.get("version") is None:
        raise _Invalid(f"no version; put `version: {SCHEMA_VERSION}` at the top", top.node)
    value = _scalar(top.get("version"), "version")
    if value != str(SCHEMA_VERSION):
        raise _Invalid(f"version {value!r} is not supported; this citecheck reads version "
                       f"{SCHEMA_VERSION}", top.key("version"))


def _document(node: Node | None, where: Node) -> DocumentInfo:
    fields = _mapping(node, "document must be a mapping with name and format")
    name, fmt = _scalar(fields.get("name"), "name"), _scalar(fields.get("format"), "format")
    if name is None or fmt is None:
        raise _Invalid("document must be a mapping with name and format", where)
    return DocumentInfo(name=name, format=fmt,
                        sha256=_scalar(fields.get("sha256"), "document sha256"))


def _entry(fields: _Map) -> Citation:
    for required in ("id", "kind"):
        if _scalar(fields.get(required), required) is None:
            raise _Invalid(f"a citation has no {required}", fields.node)
    values: dict[str, Any] = {}
    for key, check in _CHECKS.items():
        value = fields.get(key)
        if key in fields.items:
            try:
                values[key] = check(value)
            except _Invalid as exc:
                raise _Invalid(str(exc), fields.key(key)) from None
    values.setdefault("text", "")
    values["date_precision"] = precision_of(values.get("date"))
    return Citation(**values)


def _scalar(node: Node | None, what: str) -> str | None:
    """A scalar's text, None for a missing or plain null value."""
    if node is None:
        return None
    if not isinstance(node, ScalarNode):
        shape = "a list" if isinstance(node, SequenceNode) else "a mapping"
        raise _Invalid(f"{what} must be text, not {shape}", node)
    if not node.style and node.value in _NULLS:  # plain: style None, or "" from libyaml
        return None
    return node.value


def _text(node: Node | None, what: str) -> str:
    value = _scalar(node, what)
    if value is None:
        raise _Invalid(f"{what} must not be empty", node)
    return value


def _optional(what: str) -> Callable[[Node | None], str | None]:
    return lambda node: _scalar(node, what)


def _kind(node: Node | None) -> Kind:
    value = _scalar(node, "kind")
    try:
        return Kind(value)
    except ValueError:
        raise _Invalid(f"kind {value!r} must be one of "
                       f"{', '.join(k.value for k in Kind)}") from None


def _date(node: Node | None, what: str = "date") -> str | None:
    text = _scalar(node, what)
    if text is None:
        return None
    match = _DATE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (int(g) if g else 1 for g in match.groups())
        dt.date(year, month, day)
    except ValueError:
        raise _Invalid(f"{what} {text!r} is not a date; write it as YYYY-MM-DD "
                       "(or YYYY-MM, or YYYY)") from None
    return text.strip()


def precision_of(date: str | None) -> DatePrecision | None:
    """The precision a date's shape gives: YYYY year, YYYY-MM month, YYYY-MM-DD day."""
    if date is None:
        return None
    return {4: DatePrecision.YEAR, 7: DatePrecision.MONTH}.get(len(date), DatePrecision.DAY)


def _precision(node: Node | None) -> DatePrecision | None:
    value = _scalar(node, "date_precision")
    try:
        return None if value is None else DatePrecision(value)
    except ValueError:
        raise _Invalid(f"date_precision {value!r} must be one of "
                       f"{', '.join(p.value for p in DatePrecision)}") from None


def _seq(node: Node | None, what: str) -> list[Node]:
    if node is None or (isinstance(node, ScalarNode) and _scalar(node, what) is None):
        return []
    if not isinstance(node, SequenceNode):
        raise _Invalid(f"{what} must be a list ([] when empty)", node)
    return list(node.value)


def _urls(node: Node | None) -> tuple[str, ...]:
    return tuple(_text(item, "each of urls") for item in _seq(node, "urls"))


def _codes(node: Node | None) -> tuple[str, ...]:
    known = {code.value for code in Code}
    codes = tuple(_text(item, "each of ignore") for item in _seq(node, "ignore"))
    for code in codes:
        if code not in known:
            raise _Invalid(f"ignore: {code!r} is not a finding code; known codes: "
                           f"{', '.join(sorted(known))}")
    return codes


def _locators(node: Node | None) -> tuple[Locator, ...]:
    return tuple(_locator(item) for item in _seq(node, "locators"))


def _locator(node: Node) -> Locator:
    message = "each locator must be a mapping with kind and value, e.g. {kind: article, value: 93}"
    fields = _mapping(node, message)
    kind, value = _scalar(fields.get("kind"), "kind"), _scalar(fields.get("value"), "value")
    if kind is None or value is None:
        raise _Invalid(message, node)
    return Locator(kind=kind, value=value, text=_scalar(fields.get("text"), "text") or "",
                   instrument=_scalar(fields.get("instrument"), "instrument"))


def _confidence(node: Node | None) -> float:
    text = _scalar(node, "confidence")
    try:
        value = float(text or "")
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise _Invalid(f"confidence must be a number from 0 to 1, not {text!r}")
    return value


def _number(what: str) -> Callable[[Node | None], int | None]:
    def check(node: Node | None) -> int | None:
        text = _scalar(node, what)
        if text is None:
            return None
        if not text.isdigit() or int(text) < 1:
            raise _Invalid(f"{what} must be a line number (1 or more), not {text!r}")
        return int(text)
    return check


def _context(node: Node | None) -> Context | None:
    if _scalar_null(node):
        return None
    fields = _mapping(node, "context must be a mapping with text, line, paragraph, locators")
    return Context(text=_scalar(fields.get("text"), "context text") or "",
                   line=_number("context line")(fields.get("line")),
                   paragraph=_number("context paragraph")(fields.get("paragraph")),
                   locators=_locators(fields.get("locators")))


def _scalar_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and _scalar(node, "") is None)


_CHECKS: dict[str, Callable[[Node | None], Any]] = {
    "id": lambda node: _text(node, "id"),
    "text": lambda node: _scalar(node, "text") or "",
    "kind": _kind,
    "context": _context,
    "title": _optional("title"),
    "publisher": _optional("publisher"),
    "date": _date,
    "date_precision": _precision,
    "url": _optional("url"),
    "urls": _urls,
    "accessed": lambda node: _date(node, "accessed"),
    "locators": _locators,
    "same_as": _optional("same_as"),
    "confidence": _confidence,
    "note_line": _number("note_line"),
    "ignore": _codes,
}


# --------------------------------------------------------------------------- to YAML


def new_entry(citation: Citation) -> CommentedMap:
    """A citation as a YAML map, keys in KEY_ORDER."""
    return CommentedMap((key, to_yaml(key, getattr(citation, key))) for key in KEY_ORDER)


def document_map(document: DocumentInfo) -> CommentedMap:
    """The document line of the file, as a flow map."""
    out = CommentedMap(name=document.name, format=document.format)
    if document.sha256:
        out["sha256"] = document.sha256
    out.fa.set_flow_style()
    return out


def to_yaml(key: str, value: Any) -> Any:
    """A field value as YAML data (locators as flow maps, enums as their values)."""
    if key == "locators":
        return _locator_seq(value)
    if key == "context":
        return None if value is None else _context_map(value)
    if key == "confidence":
        return round(value, 2)
    if isinstance(value, tuple):
        return _flow(CommentedSeq(value))
    return value.value if isinstance(value, DatePrecision | Kind) else value


def _context_map(context: Context) -> CommentedMap:
    """The citing passage on one line: it comes from the document, nobody edits it."""
    out = CommentedMap(text=context.text, line=context.line, paragraph=context.paragraph,
                       locators=_flow(_locator_seq(context.locators)))
    out.fa.set_flow_style()
    return out


def _locator_seq(locators: Sequence[Locator]) -> CommentedSeq:
    seq = CommentedSeq()
    for locator in locators:
        item = CommentedMap(kind=locator.kind, value=locator.value, text=locator.text)
        if locator.instrument is not None:
            item["instrument"] = locator.instrument
        item.fa.set_flow_style()
        seq.append(item)
    return seq if seq else _flow(seq)


def _flow(seq: CommentedSeq) -> CommentedSeq:
    seq.fa.set_flow_style()
    return seq


