"""Proxies (from settings and from the environment) and no ambient credentials, on loopback."""

from __future__ import annotations

import ipaddress
import selectors
import socket
import ssl
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fetch_loopback import Request, Server, read_head, respond

from citecheck.fetch.resolver import Resolution, resolve
from citecheck.fetch.scheduler import resolve_all
from citecheck.fetch.session import FetchSession
from citecheck.models import LinkStatus
from citecheck.settings import Settings

BASE = Settings(retries=0, backoff=0.01, connect_timeout=2.0, read_timeout=2.0, deadline=5.0)


def no_dns(host: str, port: int) -> list:
    raise AssertionError(f"local DNS asked for {host} while a proxy is set")


def local(host: str, port: int) -> list:
    return [ipaddress.ip_address("127.0.0.1")]


def forward(request: Request, conn: socket.socket) -> None:
    """A tiny forward proxy: absolute-form target in, same request to 127.0.0.1 out."""
    if request.method == "CONNECT":
        tunnel(request, conn)
        return
    target = urlsplit(request.target)
    with socket.create_connection(("127.0.0.1", target.port or 80), timeout=5) as upstream:
        head = [f"GET {target.path or '/'} HTTP/1.1"]
        head += [f"{k}: {v}" for k, v in request.headers if k.lower() != "connection"]
        upstream.sendall(("\r\n".join([*head, "Connection: close"]) + "\r\n\r\n").encode())
        while chunk := upstream.recv(65536):
            conn.sendall(chunk)
    conn.shutdown(socket.SHUT_WR)


def tunnel(request: Request, conn: socket.socket) -> None:
    """CONNECT host:port: relay bytes both ways to 127.0.0.1:port until either side closes."""
    port = int(request.target.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as upstream:
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with selectors.DefaultSelector() as selector:
            selector.register(conn, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, conn)
            until = time.monotonic() + 5
            while time.monotonic() < until:
                for key, _ in selector.select(timeout=0.2):
                    data = key.fileobj.recv(65536)
                    if not data:
                        conn.shutdown(socket.SHUT_RDWR)
                        return
                    key.data.sendall(data)


@pytest.fixture
def origin(serve) -> Server:
    return serve({"/page": lambda r, c: respond(c, 200, b"origin page")})


@pytest.fixture
def proxy(serve) -> Server:
    server = serve()
    server.routes = _AnyPath(forward)
    return server


class _AnyPath(dict):
    """Routes where every target (absolute-form included) goes to one handler."""

    def __init__(self, handler) -> None:
        super().__init__()
        self.handler = handler

    def get(self, key, default=None):
        return self.handler


def run(url: str, settings: Settings, environ: dict[str, str] | None = None,
        resolver=no_dns) -> Resolution:
    with FetchSession(settings, resolver=resolver, environ=environ or {}) as session:
        resolution = resolve(url, settings, session)
    resolution.close()
    return resolution


def test_proxy_from_settings_resolves_names(origin, proxy) -> None:
    settings = BASE.replace(proxy=proxy.url("").rstrip("/"))
    url = origin.url("/page", host="site.test")
    resolution = run(url, settings)
    assert resolution.link.status is LinkStatus.OK
    assert [r.target for r in proxy.requests] == [url]
    assert origin.requests[0].header("Host") == f"site.test:{origin.port}"
    exchange = resolution.exchanges[0]
    assert (exchange.ip, exchange.extra["proxy"]) == (None, settings.proxy)


def test_proxy_from_the_environment_and_no_proxy(origin, proxy) -> None:
    url = origin.url("/page", host="site.test")
    via_env = run(url, BASE, {"HTTP_PROXY": proxy.url("")})
    assert via_env.link.status is LinkStatus.OK
    assert len(proxy.requests) == 1

    bypass = run(url, BASE.replace(allow_private=True),
                 {"http_proxy": proxy.url(""), "no_proxy": "site.test"}, resolver=local)
    assert bypass.link.status is LinkStatus.OK
    assert len(proxy.requests) == 1  # the second request went direct


def test_behind_a_proxy_ip_literals_are_still_checked(origin, proxy) -> None:
    settings = BASE.replace(proxy=proxy.url(""))
    resolution = run(origin.url("/page"), settings)  # http://127.0.0.1:port/page
    assert resolution.link.status is LinkStatus.REFUSED
    assert proxy.accepts == 0


def test_no_netrc_credentials_are_sent(origin, proxy, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login alice password secret\n"
                     "machine site.test login alice password secret\n"
                     "default login bob password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(netrc))
    direct = run(origin.url("/page"), BASE.replace(allow_private=True), resolver=local)
    proxied = run(origin.url("/page", host="site.test"), BASE.replace(proxy=proxy.url("")))
    assert (direct.link.status, proxied.link.status) == (LinkStatus.OK, LinkStatus.OK)
    seen = origin.requests + proxy.requests
    assert len(seen) == 3
    assert all(r.header("Authorization") is None for r in seen)
    assert all(r.header("Proxy-Authorization") is None for r in seen)


def test_a_dead_proxy_means_no_network() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings = BASE.replace(proxy=f"http://127.0.0.1:{closed.getsockname()[1]}", workers=2)
        results: dict[str, Resolution] = {}
        lock = threading.Lock()

        def record(url: str, resolution: Resolution) -> None:
            with lock:
                results[url] = resolution

        urls = [f"http://site{n}.test/" for n in range(12)]
        with FetchSession(settings, resolver=no_dns, environ={}) as session:
            resolve_all(urls, settings, record, session)
            assert session.network_down
    assert {r.link.status for r in results.values()} == {LinkStatus.UNREACHABLE}
    assert sum(r.cause == "no-network" for r in results.values()) >= 6


def test_read_head_helper_gives_up_on_silence() -> None:
    left, right = socket.socketpair()
    with left, right:
        right.close()
        assert read_head(left) is None


def test_https_through_the_proxy_keeps_tls_to_the_origin(serve, proxy, tmp_path: Path) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("secure.test").configure_cert(context)
    origin = serve({"/page": lambda r, c: respond(c, 200, b"tunnelled")}, tls=context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    settings = BASE.replace(proxy=proxy.url(""))
    with FetchSession(settings, resolver=no_dns, environ={}, ca_bundle=str(bundle)) as session:
        resolution = resolve(origin.url("/page", host="secure.test"), settings, session)
    assert resolution.link.status is LinkStatus.OK
    assert proxy.requests[0].method == "CONNECT"
    assert origin.server_names == ["secure.test"]
    assert resolution.exchanges[0].body.read() == b"tunnelled"
    resolution.close()
