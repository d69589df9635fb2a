"""The citations.yml schema: checking a loaded YAML tree, and citations as YAML maps.

Checks fail with the file name and the line of the offending key, and say how to fix it
("date '31 Feb 2023' is not a date; write it as YYYY-MM-DD"). `date_precision` always
follows the shape of `date` (YYYY, YYYY-MM, YYYY-MM-DD), so fixing a date by hand never
needs a second edit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

from citecheck.errors import InputError
from citecheck.models import Citation, Code, Context, DatePrecision, DocumentInfo, Kind, Locator

SCHEMA_VERSION = 1
KEY_ORDER = ("id", "kind", "title", "publisher", "date", "date_precision", "url", "urls",
             "accessed", "locators", "same_as", "ignore", "confidence", "note_line", "context",
             "text")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class CitationFile:
    """A loaded citations.yml."""

    version: int
    document: DocumentInfo
    citations: tuple[Citation, ...]


class _Invalid(Exception):
    """A field that does not fit the schema; the caller adds the line."""


def _line(mapping: Any, key: Any = None) -> int:
    """1-based line of a key (or of the mapping itself) in the file."""
    try:
        return (mapping.lc.key(key)[0] if key is not None else mapping.lc.line) + 1
    except (AttributeError, KeyError, TypeError):
        return 1


def _fail(name: str, line: int, message: str) -> NoReturn:
    raise InputError(message, where=f"{name} line {line}")


def check_file(tree: CommentedMap, name: str) -> CitationFile:
    """Check a loaded citations.yml tree; InputError naming the file and line."""
    if "version" not in tree:
        _fail(name, 1, f"no version; put `version: {SCHEMA_VERSION}` at the top")
    if tree["version"] != SCHEMA_VERSION or isinstance(tree["version"], bool):
        _fail(name, _line(tree, "version"), f"version {tree['version']!r} is not supported; "
              f"this citecheck reads version {SCHEMA_VERSION}")
    document = _check_document(tree.get("document"), name, _line(tree, "document"))
    entries = tree.get("citations")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        _fail(name, _line(tree, "citations"), "citations must be a list of entries")
    citations = tuple(_check_entry(entry, name, _item_line(entries, i, tree))
                      for i, entry in enumerate(entries))
    _check_unique(citations, entries, name)
    return CitationFile(version=SCHEMA_VERSION, document=document, citations=citations)


def _item_line(seq: Any, index: int, tree: CommentedMap) -> int:
    try:
        return seq.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return _line(tree, "citations")


def _check_document(value: Any, name: str, line: int) -> DocumentInfo:
    if not isinstance(value, Mapping) or not isinstance(value.get("name"), str) \
            or not isinstance(value.get("format"), str):
        _fail(name, line, "document must be a mapping with name and format")
    sha = value.get("sha256")
    if sha is not None and not isinstance(sha, str):
        _fail(name, line, "document sha256 must be text")
    return DocumentInfo(name=str(value["name"]), format=str(value["format"]),
                        sha256=None if sha is None else str(sha))


def _check_unique(citations: Sequence[Citation], entries: Sequence[Any], name: str) -> None:
    seen: set[str] = set()
    for citation, entry in zip(citations, entries, strict=True):
        if citation.id in seen:
            _fail(name, _line(entry, "id"), f"citation id {citation.id!r} appears twice")
        seen.add(citation.id)


def _check_entry(entry: Any, name: str, line: int) -> Citation:
    if not isinstance(entry, Mapping):
        _fail(name, line, "each citation must be a mapping (id: …, kind: …)")
    for required in ("id", "kind"):
        if entry.get(required) is None:
            _fail(name, line, f"a citation has no {required}")
    values: dict[str, Any] = {}
    for key, check in _CHECKS.items():
        if key in entry:
            try:
                values[key] = check(_plain(entry[key]))
            except _Invalid as exc:
                _fail(name, _line(entry, key), str(exc))
    values.setdefault("text", "")
    values["date_precision"] = precision_of(values.get("date"))
    return Citation(**values)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, TaggedScalar) else value


def _text(value: Any, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Invalid(f"{what} must be text, not {_shape(value)}")
    return str(value)


def _optional_text(what: str) -> Callable[[Any], str | None]:
    return lambda value: None if value is None else _text(value, what)


def _shape(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _kind(value: Any) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise _Invalid(f"kind {value!r} must be one of "
                       f"{', '.join(k.value for k in Kind)}") from None


def _date(value: Any, what: str = "date") -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (int(g) if g else 1 for g in match.groups())
        dt.date(year, month, day)
    except ValueError:
        raise _Invalid(f"{what} {text!r} is not a date; write it as YYYY-MM-DD "
                       "(or YYYY-MM, or YYYY)") from None
    return text


def precision_of(date: str | None) -> DatePrecision | None:
    """The precision a date's shape gives: YYYY year, YYYY-MM month, YYYY-MM-DD day."""
    if date is None:
        return None
    return {4: DatePrecision.YEAR, 7: DatePrecision.MONTH}.get(len(date), DatePrecision.DAY)


