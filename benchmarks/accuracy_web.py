"""A pretend web for accuracy runs: saved pages under their original URLs, behind a local proxy.

`PretendWeb` says what each URL answers: a page (the saved bytes), a redirect, a site's home
page, and for any other URL of a known site a 404 page, as a real site would. `InterceptingProxy`
serves it as a forward proxy on 127.0.0.1: plain `GET http://…` requests, and `CONNECT` tunnels
whose TLS it ends itself with a certificate from a throwaway CA (trustme), so `https://` URLs keep
their scheme. citecheck reaches it with `--proxy` and trusts the CA through `ca_bundle` in
citecheck.toml. Used by benchmarks/accuracy_eval.py and tests/accuracy/.
"""

from __future__ import annotations

import logging
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import idna
import trustme

log = logging.getLogger(__name__)

NOT_FOUND = (b"<!doctype html><html><head><title>404 Not Found</title></head><body>"
             b"<h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
             b"</body></html>")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Reply:
    """One answer of the pretend web."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def ascii_host(url: str) -> str:
    """A URL's host as it goes on the wire: lower case, IDNA ("stössenseer.de" -> "xn--…")."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host if host.isascii() else idna.encode(host, uts46=True).decode("ascii")


def url_key(url: str) -> str:
    """One spelling per URL: host in IDNA, scheme lower case, default port and fragment dropped."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), ascii_host(url)
    port = f":{parts.port}" if parts.port and parts.port != DEFAULT_PORTS.get(scheme) else ""
    query = f"?{unquote(parts.query)}" if parts.query else ""
    return f"{scheme}://{host}{port}{unquote(parts.path) or '/'}{query}"


def wire_url(url: str) -> str:
    """A URL as a well-behaved server writes it in a Location header: IDNA host, %-escaped path."""
    parts = urlsplit(url)
    netloc = ascii_host(url) + (f":{parts.port}" if parts.port else "")
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def home_url(url: str) -> str:
    """The home page of a URL's site: scheme and host with the path "/"."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def html_type(charset: str | None) -> str:
    """The Content-Type for saved HTML in a charset ("utf-8 (BOM)" -> utf-8; None: no charset)."""
    name = (charset or "").split(" ")[0].strip()
    return f"text/html; charset={name}" if name else "text/html"


@dataclass
class PretendWeb:
    """What each URL answers; unknown URLs of known hosts are 404, unknown hosts 502."""

    replies: dict[str, Reply] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, url: str, reply: Reply) -> None:
        """Answer `url` with `reply`."""
        self.replies[url_key(url)] = reply
        self.hosts.add(ascii_host(url))

    def add_page(self, url: str, body: bytes, charset: str | None = "utf-8") -> None:
        """A saved page under its URL, sent with the charset it is saved in."""
        self.add(url, Reply(200, body, html_type(charset)))

    def add_redirect(self, url: str, target: str, status: int = 301) -> None:
        """A redirect from `url` to `target`."""
        self.add(url, Reply(status, b"", "text/plain", location=target))

    def answer(self, url: str) -> Reply:
        """The reply for a requested URL (and the request is counted)."""
        key = url_key(url)
        with self.lock:
            self.requests.append(key)
        reply = self.replies.get(key)
        if reply is not None:
            return reply
        if (urlsplit(key).hostname or "") in self.hosts:
            return Reply(404, NOT_FOUND)
        return Reply(502, b"unknown host", "text/plain")


class _Handler(BaseHTTPRequestHandler):
    """Proxy requests: absolute URLs over plain HTTP, or requests inside a CONNECT tunnel."""

    protocol_version = "HTTP/1.1"
    server: _ProxyServer
    tunnel: str | None = None  # "https://host[:port]" once a CONNECT tunnel is open

    def do_CONNECT(self) -> None:
        host, _, port = self.path.rpartition(":")
        self.send_response(200, "Connection established")
        self.end_headers()
        try:
            conn = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log.debug("TLS with the client failed for %s: %s", self.path, exc)
            self.close_connection = True
            return
        self.connection = conn
        self.rfile = conn.makefile("rb", -1)
        self.wfile = socketserver._SocketWriter(conn)
        self.tunnel = f"https://{host}" + ("" if port == "443" else f":{port}")
        self.close_connection = False

    def do_GET(self) -> None:
        self._reply(send_body=True)

    def do_HEAD(self) -> None:
        self._reply(send_body=False)

    def _reply(self, *, send_body: bool) -> None:
        # the target as sent: http.server folds a leading "//" of self.path into "/"
        target = self.requestline.split(" ")[1]
        url = self.tunnel + target if self.tunnel else target
        reply = self.server.web.answer(url)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.location:
            self.send_header("Location", wire_url(reply.location))
        self.end_headers()
        if send_body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("proxy: " + format, *args)


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, web: PretendWeb, tls: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.web = web
        self.tls = tls


class InterceptingProxy:
    """A forward proxy on 127.0.0.1 that answers from a PretendWeb and ends TLS itself."""

    def __init__(self, web: PretendWeb) -> None:
        self.web = web
        self.ca = trustme.CA()
        hosts = sorted(host for host in web.hosts if host)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(*hosts).configure_cert(tls)
        self.server = _ProxyServer(web, tls)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The proxy's URL, for `--proxy`."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def write_ca(self, path: Path) -> Path:
        """Write the CA certificate (PEM) that signed the proxy's certificates."""
        self.ca.cert_pem.write_to_path(str(path))
        return path

    def __enter__(self) -> InterceptingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
