"""A report whose sources were archived by `citecheck run`, copied afresh for each test."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from check_site import Site, citecheck, report_text

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "report.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def archived(make_httpserver, tmp_path_factory) -> tuple[Path, dt.datetime]:
    """extract, then run, once: the folder (tests work on copies) and when the run happened."""
    server = make_httpserver
    server.clear()
    Site().serve(server)
    folder = tmp_path_factory.mktemp("archived")
    base = server.url_for("").rstrip("/")
    (folder / "report.txt").write_text(report_text(base), encoding="utf-8")
    proc = citecheck(folder, "extract", "report.txt")
    assert proc.returncode == 0, proc.stderr.decode()
    ran = dt.datetime.now(dt.UTC)
    proc = citecheck(folder, "run", "--allow-private", "--format", "json", "-o", "run.json")
    assert proc.returncode == 0, proc.stderr.decode() + proc.stdout.decode()
    server.clear()
    return folder, ran


@pytest.fixture
def site(httpserver) -> Site:
    """The site as it was at the run, served again; tests change it."""
    site = Site()
    site.serve(httpserver)
    return site


@pytest.fixture
def project(archived, site, tmp_path) -> Path:
    """A copy of the archived report folder, as the root of a repository."""
    folder = tmp_path / "report"
    shutil.copytree(archived[0], folder)
    (folder / ".git").mkdir()  # annotation paths are from here, wherever the temp folder is
    return folder


@pytest.fixture
def day(archived):
    """day(n): CITECHECK_NOW n days (and an hour) after the run."""
    def at(n: float) -> str:
        moment = archived[1] + dt.timedelta(days=n, hours=1)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return at


@pytest.fixture
def cli(project, monkeypatch):
    """cli(*args, now=…, folder=…): the CLI in this process (fast), in the project folder."""
    from citecheck.cli import run_cli

    def call(*args: str, now: str | None = None, folder: Path = project) -> int:
        monkeypatch.chdir(folder)
        monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
        if now:
            monkeypatch.setenv("CITECHECK_NOW", now)
        else:
            monkeypatch.delenv("CITECHECK_NOW", raising=False)
        return run_cli(list(args))
    return call


@pytest.fixture
def check_json(cli, project):
    """check_json(*args, now=…): `check --format json` in the project; exit code and report."""
    def call(*args: str, now: str | None = None) -> tuple[int, dict]:
        code = cli("check", "--allow-private", "--retries", "0", "--format", "json",
                   "-o", "check.json", *args, now=now)
        assert code in (0, 1)
        report = json.loads((project / "check.json").read_text(encoding="utf-8"))
        VALIDATOR.validate(report)  # every report check writes fits the published schema
        return code, report
    return call
