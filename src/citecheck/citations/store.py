"""citations.yml: load it with checks, write it atomically, and merge so that hand edits survive.

The file is edited by people, so it is read and written with ruamel.yaml in round-trip mode:
comments, key order and quoting stay as the user left them. Loading checks every field and
fails with "citations.yml line N: …" without touching the file. Saving over an existing
file is a three-way merge per field (see `save_citations` and docs/citations-format.md).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter

from citecheck.citations import store_emit
from citecheck.citations.store_merge import (
    BaseOf,
    MergeReport,
    Removed,
    apply_plan,
    plan_merge,
)
from citecheck.citations.store_schema import (
    SCHEMA_VERSION,
    CitationFile,
    check_file,
    compose,
    document_map,
    new_entry,
)
from citecheck.errors import InputError
from citecheck.models import Citation, DocumentInfo

__all__ = ["SCHEMA_VERSION", "CitationFile", "MergeReport", "Removed", "dumps_citations",
           "load_citations", "save_citations", "write_atomic"]

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20_000_000
HEADER = ("citecheck citations: edit freely; `citecheck extract` keeps your edits when it "
          "runs again")


# --------------------------------------------------------------------------- YAML setup


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps dates as the strings the user wrote."""


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node))


class _Representer(RoundTripRepresenter):
    """Round-trip representer: `null` for empty values, and text quoted where readers differ.

    YAML 1.2 lets a plain scalar start with "?", ":" or "-" followed by a character; a YAML 1.1
    reader (PyYAML, which checks the file) takes "?x" in a flow list for a key. Such text is
    written quoted, which both read alike.
    """

    def represent_text(self, data: str) -> ScalarNode:
        """A string, single-quoted when it starts like an indicator."""
        style = "'" if data[:1] in ("?", ":", "-") else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Representer.add_representer(
    type(None), lambda self, _: self.represent_scalar("tag:yaml.org,2002:null", "null"))
_Representer.add_representer(str, _Representer.represent_text)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.width = 4096  # one line per value: easier to edit than wrapped scalars
    yaml.preserve_quotes = True
    return yaml


# --------------------------------------------------------------------------- loading


def load_citations(path: Path) -> CitationFile:
    """Read and check citations.yml; InputError with the file and line when it is not valid."""
    text = _read_text(path)
    return check_file(compose(text, path.name), path.name)


def _round_trip(text: str, name: str) -> CommentedMap:
    """The round-trip tree of a checked file, to edit in place (comments and all)."""
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:  # a file PyYAML accepts and ruamel.yaml does not: rare
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise InputError(f"not valid YAML: {exc.problem or exc.context}",
                         where=f"{name} line {line}") from None
    except (YAMLError, ValueError, RecursionError) as exc:
        raise InputError(f"not valid YAML: {exc}", where=name) from None


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"larger than {MAX_FILE_BYTES // 1_000_000} MB; is this really a "
                         "citations file?", where=path.name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8 text; save the file as UTF-8",
                         where=f"{path.name} line {line}") from None


# --------------------------------------------------------------------------- writing


def dumps_citations(citations: Sequence[Citation], document: DocumentInfo) -> str:
    """A new citations.yml for these citations, as text."""
    tree = _new_tree(citations, document)
    if not citations or not store_emit.AVAILABLE:
        return _dump(tree)
    entries = tree.pop("citations")
    parts = [_dump(tree), "citations:\n"]
    yaml = _yaml()
    for ordinary, group in itertools.groupby(entries, key=store_emit.ordinary):
        if ordinary:  # libyaml: the same bytes, faster (store_emit)
            parts.append(store_emit.emit(list(group)))
        else:
            out = io.StringIO()
            yaml.dump(CommentedSeq(group), out)
            parts.append(out.getvalue())
    return "".join(parts)


def _dump(tree: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def _new_tree(citations: Sequence[Citation], document: DocumentInfo) -> CommentedMap:
    tree = CommentedMap()
    tree["version"] = SCHEMA_VERSION
    tree["document"] = document_map(document)
    tree["citations"] = CommentedSeq(new_entry(citation) for citation in citations)
    tree.yaml_set_start_comment(HEADER)
    return tree


def save_citations(path: Path, citations: Sequence[Citation], document: DocumentInfo, *,
                   force: bool = False, base_of: BaseOf | None = None) -> MergeReport:
    """Write citations.yml atomically, merging with the file there unless `force`.

    The merge keeps every field the user changed by hand: a field takes the document's new
    value only where the file still holds what extract wrote last time, which is `base_of`
    applied to the (id, text) pairs of the file (the parser run again on the old notes).
    Without `base_of`, every field that differs from the document counts as a hand edit.
    A file that already says everything is left as it is.
    """
    if force or not path.exists():
        write_atomic(path, dumps_citations(citations, document))
        return MergeReport(added=tuple(c.id for c in citations), created=True)
    text = _read_text(path)
    existing = check_file(compose(text, path.name), path.name)
    base = dict(base_of([(c.id, c.text) for c in existing.citations])) if base_of else None
    plan = plan_merge(existing, citations, document, base)
    if plan.rewrites:
        tree = _round_trip(text, path.name)
        apply_plan(tree, plan, document)
        write_atomic(path, _dump(tree))
    return plan.report


def write_atomic(path: Path, text: str) -> None:
    """Replace a file with text: a temp file beside it, fsync, rename; the old mode is kept."""
    mode = _mode_for(path)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", where=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {exc.strerror or exc}", where=str(path)) from None
        raise
    _fsync_folder(path.parent)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can fsync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


