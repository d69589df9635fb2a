"""`citecheck check` after `run`, once the pretend site changed: each finding, in the JSON."""

from __future__ import annotations

import sqlite_utils
from check_site import HOSTILE_TITLE, OFFLINE_NOTE, by_id, codes, finding, hits


def history(project, path: str) -> list[dict]:
    db = sqlite_utils.Database(project / "archive" / "index.db")
    return [row for row in db["checks"].rows_where("url like ?", [f"%{path}"], order_by="id")]


def test_nothing_changed_nothing_found(project, site, httpserver, check_json):
    code, report = check_json()
    assert code == 0
    assert report["command"] == "check" and report["offline"] is False
    citations = by_id(report)
    assert codes(citations.pop(OFFLINE_NOTE)) == {"link-missing"}  # the offline checks ran
    for note_id, citation in citations.items():
        assert citation["status"] == "ok", note_id
        assert codes(citation) == set(), (note_id, citation["findings"])
        assert citation["capture"] is not None, note_id  # where the archive holds it
    assert len(history(project, "")) == 6
    assert {row["ok"] for row in history(project, "")} == {1}
    assert hits(httpserver, "/articles/steady") == 1


def test_a_removed_page_is_failing_not_dead_at_first(project, site, check_json):
    site.kill("/articles/dies")
    code, report = check_json()
    dies = by_id(report)["2"]
    assert code == 0  # a warning: one failure is not a dead link
    assert dies["status"] == "dead" and codes(dies) == {"link-failing"}
    failing = finding(dies, "link-failing")
    assert failing["severity"] == "warning"
    assert (failing["evidence"]["failures"], failing["evidence"]["needed"]) == ("1", "3")
    assert [row["status"] for row in history(project, "/articles/dies")] == ["dead"]


def test_a_redirect_to_the_home_page_says_where_it_ends_now(project, site, check_json):
    site.move_to_home()
    _, report = check_json()
    moved = by_id(report)["3"]
    changed = finding(moved, "link-redirect-changed")
    assert changed["evidence"]["before"].endswith("/articles/moved")
    assert changed["evidence"]["now"].endswith("/") and moved["final_url"].endswith("/")
    assert moved["status"] == "dead"  # a deep link ending on the home page: a soft 404
    assert "link-failing" in codes(moved) and "link-soft-404" not in codes(moved)


def test_a_rewritten_page_has_drifted(project, site, check_json):
    site.rewrite()
    code, report = check_json()
    rewritten = by_id(report)["4"]
    drift = finding(rewritten, "content-drift")
    evidence = drift["evidence"]
    assert drift["severity"] == "warning"
    assert evidence["title_before"] == "Prison conditions worsen across the country"
    assert evidence["title_now"] == "Government announces prison reform"
    assert (evidence["published_before"], evidence["published_now"]) == ("2022-09-06",
                                                                          "2024-02-01")
    assert float(evidence["text_kept"]) < 0.5
    assert "title-mismatch" in codes(rewritten)  # the note no longer names the page's title
    assert code == 1
    assert rewritten["found"]["title"] == "Government announces prison reform"


def test_a_hostile_title_is_cleaned_in_the_report(project, site, check_json):
    site.turn_hostile()
    _, report = check_json()
    drift = finding(by_id(report)["6"], "content-drift")
    for text in (drift["message"], drift["evidence"]["title_now"]):
        assert not set(text) & {"\x1b", "\x07", "\n"}
        assert "[31m" not in text and "x1b" not in text
    assert "Officials deny it" in drift["evidence"]["title_now"]
    assert HOSTILE_TITLE not in drift["message"]


def test_unchanged_pages_are_not_findings_when_others_change(project, site, check_json):
    site.kill("/articles/dies")
    site.rewrite()
    _, report = check_json()
    for note_id in ("1", "5"):
        assert codes(by_id(report)[note_id]) == set()
