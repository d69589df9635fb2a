"""The private-address guard through `citecheck run` (no --allow-private).

With the guard on, the test servers on 127.0.0.1 are refused themselves, so a redirect *to* a
private address is tested through a forward proxy: the proxy plays the public web (it answers
for public-looking names, routing by the absolute URL it is asked for), and one of its sites
redirects to an IP literal on loopback. Behind a proxy citecheck checks IP literals, so that
hop is refused before any request; the loopback server must see nothing.
"""

from __future__ import annotations

from fetch_loopback import redirect, respond
from runkit import assert_valid_archive, cite, exchanges, read_records, result_record, write_project

TITLE = "Ministry publishes the new procurement rules"
PAGE = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        f"<p>{'Tenders above the threshold must be published. ' * 30}</p></body></html>").encode()


def test_loopback_links_are_refused_before_any_request(raw_server, tmp_path, run):
    server = raw_server({"/news": lambda r, c: respond(c, 200, PAGE)})
    write_project(tmp_path, [cite("1", server.url("/news"), TITLE),
                             cite("2", server.url("/news", host="localhost"), TITLE)])

    outcome = run(tmp_path, allow_private=False)

    assert outcome.code == 1
    for note in ("1", "2"):
        assert (outcome.cite(note)["status"], outcome.cite(note)["cause"]) == ("refused",
                                                                               "refused")
        assert "link-refused" in outcome.codes(note)
    assert server.accepts == 0 and server.requests == []
    records = read_records(outcome.archive)
    assert exchanges(records) == []
    assert result_record(records, outcome.report["run_id"], "1").json()["link"]["status"] == (
        "refused")
    assert_valid_archive(outcome.archive)


def test_a_redirect_to_loopback_is_refused_behind_a_proxy(raw_server, tmp_path, run):
    secret = raw_server({"/admin": lambda r, c: respond(c, 200, b"the router's admin page")})
    proxy = raw_server({
        "http://news.example.org/s/1": redirect("http://archive.example.net/rules"),
        "http://archive.example.net/rules": lambda r, c: respond(
            c, 200, PAGE, [("Content-Type", "text/html")]),
        "http://news.example.org/s/2": redirect(secret.url("/admin")),
    })
    write_project(tmp_path, [cite("1", "http://news.example.org/s/1", TITLE),
                             cite("2", "http://news.example.org/s/2", TITLE)])

    outcome = run(tmp_path, "--proxy", proxy.url("").rstrip("/"), allow_private=False)

    assert outcome.cite("1")["status"] == "ok"  # the proxy does serve the public names
    refused = outcome.cite("2")
    assert (refused["status"], refused["cause"]) == ("refused", "refused")
    assert "loopback" in refused["reason"] and "link-refused" in outcome.codes("2")
    assert [hop["status"] for hop in refused["redirects"]] == [302]
    assert secret.accepts == 0
    asked = [r.target for r in proxy.requests]
    assert sorted(asked) == ["http://archive.example.net/rules", "http://news.example.org/s/1",
                             "http://news.example.org/s/2"]
    records = read_records(outcome.archive)
    hops = [r.uri for _, r in exchanges(records)]
    assert "http://news.example.org/s/2" in hops and secret.url("/admin") not in hops
    result = result_record(records, outcome.report["run_id"], "2")
    assert result.concurrent == (refused["capture"]["record_id"],)
    assert_valid_archive(outcome.archive)
