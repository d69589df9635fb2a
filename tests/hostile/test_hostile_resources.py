"""Resource exhaustion from hostile servers: memory, time, hops, retries, headers.

The memory and time cases resolve one URL of the hostile server in a child process under
resource limits (hostile_child): the child's peak resident set is its VmHWM, and the time
the child measured around `resolve` is what the deadline cases assert. That timing
bound is the contract of the deadline (docs/fetching.md), so here, and only here, a test
asserts on time. The hop limit and Retry-After cases are about logic and run in this process.
"""

from __future__ import annotations

import socket
from urllib.parse import quote

import pytest
from hostile_server import GZIP_MOVED, HostileServer, gzip_bomb
from hostile_tally import GRACE

from citecheck.fetch.resolver import Resolution, resolve
from citecheck.fetch.session import FetchSession
from citecheck.models import LinkStatus
from citecheck.settings import Settings

PEAK_LIMIT = 150 * 10**6  # bytes of resident memory a child may reach
DEADLINE = 2.0
DEFAULTS = Settings()


def test_gzip_bomb_is_kept_compressed(hostile: HostileServer, child) -> None:
    out = child(hostile.url("/gzip-bomb"))
    [exchange] = out["exchanges"]
    assert out["status"] == "ok"
    assert (exchange["truncated"], exchange["body_length"]) == (None, len(gzip_bomb()))
    assert out["peak"] < PEAK_LIMIT


@pytest.mark.parametrize("route", ["gzip-endless", "huge", "huge-chunked"])
def test_endless_bodies_are_cut_at_the_cap(hostile: HostileServer, child, route: str) -> None:
    out = child(hostile.url(f"/{route}"))
    [exchange] = out["exchanges"]
    assert out["status"] == "ok"
    assert (exchange["truncated"], exchange["body_length"]) == ("length", DEFAULTS.max_body)
    assert out["peak"] < PEAK_LIMIT
    assert hostile.hits[route] == 1


@pytest.mark.parametrize("route, truncated", [("big-redirect", "length"),
                                              ("gzip-redirect", None)])
def test_redirect_bodies_are_not_read_into_memory(hostile: HostileServer, child, route: str,
                                                  truncated: str | None) -> None:
    out = child(hostile.url(f"/{route}"))
    redirect, _ = out["exchanges"]
    assert out["status"] == "ok"
    assert out["final_url"] == hostile.url("/page")
    assert (redirect["status"], redirect["truncated"]) == (302, truncated)
    assert out["peak"] < PEAK_LIMIT


def test_a_gzip_encoded_redirect_is_followed(hostile: HostileServer) -> None:
    """requests used to decode a 3xx body itself, after which the exchange could not be read."""
    settings = DEFAULTS.replace(allow_private=True)
    with FetchSession(settings, environ={}) as session:
        resolution = resolve(hostile.url("/gzip-moved"), settings, session)
        moved = resolution.exchanges[0].body.read()
    resolution.close()
    assert resolution.link.status is LinkStatus.OK
    assert resolution.link.final_url == hostile.url("/page")
    assert moved == GZIP_MOVED  # kept as received, still compressed


@pytest.mark.parametrize("route, status, cause, truncated", [
    ("trickle-body", "ok", None, "time"),
    ("trickle-headers", "unreachable", "deadline", None),
    ("silent", "unreachable", "deadline", None),
    ("lying-length?claim=100000&send=10&hold=1", "ok", None, "time"),
])
def test_slow_servers_end_within_the_deadline(hostile: HostileServer, child, route: str,
                                              status: str, cause: str | None,
                                              truncated: str | None) -> None:
    out = child(hostile.url(f"/{route}"), {"deadline": DEADLINE})
    assert out["elapsed"] <= DEADLINE + GRACE
    assert (out["status"], out["cause"]) == (status, cause)
    assert [e["truncated"] for e in out["exchanges"]] == ([truncated] if truncated else [])


def test_a_listener_that_never_accepts_ends_within_the_deadline(child) -> None:
    with socket.socket() as backlog:  # the kernel completes the handshake; nobody answers
        backlog.bind(("127.0.0.1", 0))
        backlog.listen(1)
        port = backlog.getsockname()[1]
        out = child(f"http://127.0.0.1:{port}/", {"deadline": DEADLINE})
    assert out["elapsed"] <= DEADLINE + GRACE
    assert (out["status"], out["cause"]) == ("unreachable", "deadline")


def test_deadline_cut_requests_leave_nothing_behind(hostile: HostileServer, child) -> None:
    out = child(hostile.url("/trickle-headers"), {"deadline": 0.3}, repeat=10)
    assert hostile.hits["trickle-headers"] == 10
    assert out["elapsed"] <= 0.3 + GRACE
    assert out["threads"] <= 2  # the main thread, and at most one DNS thread still winding down
    assert out["fds"] < 20  # no socket or watchdog duplicate left open


