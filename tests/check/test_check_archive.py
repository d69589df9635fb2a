"""What check writes (history only; a new capture with --archive-changed), offline, no network."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import sqlite_utils
from check_site import OFFLINE_NOTE, by_id, codes, hits

from citecheck import check, pipeline
from citecheck.fetch.session import FetchSession
from citecheck.models import Code, LinkStatus
from citecheck.settings import Settings


def warcs(project) -> list[str]:
    return sorted(p.name for p in (project / "archive" / "warc").iterdir())


def test_check_writes_no_warc_without_archive_changed(project, site, check_json):
    site.rewrite()
    before = warcs(project)
    check_json()
    assert warcs(project) == before


def test_archive_changed_captures_the_drifted_page(project, site, check_json):
    site.rewrite()
    before = warcs(project)
    _, report = check_json("--archive-changed")
    new = sorted(set(warcs(project)) - set(before))
    rewritten = by_id(report)["4"]
    assert len(new) == 1 and rewritten["capture"]["warc"] == new[0]
    assert report["run_id"] is not None
    db = sqlite_utils.Database(project / "archive" / "index.db")
    run = db["runs"].get(report["run_id"])
    assert run["command"] == "check" and run["finished"]
    captured = [row["url"] for row in db["captures"].rows_where("run_id = ?", [run["run_id"]])]
    assert captured == [rewritten["url"]]  # only the page that changed
    _, again = check_json()
    assert "content-drift" not in codes(by_id(again)["4"])  # compared with the new capture
    assert "title-mismatch" in codes(by_id(again)["4"])  # the note still names the old title


def test_archive_changed_keeps_the_last_good_capture_of_a_failing_page(project, site,
                                                                       check_json):
    site.move_to_home()
    before = warcs(project)
    _, report = check_json("--archive-changed")
    assert warcs(project) == before  # a soft 404 is not worth a capture
    assert by_id(report)["3"]["capture"]["timestamp"] < report["started"]


def test_offline_check_needs_no_archive_and_no_network(tmp_path, project, httpserver, cli):
    folder = tmp_path / "offline"
    folder.mkdir()
    (folder / "citations.yml").write_bytes((project / "citations.yml").read_bytes())
    requests = len(httpserver.log)
    code = cli("check", "--offline", "--format", "json", "-o", "check.json", folder=folder)
    report = (folder / "check.json").read_text(encoding="utf-8")
    assert code == 0 and len(httpserver.log) == requests
    assert not (folder / "archive").exists()
    assert '"offline": true' in report and '"link-missing"' in report


class NoDns:
    """A resolver that fails every lookup, as on a machine with no network."""

    def __call__(self, host: str, port: int):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_no_network_is_said_once_and_leaves_the_history_alone(project, site, check_json, day):
    site.kill("/articles/dies")
    check_json(now=day(0))
    db = sqlite_utils.Database(project / "archive" / "index.db")
    rows = db["checks"].count
    settings = Settings(allow_private=True, retries=0)
    inputs = pipeline.load_inputs(project / "citations.yml")
    now = dt.datetime.now(dt.UTC) + dt.timedelta(days=5)
    with FetchSession(settings, resolver=NoDns(), environ={}) as session:
        result = check.check(inputs, settings, project / "archive", now=now, session=session)
    assert len(result.notices) == 1 and result.notices[0].startswith("no network")
    assert db["checks"].count == rows
    web = [item for item in result.results if item.citation.url]
    assert {item.link.status for item in web} == {LinkStatus.NOT_CHECKED}
    assert {item.link.cause for item in web} == {"no-network"}
    assert not [f for item in web for f in item.findings]
    offline = next(item for item in result.results if item.citation.id == OFFLINE_NOTE)
    assert [f.code for f in offline.findings] == [Code.LINK_MISSING]
    assert pipeline.exit_code(result, Settings().fail_on) == 0


def test_check_takes_its_time_from_now(project, site, day):
    site.kill("/articles/dies")
    inputs = pipeline.load_inputs(project / "citations.yml")
    settings = Settings(allow_private=True, retries=0)
    now = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    result = check.check(inputs, settings, project / "archive", now=now)
    dies = next(item for item in result.results if item.citation.id == "2")
    assert dies.link.checked_at == "2030-01-01T12:00:00Z"
    assert result.started == "2030-01-01T12:00:00Z"
    failing = next(f for f in dies.findings if f.code is Code.LINK_FAILING)
    assert failing.evidence["first_failure"] == "2030-01-01 12:00 UTC"
    db = sqlite_utils.Database(project / "archive" / "index.db")
    assert {row["at"] for row in db["checks"].rows} == {"2030-01-01T12:00:00Z"}


def test_an_unchanged_body_is_not_read_again(project, site, httpserver, monkeypatch):
    import citecheck.check as module

    extracted = []
    real = module.extract_in_helper
    monkeypatch.setattr(module, "extract_in_helper",
                        lambda body, **kw: extracted.append(kw["cited"]) or real(body, **kw))
    site.rewrite()
    inputs = pipeline.load_inputs(project / "citations.yml")
    result = check.check(inputs, Settings(allow_private=True, retries=0), project / "archive")
    assert len(extracted) == 1 and extracted[0].endswith("/articles/rewritten")
    steady = next(item for item in result.results if item.citation.id == "1")
    assert steady.page is not None and steady.page.title  # the captured page, from the index
    assert hits(httpserver, "/articles/steady") == 1


@pytest.mark.parametrize(("args", "env", "message"), [
    (["check", "missing.yml"], None, "missing.yml: no such file"),
    (["check", "--dead-span", "soon"], None, "not a duration"),
    (["check", "--max-age", "-1d"], None, "not a duration"),
    (["check", "--report", "pdf=out.pdf"], None, "FORMAT=FILE"),
    (["check", "--dead-after", "0"], None, "0"),
    (["check"], "yesterday", "CITECHECK_NOW"),
])
def test_bad_input_is_one_line_and_exit_2(project, cli, capsys, args, env, message):
    code = cli(*args, now=env)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert any(message in line for line in err.splitlines())  # said on one line


def test_exit_code_follows_fail_on(project, site, check_json):
    site.kill("/articles/dies")
    assert check_json()[0] == 0  # link-failing and link-missing are warnings
    assert check_json("--fail-on", "warning")[0] == 1
    assert check_json("--fail-on", "never")[0] == 0


@pytest.mark.parametrize(("toml", "message"), [
    ("dead_after_failures = 0\n", "dead_after_failures must be at least 1"),
    ("drift_threshold = 1.5\n", "drift_threshold must be between 0 and 1"),
    ("dead_after_span = \"soon\"\n", "citecheck.toml: dead_after_span 'soon' is not a duration"),
])
def test_bad_settings_in_citecheck_toml(project, cli, capsys, toml, message):
    (project / "citecheck.toml").write_text(toml, encoding="utf-8")
    assert cli("check", "--offline") == 2
    assert message in capsys.readouterr().err


def test_the_captured_text_comes_from_the_warc_when_the_index_lacks_it(project, site,
                                                                       check_json):
    db = sqlite_utils.Database(project / "archive" / "index.db")
    db.execute("update pages set text = ''")  # as after a rebuild without page_text
    db.conn.commit()
    db.close()
    site.routes["/articles/rewritten"] = site.page(
        "Prison conditions worsen across the country", "2022-09-06",
        "A short notice replaced the article: it was withdrawn at the request of the ministry.")
    _, report = check_json()
    drift = [f for f in by_id(report)["4"]["findings"] if f["code"] == "content-drift"]
    assert len(drift) == 1  # the title is the same: only the text says it drifted
    assert float(drift[0]["evidence"]["text_kept"]) < 0.5
    assert codes(by_id(report)["1"]) == set()  # unchanged pages are still fine
