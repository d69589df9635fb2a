"""The resolver against real servers on 127.0.0.1: hops, statuses, deadlines, caps, bodies."""

from __future__ import annotations

import gzip
import socket
import threading

import pytest
from fetch_loopback import Request, hold, html, redirect, respond, trickle

from citecheck.fetch.resolver import Resolution, resolve
from citecheck.fetch.session import FetchSession
from citecheck.models import HopKind, LinkStatus
from citecheck.settings import Settings

LOCAL = Settings(allow_private=True, retries=1, backoff=0.01, connect_timeout=2.0,
                 read_timeout=2.0, deadline=5.0)


def run(url: str, settings: Settings = LOCAL, sleeps: list | None = None) -> Resolution:
    with FetchSession(settings, environ={}, sleep=(sleeps.append if sleeps is not None
                                                   else lambda s: None)) as session:
        resolution = resolve(url, settings, session)
    return resolution


def body_of(resolution: Resolution, index: int = -1) -> bytes:
    data = resolution.exchanges[index].body.read()
    resolution.close()
    return data


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_shortener_hops_over_one_kept_alive_connection(serve, hops: int) -> None:
    routes = {f"/s{n}": redirect(f"/s{n + 1}", 301) for n in range(hops)}
    routes[f"/s{hops}"] = lambda r, c: html(c, "<title>The page</title>")
    server = serve(routes)
    resolution = run(server.url("/s0"))
    link = resolution.link
    assert link.status is LinkStatus.OK
    assert link.final_url == server.url(f"/s{hops}")
    assert [h.kind for h in link.hops] == [HopKind.HTTP] * hops + [HopKind.FINAL]
    assert all(h.ip == "127.0.0.1" for h in link.hops)
    assert server.accepts == 1  # the kept-alive connection was reused, and watched each time
    last = resolution.exchanges[-1]
    assert (last.ip, last.port, last.status) == ("127.0.0.1", server.port, 200)
    assert ("Host", f"127.0.0.1:{server.port}") == last.request_headers[0]
    assert body_of(resolution) == b"<title>The page</title>"


def test_meta_refresh_js_and_interstitial_chain(serve) -> None:
    server = serve()
    target = server.url("/final")
    server.routes.update({
        "/m": lambda r, c: html(c, '<meta http-equiv="refresh" content="0; url=/js">'),
        "/js": lambda r, c: html(c, '<script>location.replace("/preview")</script>'),
        "/preview": lambda r, c: html(c, f'<p>You are being redirected.</p>'
                                         f'<a href="{target.replace("127.0.0.1", "localhost")}">'
                                         "Continue</a>"),
        "/final": lambda r, c: html(c, "<h1>Annual report</h1>"),
    })
    link = run(server.url("/m")).link
    assert link.status is LinkStatus.OK
    assert [h.kind for h in link.hops] == [HopKind.META_REFRESH, HopKind.JAVASCRIPT,
                                           HopKind.INTERSTITIAL, HopKind.FINAL]
    assert link.final_url == target.replace("127.0.0.1", "localhost")


@pytest.mark.parametrize("status, expected", [(404, LinkStatus.DEAD), (410, LinkStatus.DEAD),
                                              (403, LinkStatus.BLOCKED)])
def test_error_statuses(serve, status: int, expected: LinkStatus) -> None:
    server = serve({"/gone": lambda r, c: respond(c, status, b"gone", reason="Gone")})
    resolution = run(server.url("/gone"))
    assert (resolution.link.status, resolution.link.http_status) == (expected, status)
    assert resolution.cause == "http"


def test_500_then_200_retried(serve) -> None:
    calls = []

    def flaky(request: Request, conn: socket.socket) -> None:
        calls.append(request)
        respond(conn, 500 if len(calls) == 1 else 200, b"body", reason="X")

    server = serve({"/": flaky})
    sleeps: list[float] = []
    resolution = run(server.url("/"), sleeps=sleeps)
    assert resolution.link.status is LinkStatus.OK
    assert (len(calls), len(sleeps), len(resolution.exchanges)) == (2, 1, 1)


def _closes_the_first_kept_alive_request(calls: list[Request]):
    def page(request: Request, conn: socket.socket) -> None:
        calls.append(request)
        if len(calls) == 1:  # read on the kept-alive connection, then closed unanswered
            raise OSError("the server closes the connection")
        html(conn, "<title>The page</title>")
    return page


