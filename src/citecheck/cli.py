"""The command-line interface: one thin click command each; the library does the work.

Every command turns domain errors into the documented exit codes (see errors.py) and never
lets a bare traceback reach the user: an unexpected exception is a bug, reported in one line
with the path of the saved traceback, exit code 3.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from citecheck import __version__
from citecheck.errors import EXIT_INPUT, EXIT_INTERNAL, CitecheckError

if TYPE_CHECKING:
    from citecheck.models import RunResult, Severity
    from citecheck.pipeline import Inputs


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
    _library_logs()
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


def _library_logs() -> None:
    """Keep library log records off the terminal: the commands print what the user needs.

    Without a handler Python prints warnings from any logger on stderr, so a missing network
    would be told three times. CITECHECK_LOG=debug (or info, warning) shows them for debugging.
    """
    level = os.environ.get("CITECHECK_LOG", "").upper()
    root = logging.getLogger()
    if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        logging.basicConfig(level=level, format="%(name)s: %(levelname)s: %(message)s")
    elif not root.handlers:
        root.addHandler(logging.NullHandler())
        logging.captureWarnings(True)  # library warnings (a page's odd time zone…) go there too


def _internal_error(exc: BaseException) -> int:
    from citecheck.crash import describe, save_traceback

    saved = save_traceback(exc)
    where = f"; traceback saved to {saved}" if saved else ""
    click.echo(f"citecheck: internal error (a bug in citecheck, please report it): "
               f"{describe(exc)}{where}", err=True)
    return EXIT_INTERNAL


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


# --------------------------------------------------------------------------- extract


@cli.command(short_help="Extract footnotes into citations.yml; run the offline checks.")
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("citations.yml"), show_default=True,
              help="The citations file to write; merged with your hand edits if it exists.")
@click.option("--from", "from_format", type=click.Choice(["poi-text", "docx", "markdown"]),
              help="The document's format, when its name and content do not tell.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the citations and findings.")
@click.option("--force", is_flag=True, help="Start afresh: drop hand edits in the output file.")
@fail_on_option
@quiet_option
def extract(document: Path, out: Path, from_format: str | None, fmt: str, force: bool,
            fail_on: str | None, quiet: bool) -> int:
    """Extract a document's footnotes into citations.yml and run the offline checks."""
    from citecheck import pipeline
    from citecheck.report import render
    from citecheck.settings import load_settings

    settings = load_settings(out.parent)
    result, merge = pipeline.extract(document, out, fmt=from_format, force=force)
    threshold = resolve_fail_on(fail_on, settings.fail_on)
    if not quiet or fmt == "json":
        write_output(render(result, fmt, color=_color(), width=_width(),
                            fail_on=threshold or settings.fail_on), None)
    if not quiet:
        click.echo(f"wrote {out} ({merge.summary()})", err=True)
    return pipeline.exit_code(result, threshold)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _width() -> int:
    """The terminal's width when printing to one (at least 80), else 100 for logs and files."""
    import shutil

    return max(80, shutil.get_terminal_size((100, 24)).columns) if sys.stdout.isatty() else 100


# --------------------------------------------------------------------------- run

RUN_FORMATS = ["text", "json", "markdown", "html"]


