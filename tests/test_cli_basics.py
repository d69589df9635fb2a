import re

from citecheck import __version__
from citecheck.cli import cli, run_cli


def test_version(capsys):
    assert run_cli(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_help_lists_every_command_with_one_line(capsys):
    assert run_cli(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Exit codes" in out
    for name, command in cli.commands.items():
        assert re.search(rf"^  {re.escape(name)}\s+\S", out, re.M), name
        assert command.get_short_help_str(), name
        assert not re.search(rf"^  {re.escape(name)}\s+.*\.\.\.$", out, re.M), f"{name}: cut"


def test_unknown_command_is_usage_error(capsys):
    assert run_cli(["no-such-command"]) == 2
    assert "no-such-command" in capsys.readouterr().err


def test_subprocess_version(citecheck_cli):
    proc = citecheck_cli("--version")
    assert proc.returncode == 0
    assert __version__.encode() in proc.stdout
