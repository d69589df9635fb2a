"""Short links and redirects through `citecheck run`: the report's chain and the WARC's hops."""

from __future__ import annotations

import pytest
from runkit import assert_valid_archive, cite, exchanges, read_records, result_record, write_project
from werkzeug import Response

TITLE = "Water rationing extended in the northern districts"
ARTICLE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{TITLE} | Lakeside Courier</title><meta property="og:title" content="{TITLE}">
</head><body><h1>{TITLE}</h1><p>{"The utility said the cuts would last until the rains. " * 40}
</p></body></html>"""


def html(text: str) -> Response:
    return Response(text, content_type="text/html; charset=utf-8")


def redirect(target: str, status: int = 301) -> Response:
    return Response("", status=status, headers={"Location": target})


def chain(*paths: str) -> list[tuple[str, Response]]:
    """Each path redirects to the next; the last is the article."""
    steps = [(path, redirect(target)) for path, target in zip(paths, paths[1:], strict=False)]
    return [*steps, (paths[-1], html(ARTICLE))]


def other_host(server, path: str) -> str:
    """The same server under its other name, so the target is on another host."""
    return f"http://127.0.0.1:{server.port}{path}"


SCENARIOS = {
    "one hop": (lambda s: chain("/s/1", "/news/a"), ["http", "final"]),
    "two hops": (lambda s: chain("/s/2", "/go/2", "/news/b"), ["http", "http", "final"]),
    "three hops": (lambda s: chain("/s/3", "/go/3a", "/go/3b", "/news/c"),
                   ["http", "http", "http", "final"]),
    "meta refresh": (lambda s: [
        ("/m", html('<html><head><meta http-equiv="refresh" content="0; url=/news/m">'
                    "</head><body>Moved.</body></html>")),
        ("/news/m", html(ARTICLE))], ["meta-refresh", "final"]),
    "javascript": (lambda s: [
        ("/j", html('<html><body><script>window.location.replace("/news/j");</script>'
                    "</body></html>")),
        ("/news/j", html(ARTICLE))], ["javascript", "final"]),
    "interstitial": (lambda s: [
        ("/i", html("<html><body><p>You are being redirected to an external site.</p>"
                    f'<a href="{other_host(s, "/news/i")}">Continue</a></body></html>')),
        ("/news/i", html(ARTICLE))], ["interstitial", "final"]),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_chain_in_report_and_warc(httpserver, tmp_path, run, name):
    routes, kinds = SCENARIOS[name]
    steps = routes(httpserver)
    for path, response in steps:
        httpserver.expect_request(path).respond_with_response(response)
    start = httpserver.url_for(steps[0][0])
    write_project(tmp_path, [cite("1", start, TITLE)])

    outcome = run(tmp_path)

    note = outcome.cite("1")
    assert note["status"] == "ok" and outcome.codes("1") == set()
    assert [hop["kind"] for hop in note["redirects"]] == kinds
    assert note["found"]["title"] == TITLE
    assert note["final_url"].endswith(steps[-1][0])
    records = read_records(outcome.archive)
    pairs = exchanges(records)
    assert [response.uri for _, response in pairs] == [hop["url"] for hop in note["redirects"]]
    assert [response.http_status for _, response in pairs] == [
        hop["status"] for hop in note["redirects"]]
    final = pairs[-1][1]
    assert final.type == "response" and final.id == note["capture"]["record_id"]
    result = result_record(records, outcome.report["run_id"], "1")
    assert result.concurrent == (final.id,)
    assert result.json()["link"]["status"] == "ok"
    assert_valid_archive(outcome.archive)


def test_redirect_loop_is_reported_and_each_hop_kept(httpserver, tmp_path, run):
    httpserver.expect_request("/loop/a").respond_with_response(redirect("/loop/b", 302))
    httpserver.expect_request("/loop/b").respond_with_response(redirect("/loop/a", 302))
    write_project(tmp_path, [cite("1", httpserver.url_for("/loop/a"), TITLE)])

    outcome = run(tmp_path)

    note = outcome.cite("1")
    assert outcome.code == 1
    assert (note["status"], note["cause"]) == ("unreachable", "loop")
    assert "link-redirect-loop" in outcome.codes("1")
    records = read_records(outcome.archive)
    uris = [response.uri for _, response in exchanges(records)]
    assert [uri.rsplit("/", 2)[-2:] for uri in uris] == [["loop", "a"], ["loop", "b"]]
    assert len(httpserver.log) == 2  # the loop is seen before /loop/a is asked again
    result = result_record(records, outcome.report["run_id"], "1")
    assert result.concurrent == (note["capture"]["record_id"],)
    assert_valid_archive(outcome.archive)