def network_options(f):
    """The options that shape fetching, shared by run and check."""
    options = [
        click.option("--allow-private", is_flag=True,
                     help="Allow fetching private, loopback and link-local addresses "
                          "(intranets, tests). Off by default; no file can turn it on."),
        click.option("--proxy", metavar="URL",
                     help="Send every request through this proxy (default: HTTP(S)_PROXY)."),
        click.option("--user-agent", metavar="UA", help="The User-Agent header to send."),
        click.option("--workers", type=click.IntRange(1, 256), help="Requests at once (16)."),
        click.option("--per-host", type=click.IntRange(1, 64),
                     help="Requests at once to one host (4)."),
        click.option("--deadline", metavar="SECONDS",
                     help="Total time allowed for one request, body included (30s)."),
        click.option("--retries", type=click.IntRange(0, 10), help="Retries on errors (2)."),
        click.option("--max-body", metavar="SIZE",
                     help="Largest body kept per response; more is cut and marked (50MB)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def archive_option(f):
    """--archive DIR, shared by every command that reads or writes captures."""
    return click.option("--archive", "archive_dir", type=click.Path(path_type=Path,
                        file_okay=False), default=default_archive, show_default="./archive",
                        help="The archive folder (WARC files and index.db).")(f)


def settings_for(path: Path, **flags):
    """Settings from defaults, the config beside PATH, then the flags given."""
    from citecheck.settings import load_settings

    folder = path.parent if path.suffix else path
    return load_settings(folder, flags)


def _progress_bar(quiet: bool):
    """A progress callback drawing a bar on a terminal, or None."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(), transient=True,
                   console=_stderr_console())
    task = bar.add_task("checking links", total=None)

    def update(done: int, total: int, url: str) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@cli.command(short_help="Resolve, archive, extract and verify every cited link.")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False),
                default=Path("citations.yml"))
@archive_option
@click.option("--from", "from_format", type=click.Choice(["poi-text", "docx", "markdown"]),
              help="Read PATH as a document of this format (extracted on the fly).")
@click.option("--format", "fmt", type=click.Choice(RUN_FORMATS), default="text",
              show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of the terminal.")
@click.option("--offline", is_flag=True,
              help="No network: verify again from the latest captures in the archive.")
@click.option("--refetch", is_flag=True,
              help="Fetch every link, even those an interrupted run of this document archived "
                   "(by default a run resumes it).")
@network_options
@fail_on_option
@quiet_option
def run(path: Path, archive_dir: Path, from_format: str | None, fmt: str, output: Path | None,
        offline: bool, refetch: bool, fail_on: str | None, quiet: bool, **flags) -> int:
    """Resolve, archive (WARC), extract and verify every cited link; print the report.

    When the last run of this document was interrupted (killed, Ctrl-C), the links it had
    archived within the past day are verified from their captures instead of fetched again.
    """
    from citecheck import pipeline
    from citecheck.errors import UsageError
    from citecheck.report import render

    if offline and refetch:
        raise UsageError("--offline fetches nothing: it does not go with --refetch")
    settings = settings_for(path, **flags)
    inputs = pipeline.load_inputs(_existing(path), from_format)
    bar, update = _progress_bar(quiet)
    with bar or contextlib.nullcontext():
        result = pipeline.run(inputs, settings, archive_dir, offline=offline, progress=update,
                              command_line=_command_line(), refetch=refetch)
    threshold = resolve_fail_on(fail_on, settings.fail_on)
    for notice in result.notices:
        click.echo(f"citecheck: {notice}", err=True)
    if output is not None or not quiet:
        write_output(render(result, fmt, color=output is None and _color(),
                            width=_width() if output is None else 100,
                            fail_on=threshold or settings.fail_on), output)
    return pipeline.exit_code(result, threshold)


def _existing(path: Path) -> Path:
    from citecheck.errors import InputError

    if not path.exists():
        hint = (" (run `citecheck extract REPORT` first, or give a document)"
                if path.name == "citations.yml" else "")
        raise InputError(f"no such file{hint}", where=str(path))
    return path


def _command_line() -> str:
    import shlex

    return shlex.join(["citecheck", *sys.argv[1:]])


# --------------------------------------------------------------------------- archive, index


@cli.group("archive")
def archive_group() -> None:
    """Check and repair the WARC files of an archive."""


@archive_group.command("verify")
@archive_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
def archive_verify(archive_dir: Path, files: tuple[Path, ...]) -> int:
    """Check every WARC file strictly (gzip members, lengths, digests, pairs); exit 1 on damage."""
    from citecheck.archive.layout import warc_files
    from citecheck.archive.verify import verify_warc

    paths = list(files) or warc_files(archive_dir, include_open=False)
    if not paths:
        click.echo(f"no WARC files in {archive_dir}", err=True)
    damaged = 0
    for path in paths:
        problems = verify_warc(path)
        damaged += bool(problems)
        for problem in problems:
            click.echo(f"{path} offset {problem.offset}: {problem.code.value}: {problem.detail}")
    click.echo(f"{len(paths)} WARC file(s) checked, {damaged} with problems", err=True)
    return 1 if damaged else 0


@archive_group.command("recover")
@archive_option
def archive_recover(archive_dir: Path) -> int:
    """Finish the .open WARC files a killed run left: keep every complete record, then rename."""
    from citecheck.archive.recover import recover_open_files

    recovered = recover_open_files(archive_dir)
    for item in recovered:
        click.echo(f"{item.path}: {item.outcome.value} ({item.groups} record groups kept, "
                   f"{item.dropped_bytes} bytes dropped)")
    click.echo(f"{len(recovered)} open file(s) handled", err=True)
    return 0


@cli.group("index")
def index_group() -> None:
    """Maintain the archive's index (index.db)."""


@index_group.command("rebuild")
@archive_option
def index_rebuild(archive_dir: Path) -> int:
    """Recreate index.db from the WARC files alone (they are the source of truth)."""
    from citecheck.archive.rebuild import rebuild_index
    from citecheck.pipeline import page_text_of

    stats = rebuild_index(archive_dir, page_text=page_text_of)
    click.echo(f"rebuilt {archive_dir / 'index.db'} from {stats.files} WARC file(s): "
               f"{stats.runs} runs, {stats.captures} captures, {stats.results} citation results"
               f"{f', {len(stats.skipped)} damaged record(s) skipped' if stats.skipped else ''}")
    for name, problem in stats.skipped:
        click.echo(f"  skipped {name} offset {problem.offset}: {problem.code.value}", err=True)


# --------------------------------------------------------------------------- browse and export


@cli.command(short_help="Look through the archive in a local web UI (read-only).")
@archive_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but loopback lets others on the network "
                   "read the archive.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default="any free port",
              help="The port to listen on.")
@click.option("--no-open", is_flag=True, help="Do not open a web browser.")
def browse(archive_dir: Path, host: str, port: int, no_open: bool) -> int:
    """Look through the archive in a local web UI: citations, evidence, archived copies."""
    import logging
    import webbrowser

    from citecheck.browse import BrowseServer, is_loopback

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log on the terminal
    if not is_loopback(host):
        click.echo(f"citecheck: warning: listening on {host}: anyone who can reach it can read "
                   "the archive and its captures", err=True)
    server = BrowseServer(archive_dir, host, port)
    click.echo(f"citecheck: browsing {archive_dir} at {server.url} (read-only; Ctrl-C stops)",
               err=True)
    if not no_open:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("citecheck: stopped", err=True)
    finally:
        server.shutdown()
    return 0


@cli.command(short_help="Package the archive as WACZ, or index it as CDXJ.")
@archive_option
@click.option("--wacz", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Write a WACZ package: opens in ReplayWeb.page and other replay tools.")
@click.option("--cdxj", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Write a CDXJ index of the WARC files in ARCHIVE/warc/, for pywb.")
@click.option("--document", metavar="NAME",
              help="Only the captures of this document (its name or sha256, as `citecheck "
                   "browse` lists it).")
def export(archive_dir: Path, wacz: Path | None, cdxj: Path | None,
           document: str | None) -> int:
    """Package the archive, or one document's captures, as WACZ; or index it as CDXJ."""
    from citecheck.errors import UsageError
    from citecheck.export import export_archive

    if wacz is None and cdxj is None:
        raise UsageError("say what to write: --wacz FILE, --cdxj FILE, or both")
    result = export_archive(archive_dir, wacz=wacz, cdxj=cdxj, document=document)
    for name in result.skipped:
        click.echo(f"citecheck: left out {name}: still being written, or left by a killed run "
                   "(the next run recovers it)", err=True)
    written = " and ".join(str(path) for path in (wacz, cdxj) if path is not None)
    click.echo(f"wrote {written}: {len(result.warcs)} WARC file(s), {result.pages} cited "
               f"page(s)", err=True)
    return 0


# --------------------------------------------------------------------------- check

CHECK_FORMATS = ["text", "json", "markdown", "html", "junit", "github"]
NOW_VARIABLE = "CITECHECK_NOW"  # for tests only: the time a check takes as now (ISO 8601)


def _report_files(ctx: click.Context, param: click.Parameter,
                  values: tuple[str, ...]) -> list[tuple[str, Path]]:
    """--report FORMAT=FILE values as (format, path) pairs."""
    pairs = []
    for value in values:
        fmt, sep, name = value.partition("=")
        if not sep or fmt not in CHECK_FORMATS or not name:
            raise click.BadParameter(f"{value!r} is not FORMAT=FILE with FORMAT one of "
                                     f"{', '.join(CHECK_FORMATS)}", ctx=ctx, param=param)
        pairs.append((fmt, Path(name)))
    return pairs


@cli.command(short_help="CI: check the links again against the archive (rot, drift).")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False),
                default=Path("citations.yml"))
@archive_option
@click.option("--from", "from_format", type=click.Choice(["poi-text", "docx", "markdown"]),
              help="Read PATH as a document of this format (extracted on the fly).")
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Report format (github: workflow annotations).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of the terminal.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT=FILE",
              callback=_report_files,
              help="Also write the report in FORMAT to FILE; repeatable "
                   "(e.g. --report markdown=\"$GITHUB_STEP_SUMMARY\" --report junit=links.xml).")
