"""The citations.yml merge: a new extract meets a file the user may have edited by hand.

Per field, three values meet: the user's (the file), the base (what extract wrote last
time, recomputed by the caller's parser from the file's note texts) and the document's new
value. A field the user left as the base takes the new value; any other is a hand edit and
stays. Entries are matched by identical note text first, so renumbered notes keep their
edits; the user's own YAML maps are updated in place, so comments and extra keys stay.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from citecheck.citations.store_schema import (
    KEY_ORDER,
    SCHEMA_VERSION,
    CitationFile,
    document_map,
    new_entry,
    precision_of,
    to_yaml,
)
from citecheck.models import Citation, DocumentInfo

NOTE_FIELDS = ("kind", "title", "publisher", "date", "date_precision", "url", "urls",
               "accessed", "locators", "same_as", "confidence")
DOCUMENT_FIELDS = ("id", "note_line", "context", "text")
_SIMILAR = 60  # rapidfuzz ratio above which a changed note is taken as the same note
_MAX_FUZZY_PAIRS = 250_000  # beyond this many comparisons, unmatched notes stay unmatched
BaseOf = Callable[[Sequence[tuple[str, str]]], Mapping[str, Citation]]


@dataclass(frozen=True)
class Removed:
    """A citation whose note is no longer in the document."""

    id: str
    text: str
    had_edits: bool  # it carried hand edits (fields changed by hand, ignore, extra keys)


@dataclass(frozen=True)
class MergeReport:
    """What saving did to citations.yml."""

    added: tuple[str, ...] = ()  # ids of new notes
    updated: tuple[str, ...] = ()  # ids whose entry changed (new values, new id, new context)
    kept: tuple[tuple[str, str], ...] = ()  # (id, field): hand edits kept over the document
    removed: tuple[Removed, ...] = ()
    created: bool = False  # written from scratch: there was no file, or force

    def summary(self) -> str:
        """One line for people: what changed in the file."""
        if self.created:
            return f"{len(self.added)} citations, written afresh"
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated",
                 f"{len(self.removed)} removed", f"{len(self.kept)} hand edits kept"]
        edited = [r.id for r in self.removed if r.had_edits]
        if edited:
            parts.append(f"removed notes {', '.join(edited)} had hand edits")
        return ", ".join(parts)


@dataclass(frozen=True)
class MergePlan:
    """What a merge will do, worked out from the checked file alone (no round-trip load)."""

    order: tuple[tuple[Citation, int | None], ...]  # document order: citation, old index
    changes: Mapping[int, Mapping[str, Any]]  # old index -> field -> value to write
    report: MergeReport
    rewrites: bool  # False when the file already says all of it: nothing to write


def plan_merge(existing: CitationFile, new: Sequence[Citation], document: DocumentInfo,
               base: Mapping[str, Citation] | None) -> MergePlan:
    """The three-way merge of new citations with a checked file (pure)."""
    pairs = match_citations(existing.citations, new)
    order, changes, added, updated, kept = [], {}, [], [], []
    for i, citation in enumerate(new):
        j = pairs.get(i)
        order.append((citation, j))
        if j is None:
            added.append(citation.id)
            continue
        old = existing.citations[j]
        fields, kept_fields = _field_changes(old, citation,
                                             None if base is None else base.get(old.id))
        if fields:
            changes[j] = fields
            updated.append(citation.id)
        kept.extend((citation.id, name) for name in kept_fields)
    matched = set(pairs.values())
    removed = tuple(_removed(existing, j, base) for j in range(len(existing.citations))
                    if j not in matched)
    report = MergeReport(added=tuple(added), updated=tuple(updated), kept=tuple(kept),
                         removed=removed)
    moved = any(i != j for i, j in pairs.items())
    rewrites = bool(added or updated or removed or moved or existing.document != document)
    return MergePlan(tuple(order), changes, report, rewrites)


def apply_plan(tree: CommentedMap, plan: MergePlan, document: DocumentInfo) -> None:
    """Carry out a plan on the round-trip tree of the same file, in place."""
    entries = list(tree.get("citations") or [])
    ordered = CommentedSeq()
    for citation, j in plan.order:
        if j is None:
            ordered.append(new_entry(citation))
            continue
        entry = entries[j]  # the user's own map: its comments and extra keys stay
        for name, value in plan.changes.get(j, {}).items():
            _set(entry, name, value)
        _sync_precision(entry)
        ordered.append(entry)
    _replace_citations(tree, ordered)
    _update_header(tree, document)


def _replace_citations(tree: CommentedMap, ordered: CommentedSeq) -> None:
    old = tree.get("citations")
    if isinstance(old, CommentedSeq):
        ordered.ca.comment = old.ca.comment
    tree["citations"] = ordered


def _update_header(tree: CommentedMap, document: DocumentInfo) -> None:
    tree["version"] = SCHEMA_VERSION
    current = tree.get("document")
    if isinstance(current, CommentedMap):
        for key, value in (("name", document.name), ("format", document.format),
                           ("sha256", document.sha256)):
            if current.get(key) != value and (value is not None or key in current):
                current[key] = value
    else:
        tree["document"] = document_map(document)


def _field_changes(old: Citation, new: Citation,
                   base: Citation | None) -> tuple[dict[str, Any], list[str]]:
    """Fields to write (taken from the document), and fields kept as hand edits."""
    changes, kept = {}, []
    for name in NOTE_FIELDS:
        if name == "date_precision":
            continue  # follows the date when the entry is written, never an edit of its own
        mine, theirs = _comparable(name, getattr(old, name)), _comparable(name, getattr(new, name))
        if mine == theirs:
            continue
        if base is not None and mine == _comparable(name, getattr(base, name)):
            changes[name] = getattr(new, name)
        else:
            kept.append(name)
    for name in DOCUMENT_FIELDS:
        if getattr(old, name) != getattr(new, name):
            changes[name] = getattr(new, name)
    return changes, kept


def _comparable(name: str, value: Any) -> Any:
    return round(value, 2) if name == "confidence" else value


def _sync_precision(entry: CommentedMap) -> None:
    precision = precision_of(None if entry.get("date") is None else str(entry["date"]))
    wanted = None if precision is None else precision.value
    if entry.get("date_precision") != wanted and ("date_precision" in entry or wanted):
        _set(entry, "date_precision", wanted)


def _set(entry: CommentedMap, key: str, value: Any) -> None:
    """Set a key in place (its comment stays), or insert it where KEY_ORDER puts it."""
    value = to_yaml(key, value)
    if key in entry:
        entry[key] = value
        return
    rank = KEY_ORDER.index(key)
    position = sum(1 for k in entry if k in KEY_ORDER and KEY_ORDER.index(k) < rank)
    entry.insert(position, key, value)


def _removed(existing: CitationFile, index: int, base: Mapping[str, Citation] | None) -> Removed:
    old = existing.citations[index]
    extra = bool(existing.extra_keys and existing.extra_keys[index])
    reference = None if base is None else base.get(old.id)
    edited = reference is not None and any(
        _comparable(n, getattr(old, n)) != _comparable(n, getattr(reference, n))
        for n in NOTE_FIELDS)
    return Removed(id=old.id, text=old.text, had_edits=bool(edited or old.ignore or extra))


def match_citations(old: Sequence[Citation], new: Sequence[Citation]) -> dict[int, int]:
    """Pair new citations with old ones: new index -> old index.

    Identical note text first (same id preferred, then document order: Word renumbers notes
    when one is inserted), then the same id when the texts are still alike, then the most
    alike remaining text (only while few are left: it compares every pair).
    """
    old_keys = [_key(c.text) for c in old]
    new_keys = [_key(c.text) for c in new]
    pairs: dict[int, int] = {}
    _pair_by(pairs, [(k, c.id) for k, c in zip(old_keys, old, strict=True)],
             [(k, c.id) for k, c in zip(new_keys, new, strict=True)])
    _pair_by(pairs, old_keys, new_keys)
    by_id = _pair_by(pairs, [c.id for c in old], [c.id for c in new], dry=True)
    for i, j in by_id.items():
        if fuzz.ratio(new_keys[i], old_keys[j]) >= _SIMILAR:
            pairs[i] = j
    _pair_alike(pairs, old_keys, new_keys)
    return pairs


def _key(text: str) -> str:
    return " ".join(text.split())


def _pair_by(pairs: dict[int, int], old: Sequence[Hashable], new: Sequence[Hashable], *,
             dry: bool = False) -> dict[int, int]:
    """Pair equal keys in document order (unpaired ones only); returns the new pairs."""
    used = set(pairs.values())
    free: dict[Hashable, deque[int]] = defaultdict(deque)
    for j, key in enumerate(old):
        if j not in used:
            free[key].append(j)
    found = {}
    for i, key in enumerate(new):
        if i not in pairs and free.get(key):
            found[i] = free[key].popleft()
    if not dry:
        pairs.update(found)
    return found


def _pair_alike(pairs: dict[int, int], old_keys: Sequence[str], new_keys: Sequence[str]) -> None:
    used = set(pairs.values())
    left = {j: key for j, key in enumerate(old_keys) if j not in used}
    todo = [i for i in range(len(new_keys)) if i not in pairs]
    if not left or not todo or len(left) * len(todo) > _MAX_FUZZY_PAIRS:
        return
    for i in todo:
        best = process.extractOne(new_keys[i], left, scorer=fuzz.ratio, score_cutoff=_SIMILAR)
        if best is not None:
            pairs[i] = best[2]
            del left[best[2]]
            if not left:
                return
