"""What citecheck writes into warcinfo and metadata records, and reads back to rebuild the index."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import quote

from citecheck import __version__
from citecheck.models import CitationResult, DocumentInfo, Finding
from citecheck.serialize import from_data, to_data

FORMAT_VERSION = "1"  # the archive format (docs/archive-format.md); bump on incompatible change
RESULT_KIND = "citation-result"
RUN_END_KIND = "run-end"


def _warcio_version() -> str:
    try:
        return version("warcio")
    except PackageNotFoundError:  # pragma: no cover - vendored or unusual installs
        return "unknown"


SOFTWARE = f"citecheck/{__version__} warcio/{_warcio_version()}"


@dataclass(frozen=True)
class RunInfo:
    """What a run is: written into every warcinfo record of its WARC files and into the index."""

    run_id: str
    command: str
    document: DocumentInfo
    started: str  # ISO 8601 UTC
    settings: Mapping[str, Any] = field(default_factory=dict)
    software: str = SOFTWARE  # what wrote the run (a rebuild keeps it)

    def warcinfo(self) -> dict[str, str]:
        """The warcinfo fields naming this run (the writer adds software and format)."""
        return {
            "citecheck-run-id": self.run_id,
            "citecheck-command": self.command,
            "citecheck-started": self.started,
            "citecheck-document": _json(to_data(self.document)),
            "citecheck-settings": _json(dict(self.settings)),
        }

    @classmethod
    def from_warcinfo(cls, fields: Mapping[str, str]) -> RunInfo | None:
        """The run a warcinfo record names, or None when it is not a citecheck run's."""
        if "citecheck-run-id" not in fields:
            return None
        try:
            document = from_data(DocumentInfo, json.loads(fields.get("citecheck-document", "")))
            settings = json.loads(fields.get("citecheck-settings") or "{}")
        except ValueError:
            return None
        return cls(fields["citecheck-run-id"], fields.get("citecheck-command", ""), document,
                   fields.get("citecheck-started", ""),
                   settings if isinstance(settings, dict) else {},
                   fields.get("software", SOFTWARE))


def warcinfo_fields(extra: Mapping[str, str]) -> dict[str, str]:
    """The fields of a warcinfo record: software and format first, then the caller's."""
    fields = {
        "software": SOFTWARE,
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "citecheck-archive-format": FORMAT_VERSION,
    }
    fields.update(extra)
    return fields


def warcinfo_block(fields: Mapping[str, str]) -> bytes:
    """A warcinfo block (application/warc-fields): one `name: value` line per field."""
    lines = (f"{name}: {_one_line(str(value))}\r\n" for name, value in fields.items())
    return "".join(lines).encode("utf-8")


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def parse_warcinfo(block: bytes) -> dict[str, str]:
    """The fields of a warcinfo block."""
    fields = {}
    for line in block.decode("utf-8", errors="replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def result_target(run_id: str, note_id: str) -> str:
    """The WARC-Target-URI of a citation result's metadata record."""
    return f"urn:citecheck:{quote(run_id, safe='')}:note:{quote(note_id, safe='')}"


def run_target(run_id: str) -> str:
    """The WARC-Target-URI of a run's closing metadata record."""
    return f"urn:citecheck:{quote(run_id, safe='')}:run"


def without_text(result: CitationResult) -> CitationResult:
    """A result with the page text left out (it is in the response record already)."""
    if result.page is None or not result.page.text:
        return result
    return dataclasses.replace(result, page=dataclasses.replace(result.page, text=""))


def result_payload(run_id: str, document: DocumentInfo, result: CitationResult) -> dict[str, Any]:
    """The metadata record of one citation result: enough to rebuild its index rows."""
    result = without_text(result)
    return {
        "citecheck": RESULT_KIND,
        "format": FORMAT_VERSION,
        "run_id": run_id,
        "document": to_data(document),
        "citation": to_data(result.citation),
        "link": to_data(result.link),
        "page": to_data(result.page),
        "findings": to_data(result.findings),
    }


def parse_result_payload(data: Mapping[str, Any]) -> tuple[str, DocumentInfo, CitationResult]:
    """Run id, document and result from a citation-result payload; ValueError if malformed."""
    if data.get("citecheck") != RESULT_KIND or not isinstance(data.get("run_id"), str):
        raise ValueError("not a citecheck citation-result record")
    result = from_data(CitationResult, {key: data.get(key) for key in
                                        ("citation", "link", "page", "findings")
                                        if data.get(key) is not None})
    return data["run_id"], from_data(DocumentInfo, data.get("document")), result


@dataclass(frozen=True)
class RunEnd:
    """How a run ended: when, its counts, and the findings about the document itself."""

    run_id: str
    finished: str
    counts: Mapping[str, int] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()


def run_end_payload(end: RunEnd) -> dict[str, Any]:
    """The metadata record closing a run."""
    return {"citecheck": RUN_END_KIND, "format": FORMAT_VERSION, "run_id": end.run_id,
            "finished": end.finished, "counts": dict(end.counts),
            "findings": to_data(end.findings)}


def parse_run_end_payload(data: Mapping[str, Any]) -> RunEnd:
    """A RunEnd from its payload; ValueError if malformed."""
    if data.get("citecheck") != RUN_END_KIND or not isinstance(data.get("run_id"), str):
        raise ValueError("not a citecheck run-end record")
    counts = data.get("counts") or {}
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        raise ValueError("run-end counts must map names to whole numbers")
    findings = from_data(tuple[Finding, ...], data.get("findings") or [])
    return RunEnd(data["run_id"], str(data.get("finished", "")), counts, findings)


def payload_kind(data: Any) -> str | None:
    """Which citecheck payload a metadata record holds, if any."""
    return data.get("citecheck") if isinstance(data, dict) else None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dump_payload(payload: Mapping[str, Any]) -> bytes:
    """A metadata payload as the UTF-8 JSON stored in the record."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
