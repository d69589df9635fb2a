"""The command-line interface: one thin click command each; the library does the work.

Every command turns domain errors into the documented exit codes (see errors.py) and never
lets a bare traceback reach the user: an unexpected exception is a bug, reported in one line
with the path of the saved traceback, exit code 3.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

import click

from citecheck import __version__
from citecheck.errors import EXIT_INPUT, EXIT_INTERNAL, CitecheckError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="citecheck")
def cli() -> None:
    """Verify and preserve the web sources behind a report's footnotes.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage or input error, 3 internal error (a bug in citecheck).
    """


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with the documented exit code."""
    sys.exit(run_cli(argv))


def run_cli(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting."""
    try:
        result = cli.main(args=argv, prog_name="citecheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("citecheck: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT
    except CitecheckError as exc:
        click.echo(f"citecheck: error: {exc.one_line()}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("citecheck: interrupted", err=True)
        return 130
    except BrokenPipeError:
        _silence_broken_pipe()
        return 0
    except Exception as exc:  # the one place where a bug becomes exit code 3
        return _internal_error(exc)
    return result if isinstance(result, int) else 0


def _internal_error(exc: BaseException) -> int:
    saved = _save_traceback()
    where = f"; traceback saved to {saved}" if saved else ""
    click.echo(
        f"citecheck: internal error (a bug in citecheck, please report it): "
        f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}{where}",
        err=True,
    )
    return EXIT_INTERNAL


def _save_traceback() -> str | None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        fd, path = tempfile.mkstemp(prefix=f"citecheck-crash-{stamp}-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"citecheck {__version__}\nargv: {sys.argv!r}\n\n")
            out.write(traceback.format_exc())
        return path
    except OSError:
        return None


def _silence_broken_pipe() -> None:
    # A closed pipe (`citecheck … | head`) is not an error; keep Python quiet at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def default_archive() -> Path:
    """The archive folder used when --archive is not given."""
    return Path("archive")


# --------------------------------------------------------------------------- shared options

FAIL_ON = click.Choice(["error", "warning", "info", "never"])


def fail_on_option(f):
    """--fail-on: the lowest severity that makes the exit code 1."""
    return click.option(
        "--fail-on", type=FAIL_ON, default=None,
        help="Exit 1 when a finding is at or above this severity (default: error; "
             "or fail_on in citecheck.toml). 'never' always exits 0 unless input is bad.",
    )(f)


def quiet_option(f):
    """-q/--quiet: no progress bar, no table, only errors and the findings' summary."""
    return click.option("-q", "--quiet", is_flag=True, help="No progress bar; print less.")(f)


def write_output(text: str, output: Path | None) -> None:
    """Print a report, or write it atomically to a file."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from citecheck.fileutil import atomic_write_text

    atomic_write_text(output, text)


def resolve_fail_on(value: str | None, settings_value):
    """The severity threshold from the flag, else the settings; None means never fail."""
    from citecheck.models import Severity

    if value == "never":
        return None
    return Severity(value) if value else settings_value
