"""What the pages compute from rows: badges, filters, sorting, history, hosts (pure, tables)."""

from __future__ import annotations

import pytest

from citecheck.archive import CaptureRow
from citecheck.browse import allowed_hosts, is_loopback
from citecheck.browse.present import (
    CitationQuery,
    history,
    natural_key,
    ordered_statuses,
    select_rows,
    severity_badge,
    status_badge,
)
from citecheck.models import CaptureRef


def row(cid, status="ok", title=None, publisher=None, date=None, findings=(), note="", url=None):
    return {"citation_id": cid, "link_status": status, "title": title, "publisher": publisher,
            "date": date, "findings": list(findings), "note_text": note, "url": url,
            "final_url": None}


ROWS = [
    row("1", "ok", "Water report", "Ministry", "2023-03-14", note="Water report, Ministry"),
    row("2", "dead", "Court ruling", "Courts", "2021-05-02", [("link-dead", "error")],
        url="https://courts.example/ruling"),
    row("10", "ok", "Annual review", None, "2020", [("date-missing", "info")]),
    row("3", "not-checked", None, None, None, note="Ibid."),
    row("e1", "blocked", "Prison study", "NGO", None,
        [("title-mismatch", "error"), ("date-missing", "info")]),
]


def ids(rows):
    return [r["citation_id"] for r in rows]


@pytest.mark.parametrize("args, expected", [
    ({}, ["1", "2", "3", "10", "e1"]),
    ({"order": "desc"}, ["e1", "10", "3", "2", "1"]),
    ({"status": "ok"}, ["1", "10"]),
    ({"code": "date-missing"}, ["10", "e1"]),
    ({"status": "ok", "code": "date-missing"}, ["10"]),
    ({"q": "RULING"}, ["2"]),
    ({"q": "courts.example"}, ["2"]),
    ({"q": "ibid"}, ["3"]),
    ({"q": "e1"}, ["e1"]),
    ({"q": "nothing like it"}, []),
    ({"sort": "title"}, ["10", "2", "e1", "1", "3"]),
    ({"sort": "publisher"}, ["2", "1", "e1", "3", "10"]),
    ({"sort": "date", "order": "desc"}, ["1", "2", "10", "e1", "3"]),
    ({"sort": "status"}, ["2", "e1", "1", "10", "3"]),
    ({"sort": "findings"}, ["e1", "2", "10", "1", "3"]),
    ({"sort": "no-such-column"}, ["1", "2", "3", "10", "e1"]),
])
def test_select_rows(args, expected):
    assert ids(select_rows(ROWS, CitationQuery.from_args(args), set())) == expected


def test_select_rows_takes_full_text_hits_too():
    query = CitationQuery.from_args({"q": "overcrowding"})
    assert ids(select_rows(ROWS, query, {"10"})) == ["10"]


def test_query_args_leave_defaults_out():
    query = CitationQuery.from_args({"status": "ok", "sort": "id", "order": "asc"})
    assert query.args() == {"status": "ok"}
    assert query.args(sort="date", order="desc") == {"status": "ok", "sort": "date",
                                                     "order": "desc"}


@pytest.mark.parametrize("items, expected", [
    (["10", "2", "1"], ["1", "2", "10"]),
    (["e2", "e10", "3"], ["3", "e2", "e10"]),
    (["inline-2", "inline-1"], ["inline-1", "inline-2"]),
    (["12bis", "12"], ["12", "12bis"]),
])
def test_natural_key(items, expected):
    assert sorted(items, key=natural_key) == expected


@pytest.mark.parametrize("value, label, css", [
    ("ok", "✓ ok", "good"), ("dead", "✗ dead", "bad"), ("blocked", "⊘ blocked", "warn"),
    (None, "· not-checked", "muted"), ("from-the-future", "? from-the-future", "muted"),
])
def test_status_badge_has_symbol_and_word(value, label, css):
    badge = status_badge(value)
    assert (badge.label, badge.css) == (label, css)


@pytest.mark.parametrize("value, label", [("error", "✗ error"), ("warning", "! warning"),
                                          ("info", "i info"), ("fatal", "? fatal")])
def test_severity_badge(value, label):
    assert severity_badge(value).label == label


def test_ordered_statuses_worst_first():
    counts = {"ok": 3, "dead": 1, "not-checked": 0, "zzz": 2, "blocked": 1}
    assert ordered_statuses(counts) == [("dead", 1), ("blocked", 1), ("ok", 3), ("zzz", 2)]


def capture(stamp: str, digest: str | None) -> CaptureRow:
    ref = CaptureRef("a.warc.gz", 0, 10, stamp, f"<urn:uuid:{stamp}>", digest)
    return CaptureRow("https://a.example/", ref, 200, "text/html", "run")


@pytest.mark.parametrize("digests, expected", [
    (["A"], ["first capture"]),
    (["B", "A"], ["changed", "first capture"]),
    (["A", "A", "A"], ["unchanged", "unchanged", "first capture"]),
    (["A", "B", "A"], ["changed", "changed", "first capture"]),
    ([None, "A"], ["changed", "first capture"]),
])
def test_history_marks_changes_against_the_older_capture(digests, expected):
    rows = [capture(f"2026-03-0{9 - i}T00:00:00Z", d) for i, d in enumerate(digests)]
    assert [item["change"] for item in history(rows)] == expected


@pytest.mark.parametrize("host, port, allowed, refused", [
    ("127.0.0.1", 8765, ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST:8765"],
     ["127.0.0.1", "127.0.0.1:8766", "evil.example:8765", "", "localhost.evil.example:8765"]),
    ("192.0.2.10", 80, ["192.0.2.10", "192.0.2.10:80", "localhost"], ["192.0.2.11"]),
    ("::1", 9000, ["[::1]:9000"], ["::1:9000", "[::2]:9000"]),
    ("0.0.0.0", 8765, ["192.168.1.20:8765", "10.0.0.1:8765", "[fe80::1]:8765", "localhost:8765"],
     ["192.168.1.20:8766", "192.168.1.20", "router.local:8765", "evil.example:8765",
      "1.2.3.4.nip.io:8765", "[fe80::1]", "[zz]:8765", "[::1]x:8765"]),
    ("::", 80, ["[2001:db8::1]", "192.0.2.1:80", "192.0.2.1"],
     ["evil.example", "[2001:db8::1]:81"]),
])
def test_allowed_hosts(host, port, allowed, refused):
    hosts = allowed_hosts(host, port)
    assert all(h.lower() in hosts for h in allowed)
    assert not any(h.lower() in hosts for h in refused)


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("192.168.1.4", False), ("example.org", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("value, shown", [
    ("plain text", "plain text"),
    ("report\u202eexe.pdf", "reportexe.pdf"),  # a bidi override reorders what people read
    ("a\u2066b\u2069c", "abc"),
    ("\x1b[31mred\x1b[0m", "[31mred[0m"),
    ("two\nlines\tand tab", "two\nlines\tand tab"),
    ("::1", "::1"),  # an IPv6 address is shown as found, not defused like CI output
    ("<b>kept for escaping</b>", "<b>kept for escaping</b>"),
    (42, 42),
])
def test_inert_removes_only_what_cannot_be_read(value, shown):
    from citecheck.browse.app import inert

    assert inert(value) == shown


@pytest.mark.parametrize("name", ["app", "present", "rewrite"])
def test_doctests(name):
    import doctest
    import importlib

    module = importlib.import_module(f"citecheck.browse.{name}")
    result = doctest.testmod(module)
    assert result.attempted and not result.failed