@click.option("--offline", is_flag=True,
              help="No network and no archive: only the offline checks of the notes "
                   "(fast; for pre-commit).")
@click.option("--archive-changed", is_flag=True,
              help="Capture pages that drifted or now end elsewhere into the archive (a new "
                   "WARC file). Without it, check writes only the link history.")
@click.option("--max-age", metavar="AGE",
              help="Do not fetch again a link checked ok within AGE (e.g. 1d, 12h); "
                   "failures are always fetched again.")
@click.option("--dead-after", "dead_after_failures", type=click.IntRange(1, 1000),
              help="Failed checks needed before a link counts as dead (3).")
@click.option("--dead-span", "dead_after_span", metavar="SPAN",
              help="Time those failures must span, first to last (3d).")
@click.option("--drift-threshold", type=click.FloatRange(0, 1),
              help="Share of the captured text (0-1) that must still be on the page, and "
                   "likeness of its title, below which the page has drifted (0.5).")
@network_options
@fail_on_option
@quiet_option
def check(path: Path, archive_dir: Path, from_format: str | None, fmt: str,
          output: Path | None, reports: list[tuple[str, Path]], offline: bool,
          archive_changed: bool, fail_on: str | None, quiet: bool, **flags) -> int:
    """Check the cited links again against the archive: dead, moved, drifted; for CI.

    A failing link counts as dead only after --dead-after failed checks spread over
    --dead-span (earlier failures are link-failing warnings). The history of every check
    is kept in the archive's index.db: keep the archive between CI runs.
    """
    from citecheck import check as checking
    from citecheck import pipeline

    settings = settings_for(path, **flags)
    inputs = pipeline.load_inputs(_existing(path), from_format)
    bar, update = _progress_bar(quiet or offline)
    with bar or contextlib.nullcontext():
        result = checking.check(inputs, settings, archive_dir, now=_now_for_tests(),
                                offline=offline, archive_changed=archive_changed,
                                progress=update, command_line=_command_line())
    threshold = resolve_fail_on(fail_on, settings.fail_on)
    _print_notices(result.notices)
    _write_reports(result, [(fmt, output)] if output is not None or not quiet else [],
                   reports, path, inputs, from_format, threshold or settings.fail_on)
    return pipeline.exit_code(result, threshold)