def resolve_here(url: str, **changes: object) -> tuple[Resolution, list[float]]:
    """Resolve in this process (for the cases about logic, not memory): sleeps recorded."""
    settings = DEFAULTS.replace(allow_private=True, **changes)
    sleeps: list[float] = []
    with FetchSession(settings, environ={}, sleep=sleeps.append) as session:
        resolution = resolve(url, settings, session)
    resolution.close()
    return resolution, sleeps


@pytest.mark.parametrize("route, status, cause, requests", [
    ("chain/10", LinkStatus.OK, None, 11),
    ("chain/11", LinkStatus.UNREACHABLE, "too-many-hops", 11),
    ("chain/1000", LinkStatus.UNREACHABLE, "too-many-hops", 11),
    ("spin/0", LinkStatus.UNREACHABLE, "too-many-hops", 11),
    ("cookie-spin", LinkStatus.UNREACHABLE, "too-many-hops", 11),
    ("loop/a", LinkStatus.UNREACHABLE, "loop", 2),
])
def test_the_redirect_limit_is_exact(hostile: HostileServer, route: str, status: LinkStatus,
                                     cause: str | None, requests: int) -> None:
    resolution, _ = resolve_here(hostile.url(f"/{route}"))
    assert (resolution.link.status, resolution.cause) == (status, cause)
    assert len(hostile.targets) == requests  # never one request more
    assert len(resolution.link.hops) == min(requests, DEFAULTS.max_hops + 1)


@pytest.mark.parametrize("value", ["1000000000", "99999999999999999999999999999",
                                   "Fri, 31 Dec 2099 23:59:59 GMT", "1e400", "-5", "soon"])
def test_retry_after_is_capped(hostile: HostileServer, value: str) -> None:
    resolution, sleeps = resolve_here(hostile.url(f"/retry-after?value={quote(value)}"))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.BLOCKED, "http")
    assert len(sleeps) == DEFAULTS.retries
    assert all(0 <= wait <= DEFAULTS.retry_after_cap for wait in sleeps)
    assert hostile.hits["retry-after"] == DEFAULTS.retries + 1


@pytest.mark.parametrize("route", ["many-headers?n=5000", "many-headers?n=100000",
                                   "long-header?size=1000000", "endless-headers", "garbage"])
def test_broken_heads_end_unreachable(hostile: HostileServer, child, route: str) -> None:
    """Not HTTP is a protocol error (cause http), not a connection error: never asked again."""
    out = child(hostile.url(f"/{route}"), {"deadline": DEADLINE}, record_sleeps=True)
    assert (out["status"], out["cause"]) == ("unreachable", "http")
    assert out["elapsed"] <= DEADLINE + GRACE
    assert out["peak"] < PEAK_LIMIT
    assert sum(hostile.hits.values()) == 1 and out["sleeps"] == []


@pytest.mark.parametrize("raw", [b"HTTP/1.1 abc OK\r\n\r\n", b"HTTP/9.9 200 OK\r\n\r\n",
                                 b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"])
def test_a_head_that_is_not_http_is_not_retried(hostile: HostileServer, raw: bytes) -> None:
    resolution, sleeps = resolve_here(hostile.url(f"/raw?bytes={quote(raw)}"))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "http")
    assert (hostile.hits["raw"], sleeps) == (1, [])


def test_a_connection_closed_without_an_answer_is_retried(hostile: HostileServer) -> None:
    resolution, sleeps = resolve_here(hostile.url("/raw?bytes="))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "connect")
    assert hostile.hits["raw"] == DEFAULTS.retries + 1


@pytest.mark.parametrize("claim, send, truncated, length", [
    (1000, 10, "disconnect", 10),
    (10, 1_000_000, None, 10),  # more than announced: the rest is not read
    (10 * 2**30, 5000, "disconnect", 5000),
])
def test_lying_content_length(hostile: HostileServer, child, claim: int, send: int,
                              truncated: str | None, length: int) -> None:
    out = child(hostile.url(f"/lying-length?claim={claim}&send={send}"))
    [exchange] = out["exchanges"]
    assert (exchange["truncated"], exchange["body_length"]) == (truncated, length)


@pytest.mark.slow
@pytest.mark.parametrize("route", ["trickle-headers", "trickle-body", "silent", "lying-length"
                                   "?claim=100000&send=10&hold=1"])
def test_many_deadline_cuts_leave_nothing_behind(hostile: HostileServer, child,
                                                 route: str) -> None:
    out = child(hostile.url(f"/{route}"), {"deadline": 0.2}, repeat=100)
    assert out["elapsed"] <= 0.2 + GRACE
    assert out["threads"] <= 2
    assert out["fds"] < 20


@pytest.mark.slow
@pytest.mark.parametrize("route", ["huge", "gzip-endless", "big-redirect"])
def test_endless_bodies_again_and_again(hostile: HostileServer, child, route: str) -> None:
    out = child(hostile.url(f"/{route}"), repeat=20)
    assert out["exchanges"][0]["truncated"] == "length"
    assert out["peak"] < PEAK_LIMIT
    assert out["fds"] < 20
