"""The pre-commit hooks name commands and options that exist, and the offline one runs offline."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from citecheck.cli import cli as group

ROOT = Path(__file__).resolve().parents[2]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
REQUIRED = {"id", "name", "entry", "language"}
KNOWN = REQUIRED | {"description", "files", "exclude", "types", "types_or", "pass_filenames",
                    "always_run", "stages", "args", "require_serial", "verbose",
                    "minimum_pre_commit_version"}


def options_of(command) -> set[str]:
    return {name for param in command.params for name in param.opts}


@pytest.mark.parametrize("hook", HOOKS, ids=[hook["id"] for hook in HOOKS])
def test_hook_is_a_valid_manifest_entry(hook):
    assert REQUIRED <= set(hook) <= KNOWN
    assert hook["language"] == "python"
    re.compile(hook.get("files", ""))
    words = shlex.split(hook["entry"])
    assert words[0] == "citecheck" and words[1] in group.commands
    command = group.commands[words[1]]
    assert {w for w in words[2:] if w.startswith("-")} <= options_of(command)


def test_the_network_hook_is_manual_only():
    check = next(hook for hook in HOOKS if hook["id"] == "citecheck-check")
    assert check["stages"] == ["manual"]


def test_the_offline_hook_runs_without_network_or_archive(tmp_path, project, httpserver, cli,
                                                          capsys):
    hook = next(hook for hook in HOOKS if hook["id"] == "citecheck-offline")
    assert re.search(hook["files"], "reports/citations.yml")
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "citations.yml").write_bytes((project / "citations.yml").read_bytes())
    requests = len(httpserver.log)
    code = cli(*shlex.split(hook["entry"])[1:], folder=folder)
    assert code == 0 and len(httpserver.log) == requests
    assert not (folder / "archive").exists()
    assert "link-missing" in capsys.readouterr().out  # the offline checks ran and said so


DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
YAML_BLOCKS = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", DOC, re.S)]


def command_lines(workflow: dict) -> list[str]:
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    return [step["run"] for step in steps if step.get("run", "").startswith("citecheck")]


def test_the_workflow_in_docs_uses_options_that_exist():
    workflow = next(block for block in YAML_BLOCKS if isinstance(block, dict) and "jobs" in block)
    lines = command_lines(workflow)
    assert {shlex.split(line)[1] for line in lines} == {"run", "check"}
    for line in lines:
        words = shlex.split(re.sub(r"\$\{\{.*?\}\}", "", line))
        options = {w.split("=")[0] for w in words[2:] if w.startswith("--")}
        assert options <= options_of(group.commands[words[1]]), line
    assert "--max-age" in DOC and "GITHUB_STEP_SUMMARY" in lines[-1]


def test_the_pre_commit_config_in_docs_names_shipped_hooks():
    config = next(block for block in YAML_BLOCKS if isinstance(block, dict) and "repos" in block)
    ids = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert ids == {hook["id"] for hook in HOOKS}


def test_every_check_option_is_in_the_docs():
    for option in options_of(group.commands["check"]):
        if option.startswith("--") and option != "--help":
            assert option in DOC, option