def test_a_request_on_a_kept_alive_connection_the_server_closed_is_sent_again(serve) -> None:
    calls: list[Request] = []
    page = _closes_the_first_kept_alive_request(calls)
    server = serve({"/s": redirect("/page", 301), "/page": page})
    sleeps: list[float] = []
    resolution = run(server.url("/s"), LOCAL.replace(retries=0), sleeps=sleeps)
    assert resolution.link.status is LinkStatus.OK
    assert (len(calls), server.accepts, sleeps) == (2, 2, [])  # a new connection, no backoff


def test_a_new_connection_closed_unanswered_is_not_sent_again_beyond_the_retries(serve) -> None:
    calls: list[Request] = []
    server = serve({"/page": _closes_the_first_kept_alive_request(calls)})
    resolution = run(server.url("/page"), LOCAL.replace(retries=0))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "connect")
    assert (len(calls), server.accepts) == (1, 1)


def test_429_with_retry_after(serve) -> None:
    calls = []

    def busy(request: Request, conn: socket.socket) -> None:
        calls.append(request)
        if len(calls) == 1:
            respond(conn, 429, b"slow down", [("Retry-After", "3")], reason="Too Many Requests")
        else:
            respond(conn, 200, b"ok")

    server = serve({"/": busy})
    sleeps: list[float] = []
    assert run(server.url("/"), sleeps=sleeps).link.status is LinkStatus.OK
    assert sleeps == [3.0]


