"""The failure history over days (CITECHECK_NOW); the --max-age cache never serves failures."""

from __future__ import annotations

import sqlite_utils
from check_site import by_id, closed_port, codes, finding, hits


def failing(report: dict, note_id: str) -> dict:
    return finding(by_id(report)[note_id], "link-failing")["evidence"]


def test_a_link_is_dead_after_three_failures_over_three_days(project, site, check_json, day):
    site.kill("/articles/dies")
    steps = []
    for n in (0, 1, 2, 3):
        code, report = check_json(now=day(n))
        steps.append((code, codes(by_id(report)["2"])))
    assert steps[:3] == [(0, {"link-failing"})] * 3  # the third failure spans only 2 days
    assert steps[3] == (1, {"link-dead"})
    dead = finding(by_id(report)["2"], "link-dead")
    assert dead["severity"] == "error"


def test_failures_count_since_the_last_success(project, site, check_json, day):
    site.kill("/articles/flaps")
    _, first = check_json(now=day(0))
    site.revive("/articles/flaps")
    _, back = check_json(now=day(1))
    site.kill("/articles/flaps")
    _, again = check_json(now=day(2))
    assert failing(first, "5")["failures"] == "1"
    assert codes(by_id(back)["5"]) == set()
    assert failing(again, "5")["failures"] == "1"  # the flap in between reset the count


def test_the_rule_follows_the_flags(project, site, check_json, day):
    site.kill("/articles/dies")
    rule = ("--dead-after", "2", "--dead-span", "1d")
    _, first = check_json(*rule, now=day(0))
    code, second = check_json(*rule, now=day(1))
    assert failing(first, "2")["needed"] == "2"
    assert code == 1 and "link-dead" in codes(by_id(second)["2"])


def test_the_rule_follows_citecheck_toml(project, site, check_json, day):
    (project / "citecheck.toml").write_text('dead_after_failures = 2\ndead_after_span = "12h"\n')
    site.kill("/articles/dies")
    check_json(now=day(0))
    _, report = check_json(now=day(1))
    assert "link-dead" in codes(by_id(report)["2"])


def test_the_cache_serves_successes_and_never_failures(project, site, httpserver, check_json,
                                                        day):
    site.kill("/articles/dies")
    check_json(now=day(0))
    steady, dies = hits(httpserver, "/articles/steady"), hits(httpserver, "/articles/dies")
    _, report = check_json("--max-age", "1d", now=day(0.5))
    assert hits(httpserver, "/articles/steady") == steady  # checked ok 12 hours ago
    assert hits(httpserver, "/articles/dies") == dies + 1  # a failure is always fetched again
    assert failing(report, "2")["failures"] == "2"
    assert by_id(report)["1"]["status"] == "ok" and codes(by_id(report)["1"]) == set()
    assert any("--max-age" in notice for notice in report["notices"])
    _, later = check_json("--max-age", "1d", now=day(2))
    assert hits(httpserver, "/articles/steady") == steady + 1  # older than a day: fetched


def test_a_drifted_page_is_not_served_from_the_cache(project, site, httpserver, check_json,
                                                      day):
    site.rewrite()
    check_json(now=day(0))
    before = hits(httpserver, "/articles/rewritten")
    _, report = check_json("--max-age", "1d", now=day(0.5))
    assert hits(httpserver, "/articles/rewritten") == before + 1
    assert "content-drift" in codes(by_id(report)["4"])


def test_connection_errors_are_never_cached(project, site, cli, day):
    port = closed_port()
    (project / "more.txt").write_text(
        "Two more sources.\n"
        "A closed site[footnoteRef:1]. [1:  A page that never answers, Closed Site, 2023, "
        f"link: http://127.0.0.1:{port}/gone ]\n"
        # a server that answers (404) each time: the network is there
        "A missing page[footnoteRef:2]. [2:  A page that was never there, Freedonia Monitor, "
        f"2023, link: {site_url(project)}/articles/never ]\n", encoding="utf-8")
    for n in (0, 0.25, 0.5):
        code = cli("check", "more.txt", "--allow-private", "--retries", "0", "--max-age", "1d",
                   "-q", now=day(n))
        assert code == 0
    db = sqlite_utils.Database(project / "archive" / "index.db")
    rows = list(db["checks"].rows_where("url like ?", [f"%:{port}/gone"]))
    assert [(row["ok"], row["status"]) for row in rows] == [(0, "unreachable")] * 3


def test_a_source_never_archived_is_said_so(project, site, cli, check_json):
    (project / "more.txt").write_text(
        "New text.\nA new source[footnoteRef:1]. [1:  Water shortages in the northern district, "
        f"Freedonia Monitor, 2023, link: {site_url(project)}/articles/steady?new=1 ]\n",
        encoding="utf-8")
    code, report = check_json("more.txt")
    fresh = by_id(report)["1"]
    assert fresh["status"] == "ok"
    assert codes(fresh) == {"not-archived"}
    assert finding(fresh, "not-archived")["severity"] == "warning"


def site_url(project) -> str:
    text = (project / "citations.yml").read_text(encoding="utf-8")
    start = text.index("http://")
    return text[start:text.index("/", start + len("http://"))]
