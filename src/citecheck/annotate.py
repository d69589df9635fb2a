"""Where GitHub annotations point: a path from the repository root, and a line per footnote.

An edge module: it looks at the disk (is the document beside citations.yml? where is the
repository's root?) and reads citations.yml's entry lines; report/github.py renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from citecheck.models import DocumentInfo
from citecheck.report.github import AnnotationTarget

LINE_FORMATS = frozenset({"poi-text", "markdown"})  # documents whose note lines are text lines


def annotation_target(path: Path, document: DocumentInfo, citations_file: bool, *,
                      environ: Mapping[str, str]) -> AnnotationTarget:
    """Where GitHub annotations point, as a path from the repository root.

    A text document checked directly, or found beside citations.yml under the name the file
    gives it: the document, at each citing clause's line. Otherwise (a .docx, or a document
    not there) citations.yml itself, at each citation's entry; a .docx checked directly gets
    annotations on the file without a line.
    """
    root = repository_root(path, environ)
    if not citations_file:
        lines = None if document.format in LINE_FORMATS else {}
        return AnnotationTarget(relative_path(path, root), lines)
    beside = _document_beside(path, document)
    if beside is not None:
        return AnnotationTarget(relative_path(beside, root))
    text = path.read_text(encoding="utf-8-sig")
    return AnnotationTarget(relative_path(path, root), entry_lines(text, path.name))


def _document_beside(path: Path, document: DocumentInfo) -> Path | None:
    name = Path(document.name)
    if document.format not in LINE_FORMATS or name.is_absolute() or ".." in name.parts:
        return None
    candidate = path.parent / name
    return candidate if candidate.is_file() else None


def repository_root(path: Path, environ: Mapping[str, str]) -> Path:
    """The root of the repository holding `path`: $GITHUB_WORKSPACE, the folder with .git, cwd."""
    folder = path.resolve().parent
    workspace = environ.get("GITHUB_WORKSPACE")
    if workspace and folder.is_relative_to(Path(workspace).resolve()):
        return Path(workspace).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return Path.cwd().resolve()


def relative_path(path: Path, root: Path) -> str:
    """`path` from `root` with forward slashes; as given when it is not under `root`."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def entry_lines(text: str, name: str) -> dict[str, int]:
    """The line of each citation's entry in citations.yml text, by note id."""
    from yaml.nodes import ScalarNode, SequenceNode

    from citecheck.citations.store_schema import compose

    entries = _value(compose(text, name), "citations")
    if not isinstance(entries, SequenceNode):
        return {}
    lines = {}
    for entry in entries.value:
        ident = _value(entry, "id")
        if isinstance(ident, ScalarNode):
            lines[ident.value] = entry.start_mark.line + 1
    return lines


def _value(node: object, key: str) -> object:
    from yaml.nodes import MappingNode, ScalarNode

    if not isinstance(node, MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)
