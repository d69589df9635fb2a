"""The guard, DNS, proxies, per-host limits and the no-network breaker, with real sockets.

DNS is replaced in one place, the session's resolver. To have an address that the guard
lets through without leaving the machine, these tests use a guard that treats 127.0.0.2 as
if it were public; 127.0.0.1 stays refused, and a canary there counts every connection.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable

import pytest
from fetch_loopback import Request, Server, redirect, respond

from citecheck.fetch.guard import IPAddress, refusal_reason
from citecheck.fetch.resolver import Resolution, resolve
from citecheck.fetch.scheduler import resolve_all
from citecheck.fetch.session import FetchSession
from citecheck.models import LinkStatus
from citecheck.settings import Settings

GUARDED = Settings(retries=0, backoff=0.01, connect_timeout=2.0, read_timeout=2.0, deadline=5.0)
PUBLIC = ipaddress.ip_address("127.0.0.2")  # stands in for a public address
PRIVATE = ipaddress.ip_address("127.0.0.1")


def test_guard(ip: IPAddress) -> str | None:
    return None if ip == PUBLIC else refusal_reason(ip)


test_guard.__test__ = False  # type: ignore[attr-defined]


class Dns:
    """A resolver that answers from a script of answers per host and counts lookups."""

    def __init__(self, answers: dict[str, list[list[IPAddress]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, host: str, port: int) -> list[IPAddress]:
        with self.lock:
            self.calls.append(host)
            script = self.answers.get(host)
            if not script:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return script.pop(0) if len(script) > 1 else script[0]


def run(url: str, dns: Callable, settings: Settings = GUARDED, **kwargs) -> Resolution:
    with FetchSession(settings, resolver=dns, guard=test_guard, environ={}, **kwargs) as session:
        resolution = resolve(url, settings, session)
    resolution.close()
    return resolution


@pytest.fixture
def twins(serve) -> tuple[Server, Server]:
    """A server on 127.0.0.2 and a canary on 127.0.0.1, on the same port."""
    for _ in range(20):
        public = serve(host=str(PUBLIC))
        try:
            canary = serve(host=str(PRIVATE), port=public.port)
        except OSError:
            public.close()
            continue
        return public, canary
    pytest.skip("could not bind the same port on 127.0.0.1 and 127.0.0.2")


def test_localhost_refused_with_the_real_resolver(serve) -> None:
    canary = serve()
    with FetchSession(GUARDED, environ={}) as session:
        resolution = resolve(canary.url("/", host="localhost"), GUARDED, session)
    assert (resolution.link.status, resolution.cause) == (LinkStatus.REFUSED, "refused")
    assert canary.accepts == 0


def test_redirect_to_a_loopback_literal_is_refused(twins) -> None:
    public, canary = twins
    public.routes["/go"] = redirect(canary.url("/secret"))
    dns = Dns({"public.test": [[PUBLIC]]})
    resolution = run(public.url("/go", host="public.test"), dns)
    assert (resolution.link.status, resolution.cause) == (LinkStatus.REFUSED, "refused")
    assert len(public.requests) == 1
    assert canary.accepts == 0


def test_redirect_to_a_name_that_resolves_to_loopback_is_refused(twins) -> None:
    public, canary = twins
    public.routes["/go"] = redirect(canary.url("/secret", host="internal.test"))
    dns = Dns({"public.test": [[PUBLIC]], "internal.test": [[PRIVATE]]})
    resolution = run(public.url("/go", host="public.test"), dns)
    assert (resolution.link.status, resolution.cause) == (LinkStatus.REFUSED, "refused")
    assert canary.accepts == 0


def test_rebinding_cannot_move_the_connection(twins) -> None:
    public, canary = twins
    public.routes["/"] = lambda r, c: respond(c, 200, b"public page")
    dns = Dns({"rebind.test": [[PUBLIC], [PRIVATE]]})  # public first, private afterwards
    resolution = run(public.url("/", host="rebind.test"), dns)
    assert resolution.link.status is LinkStatus.OK
    assert dns.calls == ["rebind.test"]  # resolved once, connected to what was checked
    assert resolution.exchanges[0].ip == str(PUBLIC)
    assert canary.accepts == 0


def test_rebinding_on_a_new_connection_is_checked_again(twins) -> None:
    public, canary = twins
    public.routes["/"] = redirect("/next", close=True)  # the next hop needs a new connection
    dns = Dns({"rebind.test": [[PUBLIC], [PRIVATE]]})
    resolution = run(public.url("/", host="rebind.test"), dns)
    assert (resolution.link.status, resolution.cause) == (LinkStatus.REFUSED, "refused")
    assert dns.calls == ["rebind.test", "rebind.test"]
    assert canary.accepts == 0


def test_mixed_answers_are_refused(twins) -> None:
    public, canary = twins
    dns = Dns({"mixed.test": [[PUBLIC, PRIVATE]]})
    resolution = run(public.url("/", host="mixed.test"), dns)
    assert resolution.link.status is LinkStatus.REFUSED
    assert (public.accepts, canary.accepts) == (0, 0)


def test_allow_private_turns_the_guard_off(serve) -> None:
    server = serve({"/": lambda r, c: respond(c, 200, b"ok")})
    settings = GUARDED.replace(allow_private=True)
    resolution = run(server.url("/", host="local.test"), Dns({"local.test": [[PRIVATE]]}),
                     settings)
    assert resolution.link.status is LinkStatus.OK


def test_slow_dns_is_cut_off(serve) -> None:
    release = threading.Event()

    def slow(host: str, port: int) -> list[IPAddress]:
        release.wait(10)
        return [PUBLIC]

    try:
        resolution = run("http://slow.test/", slow, GUARDED.replace(connect_timeout=0.3))
    finally:
        release.set()
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "dns")


def test_unknown_name_is_unreachable() -> None:
    resolution = run("http://nowhere.test/", Dns({}))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "dns")


def test_per_host_limit_is_never_exceeded(serve) -> None:
    per_host = 2
    settings = GUARDED.replace(allow_private=True, per_host=per_host, workers=8)
    arrived = threading.Condition()
    server: Server

    def busy(request: Request, conn: socket.socket) -> None:
        with arrived:  # wait (bounded) until the allowed number of requests overlap
            arrived.notify_all()
            arrived.wait_for(lambda: server.active >= per_host or len(server.requests) == 8,
                             timeout=2)
        respond(conn, 200, b"ok")

    server = serve({"/": busy})
    urls = [server.url(f"/?n={n}") for n in range(8)]
    done: dict[str, LinkStatus] = {}
    lock = threading.Lock()

    def record(url: str, resolution: Resolution) -> None:
        with lock:
            done[url] = resolution.link.status
        resolution.close()

    resolve_all(urls + urls[:3], settings, record)
    assert sorted(done) == sorted(urls)  # each distinct URL once
    assert set(done.values()) == {LinkStatus.OK}
    assert server.max_active == per_host
    assert len(server.requests) == 8


def test_no_network_is_noticed_quickly() -> None:
    dns = Dns({})  # every lookup fails, as on a machine with no network
    urls = [f"http://site{n}.test/" for n in range(30)]
    results: dict[str, Resolution] = {}
    lock = threading.Lock()

    def record(url: str, resolution: Resolution) -> None:
        with lock:
            results[url] = resolution

    settings = GUARDED.replace(retries=2, workers=4)
    with FetchSession(settings, resolver=dns, environ={}, sleep=lambda s: None) as session:
        resolve_all(urls, settings, record, session)
        assert session.network_down
    assert {r.link.status for r in results.values()} == {LinkStatus.UNREACHABLE}
    assert sum(r.cause == "no-network" for r in results.values()) >= 20
    assert len(dns.calls) < 30  # far fewer than URLs x attempts (90)


def test_failures_do_not_trip_the_breaker_when_the_probe_answers() -> None:
    dns = Dns({"example.com": [[ipaddress.ip_address("93.184.215.14")]]})
    with FetchSession(GUARDED, resolver=dns, environ={}) as session:
        for n in range(5):
            resolve(f"http://gone{n}.test/", GUARDED, session)
        assert not session.network_down


@pytest.fixture
def tls_ca():
    trustme = pytest.importorskip("trustme")
    return trustme.CA()


def tls_server(serve, ca, name: str) -> Server:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    return serve({"/": lambda r, c: respond(c, 200, b"secure page")}, tls=context)


def test_tls_verifies_the_host_name_while_connecting_to_the_checked_address(
        serve, tls_ca, tmp_path) -> None:
    server = tls_server(serve, tls_ca, "secure.test")
    bundle = tmp_path / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    dns = Dns({"secure.test": [[PRIVATE]]})
    settings = GUARDED.replace(allow_private=True)
    resolution = run(server.url("/", host="secure.test"), dns, settings, ca_bundle=str(bundle))
    assert resolution.link.status is LinkStatus.OK
    assert server.server_names == ["secure.test"]  # SNI carries the name, not the address
    assert server.requests[0].header("Host") == f"secure.test:{server.port}"
    assert resolution.exchanges[0].ip == str(PRIVATE)


def test_tls_certificate_for_another_name_fails(serve, tls_ca, tmp_path) -> None:
    server = tls_server(serve, tls_ca, "other.test")
    bundle = tmp_path / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    dns = Dns({"secure.test": [[PRIVATE]]})
    settings = GUARDED.replace(allow_private=True)
    resolution = run(server.url("/", host="secure.test"), dns, settings, ca_bundle=str(bundle))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "tls")
    assert server.requests == []