def _now_for_tests() -> dt.datetime | None:
    """The time a check takes as now: CITECHECK_NOW when set (tests only), else None."""
    from citecheck.errors import UsageError
    from citecheck.verify.history import parse_time

    value = os.environ.get(NOW_VARIABLE)
    if not value:
        return None
    moment = parse_time(value)
    if moment is None:
        raise UsageError(f"{NOW_VARIABLE}={value!r} is not an ISO 8601 time")
    return moment


def _print_notices(notices: tuple[str, ...]) -> None:
    from citecheck.report.safety import one_line, sanitize

    for notice in notices:
        click.echo(f"citecheck: {one_line(sanitize(notice))}", err=True)


def _write_reports(result: RunResult, main: list[tuple[str, Path | None]],
                   extra: list[tuple[str, Path]], path: Path, inputs: Inputs,
                   from_format: str | None, fail_on: Severity) -> None:
    """The report in each format asked for, to its file or the terminal."""
    from citecheck.annotate import annotation_target
    from citecheck.report import render

    target = None
    for fmt, output in [*main, *extra]:
        if fmt == "github" and target is None:
            citations_file = path.suffix.lower() in {".yml", ".yaml"} and from_format is None
            target = annotation_target(path, inputs.document, citations_file,
                                       environ=os.environ)
        write_output(render(result, fmt, color=output is None and _color(), fail_on=fail_on,
                            annotations=target), output)