def _precision(value: Any) -> DatePrecision | None:
    if value is None:
        return None
    try:
        return DatePrecision(value)
    except ValueError:
        raise _Invalid(f"date_precision {value!r} must be one of "
                       f"{', '.join(p.value for p in DatePrecision)}") from None


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Invalid(f"{what} must be a list ([] when empty), not {_shape(value)}")
    return [_plain(item) for item in value]


def _urls(value: Any) -> tuple[str, ...]:
    return tuple(_text(item, "each of urls") for item in _list(value, "urls"))


def _codes(value: Any) -> tuple[str, ...]:
    known = {code.value for code in Code}
    codes = tuple(_text(item, "each of ignore") for item in _list(value, "ignore"))
    for code in codes:
        if code not in known:
            raise _Invalid(f"ignore: {code!r} is not a finding code; known codes: "
                           f"{', '.join(sorted(known))}")
    return codes


def _locators(value: Any) -> tuple[Locator, ...]:
    return tuple(_locator(item) for item in _list(value, "locators"))


def _locator(value: Any) -> Locator:
    if not isinstance(value, Mapping) or value.get("kind") is None \
            or value.get("value") is None:
        raise _Invalid("each locator must be a mapping with kind and value, "
                       "e.g. {kind: article, value: '93'}")
    instrument = value.get("instrument")
    return Locator(kind=_text(value["kind"], "locator kind"),
                   value=_text(value["value"], "locator value"),
                   text=_text(value.get("text") or "", "locator text"),
                   instrument=None if instrument is None else _text(instrument, "instrument"))


def _confidence(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise _Invalid(f"confidence must be a number from 0 to 1, not {_shape(value)}")
    return float(value)


def _line_number(what: str) -> Callable[[Any], int | None]:
    def check(value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _Invalid(f"{what} must be a line number (1 or more), not {_shape(value)}")
        return value
    return check


def _context(value: Any) -> Context | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _Invalid("context must be a mapping with text, line, paragraph and locators")
    return Context(text=_text(value.get("text") or "", "context text"),
                   line=_line_number("context line")(value.get("line")),
                   paragraph=_line_number("context paragraph")(value.get("paragraph")),
                   locators=_locators(value.get("locators")))


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "id": lambda value: _text(value, "id"),
    "text": lambda value: "" if value is None else _text(value, "text"),
    "kind": _kind,
    "context": _context,
    "title": _optional_text("title"),
    "publisher": _optional_text("publisher"),
    "date": _date,
    "date_precision": _precision,
    "url": _optional_text("url"),
    "urls": _urls,
    "accessed": lambda value: _date(value, "accessed"),
    "locators": _locators,
    "same_as": _optional_text("same_as"),
    "confidence": _confidence,
    "note_line": _line_number("note_line"),
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
        return None if value is None else CommentedMap(
            text=value.text, line=value.line, paragraph=value.paragraph,
            locators=_locator_seq(value.locators))
    if key == "confidence":
        return round(value, 2)
    if isinstance(value, tuple):
        return _flow(CommentedSeq(value))
    return value.value if isinstance(value, DatePrecision | Kind) else value


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


