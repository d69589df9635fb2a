"""Shared fixtures: paths, the CLI in-process and as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from shared_paths import SHARED

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"



def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the slow tier")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow tier: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def run_citecheck(*args: str, cwd: Path | None = None, env: dict | None = None,
                  timeout: float = 120, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess, as a user would."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(SRC) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "citecheck", *args], cwd=cwd, env=full_env,
        capture_output=True, timeout=timeout, input=input,
    )


@pytest.fixture
def citecheck_cli():
    """The CLI as a subprocess: citecheck_cli("extract", "doc.txt", cwd=tmp_path)."""
    return run_citecheck


@pytest.fixture
def shared_corpus() -> Path:
    """../shared/corpus, or skip with the reason."""
    corpus = SHARED / "corpus"
    if not (corpus / "manifest.jsonl").is_file():
        pytest.skip(f"real-page corpus not found at {corpus} (only present in the dev workspace)")
    return corpus
