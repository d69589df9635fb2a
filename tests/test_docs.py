"""Docs that cannot go stale: every command in the README, every code and status documented."""

from __future__ import annotations

import re

import click
import pytest
from shared_paths import ROOT

from citecheck.cli import cli
from citecheck.models import Code, LinkStatus

README = (ROOT / "README.md").read_text(encoding="utf-8")
FINDINGS = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: str = "citecheck") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths += command_paths(command, path)
        else:
            paths.append(path)
    return paths


@pytest.mark.parametrize("path", command_paths(cli))
def test_every_command_is_in_the_readme(path):
    *parents, name = path.split()
    assert re.search(rf"{re.escape(' '.join(parents))}[^\n]*\b{re.escape(name)}\b", README), path


@pytest.mark.parametrize("code", list(Code))
def test_every_finding_code_is_documented(code):
    assert f"`{code.value}`" in FINDINGS


@pytest.mark.parametrize("status", list(LinkStatus))
def test_every_link_status_is_documented(status):
    assert f"| `{status.value}` |" in FINDINGS


def test_readme_starts_with_the_two_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert "citecheck run" in blocks[0] and "pip install" in blocks[0]
    assert "pytest" in blocks[1] and "ruff check" in blocks[1]


def test_readme_configuration_example_is_valid(tmp_path):
    from citecheck.settings import load_settings

    example = re.search(r"```toml\n(.*?)\n```", README, re.S).group(1)
    (tmp_path / "citecheck.toml").write_text(example, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.deadline == 20 and settings.rule_for("www.example.com").blocked_statuses