def test_trickled_body_is_cut_at_the_deadline(serve, stop) -> None:
    def slow(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 400\r\n\r\n")
        trickle(conn, b"x" * 400, 0.02, stop)

    server = serve({"/": slow})
    resolution = run(server.url("/"), LOCAL.replace(deadline=1.0))
    exchange = resolution.exchanges[0]
    assert exchange.truncated == "time"
    assert 0 < exchange.body_length < 400
    assert body_of(resolution) == b"x" * exchange.body_length
    assert resolution.link.status is LinkStatus.OK


def test_trickled_headers_hit_the_deadline(serve, stop) -> None:
    def slow(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        trickle(conn, b"X-Padding: " + b"y" * 400, 0.02, stop)

    server = serve({"/": slow})
    resolution = run(server.url("/"), LOCAL.replace(deadline=1.0, retries=0))
    assert resolution.link.status is LinkStatus.UNREACHABLE
    assert resolution.cause == "deadline"
    assert resolution.exchanges == []


@pytest.mark.parametrize("deadline, read_timeout, cause", [(5.0, 0.5, "timeout"),
                                                           (0.5, 5.0, "deadline")])
def test_silent_server(serve, stop, deadline: float, read_timeout: float, cause: str) -> None:
    server = serve({"/": lambda r, c: hold(stop)})
    settings = LOCAL.replace(deadline=deadline, read_timeout=read_timeout, retries=0)
    resolution = run(server.url("/"), settings)
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, cause)


def test_body_over_the_cap_is_cut_and_spooled_to_disk(serve) -> None:
    size = 3_000_000
    server = serve({"/big": lambda r, c: respond(c, 200, b"z" * size)})
    resolution = run(server.url("/big"), LOCAL.replace(max_body=1_500_000))
    exchange = resolution.exchanges[0]
    assert (exchange.truncated, exchange.body_length) == ("length", 1_500_000)
    assert exchange.body._rolled  # past 1 MB the spool is a file on disk
    assert len(body_of(resolution)) == 1_500_000


def test_gzip_bomb_is_kept_compressed(serve) -> None:
    bomb = gzip.compress(b"\0" * 30_000_000)
    headers = [("Content-Encoding", "gzip"), ("Content-Type", "text/html")]
    server = serve({"/bomb": lambda r, c: respond(c, 200, bomb, headers)})
    resolution = run(server.url("/bomb"), LOCAL.replace(max_body=1_000_000))
    exchange = resolution.exchanges[0]
    assert (exchange.truncated, exchange.body_length) == (None, len(bomb))
    assert body_of(resolution) == bomb


def test_gzip_bomb_over_the_cap_is_cut(serve) -> None:
    bomb = gzip.compress(b"\0" * 30_000_000)
    server = serve({"/bomb": lambda r, c: respond(c, 200, bomb, [("Content-Encoding", "gzip")])})
    resolution = run(server.url("/bomb"), LOCAL.replace(max_body=len(bomb) // 2))
    assert resolution.exchanges[0].truncated == "length"
    assert body_of(resolution) == bomb[: len(bomb) // 2]


def test_lying_content_length_is_a_disconnect(serve) -> None:
    def liar(request: Request, conn: socket.socket) -> None:
        respond(conn, 200, b"only part", length=1000)
        conn.shutdown(socket.SHUT_WR)

    server = serve({"/": liar})
    resolution = run(server.url("/"))
    assert resolution.exchanges[0].truncated == "disconnect"
    assert body_of(resolution) == b"only part"


def test_chunked_body_is_stored_without_framing_and_headers_in_order(serve) -> None:
    def chunked(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nTransfer-Encoding: chunked\r\n"
                     b"X-Order: first\r\nSet-Cookie: b=2\r\n\r\n"
                     b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")

    server = serve({"/": chunked})
    resolution = run(server.url("/"))
    exchange = resolution.exchanges[0]
    assert exchange.response_headers == [("Set-Cookie", "a=1"), ("Transfer-Encoding", "chunked"),
                                         ("X-Order", "first"), ("Set-Cookie", "b=2")]
    assert (exchange.http_version, exchange.reason, exchange.truncated) == ("HTTP/1.1", "OK", None)
    assert body_of(resolution) == b"hello world"


def test_redirect_loop(serve) -> None:
    server = serve({"/a": redirect("/b"), "/b": redirect("/a")})
    resolution = run(server.url("/a"))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "loop")
    assert len(server.requests) == 2


@pytest.mark.parametrize("redirects, status, cause", [
    (10, LinkStatus.OK, None), (11, LinkStatus.UNREACHABLE, "too-many-hops")])
def test_hop_cap(serve, redirects: int, status: LinkStatus, cause: str | None) -> None:
    routes = {f"/{n}": redirect(f"/{n + 1}") for n in range(redirects)}
    routes[f"/{redirects}"] = lambda r, c: respond(c, 200, b"end")
    server = serve(routes)
    resolution = run(server.url("/0"))
    assert (resolution.link.status, resolution.cause) == (status, cause)
    assert len(server.requests) == 11  # never the 12th request


def test_connection_refused_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connections are refused
        resolution = run(f"http://127.0.0.1:{port}/", LOCAL.replace(retries=0))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "connect")
    assert resolution.link.hops[0].status is None


def test_watchdog_is_disarmed_after_the_request(serve) -> None:
    server = serve({"/": lambda r, c: respond(c, 200, b"quick")})
    before = {t.name for t in threading.enumerate()}
    resolution = run(server.url("/"), LOCAL.replace(deadline=0.3))
    assert resolution.link.status is LinkStatus.OK
    timers = [t for t in threading.enumerate()
              if isinstance(t, threading.Timer) and t.name not in before and t.is_alive()]
    for timer in timers:
        timer.join(1.0)
    assert not any(t.is_alive() for t in timers)


def test_cookies_stay_within_one_resolution(serve) -> None:
    def setter(request: Request, conn: socket.socket) -> None:
        respond(conn, 302, b"", [("Set-Cookie", "visitor=42; Path=/"), ("Location", "/read")])

    server = serve({"/set": setter, "/read": lambda r, c: respond(c, 200, b"ok")})
    with FetchSession(LOCAL, environ={}) as session:
        resolve(server.url("/set"), LOCAL, session).close()
        resolve(server.url("/read"), LOCAL, session).close()
        assert len(session.http.cookies) == 0
    cookies = [r.header("Cookie") for r in server.requests]
    assert cookies == [None, "visitor=42", None]  # sent on the next hop, not to the next URL


def test_location_header_that_is_not_utf8_is_followed_not_a_crash(serve) -> None:
    def latin1_location(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /caf\xe9\r\nContent-Length: 0\r\n\r\n")

    server = serve({"/a": latin1_location, "/caf%E9": lambda r, c: html(c, "<p>cafe</p>")})
    resolution = run(server.url("/a"))
    assert resolution.link.status in (LinkStatus.OK, LinkStatus.DEAD)
    assert [hop.status for hop in resolution.link.hops][0] == 302


def test_a_bug_in_resolve_is_one_links_outcome_not_the_runs(monkeypatch) -> None:
    from citecheck.fetch import scheduler

    def broken(url, settings, session):
        raise RuntimeError("resolver bug")

    monkeypatch.setattr(scheduler, "resolve", broken)
    done = {}
    scheduler.resolve_all(["https://a.test/1", "https://b.test/2"], LOCAL,
                          lambda url, r: done.setdefault(url, r))
    assert {r.link.cause for r in done.values()} == {"error"}
    assert all("resolver bug" in r.link.reason for r in done.values())
