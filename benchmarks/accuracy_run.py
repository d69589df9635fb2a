"""Run `citecheck run` on generated notes behind the pretend web, or verify them in-process.

`run_citecheck` writes citations.yml and a citecheck.toml (the proxy's CA as `ca_bundle`) into a
folder, runs the CLI as a subprocess through the proxy and returns its JSON report with the wall
and CPU time it took. `in_process_report` makes the same report shape from `verify_page` on
pages extracted in-process, for quick checks that need no server (link errors left out).
Used by benchmarks/accuracy_eval.py and tests/accuracy/.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accuracy_notes import Note
from accuracy_web import InterceptingProxy

from citecheck.citations.store import dumps_citations
from citecheck.models import DocumentInfo, PageMetadata
from citecheck.verify.page import verify_page

LINK_KINDS = ("link: dead", "link: redirect to the home page")


@dataclass(frozen=True)
class Run:
    """One `citecheck run`: its JSON report and what it cost."""

    report: dict[str, Any]
    wall: float  # seconds
    cpu: float  # seconds of the citecheck process (user + system)
    urls: int


def run_citecheck(folder: Path, notes: Sequence[Note], proxy: InterceptingProxy, *,
                  src: Path, timeout: float = 1800) -> Run:
    """Write citations.yml and citecheck.toml in `folder`, run citecheck, read report.json."""
    folder.mkdir(parents=True, exist_ok=True)
    citations = [note.citation for note in notes]
    (folder / "citations.yml").write_text(
        dumps_citations(citations, DocumentInfo("accuracy.txt", "poi-text")), encoding="utf-8")
    ca = proxy.write_ca(folder / "ca.pem")
    (folder / "citecheck.toml").write_text(f"ca_bundle = {json.dumps(str(ca))}\n",
                                           encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "citecheck", "run", "citations.yml", "--proxy", proxy.url,
         "--format", "json", "-o", "report.json", "--quiet", "--fail-on", "never"],
        cwd=folder, env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True,
        text=True, timeout=timeout)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"citecheck run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(report, wall, cpu, len({note.citation.url for note in notes}))


def in_process_report(notes: Sequence[Note], pages: Mapping[str, PageMetadata],
                      urls: Mapping[str, str]) -> tuple[list[Note], dict[str, Any]]:
    """verify_page on every note but the link errors: the notes kept, and a report of them.

    `pages` and `urls` are by Source.key: the extracted page and the URL it was served from.
    """
    kept = [note for note in notes if note.kinds[0] not in LINK_KINDS]
    citations = []
    for note in kept:
        page = pages[note.source]
        findings = verify_page(note.citation, page, final_url=urls[note.source])
        citations.append({
            "id": note.citation.id, "status": "ok", "final_url": urls[note.source],
            "found": {"title": page.title, "published": page.published,
                      "site_name": page.site_name},
            "findings": [{"code": f.code.value, "severity": f.severity.value,
                          "evidence": dict(f.evidence)} for f in findings]})
    return kept, {"citations": citations}
