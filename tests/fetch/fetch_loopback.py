"""Tiny threaded HTTP servers on loopback for the network tests; every loop is bounded in time."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

IDLE = 5.0  # seconds a server waits for anything before giving up on a connection


@dataclass
class Request:
    """One request as the server read it."""

    method: str
    target: str
    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


Handler = Callable[[Request, socket.socket], None]


def respond(conn: socket.socket, status: int = 200, body: bytes = b"",
            headers: list[tuple[str, str]] | None = None, *, reason: str = "OK",
            length: int | None = None) -> None:
    """Send a whole response; Content-Length from the body unless given."""
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{k}: {v}" for k, v in headers or []]
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def html(conn: socket.socket, page: str, status: int = 200) -> None:
    respond(conn, status, page.encode(), [("Content-Type", "text/html; charset=utf-8")])


def redirect(location: str, status: int = 302, *, close: bool = False) -> Handler:
    def handler(request: Request, conn: socket.socket) -> None:
        extra = [("Connection", "close")] if close else []
        respond(conn, status, b"moved", [("Location", location), *extra], reason="Found")
    return handler


def read_head(conn: socket.socket) -> bytes | None:
    """The request head (up to the blank line), or None when the client went away."""
    data = b""
    until = time.monotonic() + IDLE
    while b"\r\n\r\n" not in data and time.monotonic() < until and len(data) < 65536:
        try:
            chunk = conn.recv(4096)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    return data if b"\r\n\r\n" in data else None


def parse_head(data: bytes) -> Request:
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if line]
    return Request(method, target, headers)  # type: ignore[arg-type]


@dataclass
class Server:
    """A loopback server: routes by path, counts accepts and concurrent requests."""

    routes: dict[str, Handler] = field(default_factory=dict)
    host: str = "127.0.0.1"
    port: int = 0
    accepts: int = 0
    requests: list[Request] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    tls: ssl.SSLContext | None = None
    server_names: list[str | None] = field(default_factory=list)  # SNI of each TLS handshake

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.conns: list[socket.socket] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((self.host, self.port))
        self.port = self.sock.getsockname()[1]
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str = "/", host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def _serve(self) -> None:
        until = time.monotonic() + 60
        while not self.stopping.is_set() and time.monotonic() < until:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with self.lock:
                self.accepts += 1
                self.conns.append(conn)
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        conn.settimeout(IDLE)
        if self.tls is not None:
            self.tls.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                return  # the client refused our certificate
        with conn:
            while not self.stopping.is_set():
                head = read_head(conn)
                if head is None:
                    return
                request = parse_head(head)
                handler = self.routes.get(request.target.split("?")[0], _not_found)
                with self.lock:
                    self.requests.append(request)
                    self.active += 1
                    self.max_active = max(self.max_active, self.active)
                try:
                    handler(request, conn)
                except OSError:
                    return
                finally:
                    with self.lock:
                        self.active -= 1

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()
        with self.lock:
            for conn in self.conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _not_found(request: Request, conn: socket.socket) -> None:
    respond(conn, 404, b"no such page", reason="Not Found")


def trickle(conn: socket.socket, data: bytes, interval: float, stop: threading.Event) -> None:
    """Send one byte per interval until done, the client leaves, or the test ends."""
    for byte in data:
        if stop.wait(interval):
            return
        conn.sendall(bytes([byte]))


def hold(stop: threading.Event, seconds: float = IDLE) -> None:
    """Say nothing until the test ends (bounded)."""
    stop.wait(seconds)


@contextlib.contextmanager
def servers_until(stop: threading.Event) -> Iterator[Callable[..., Server]]:
    """start(routes, **kwargs) -> a running Server; at the end `stop` is set, every one closed."""
    servers: list[Server] = []

    def start(routes: dict[str, Handler] | None = None, **kwargs) -> Server:
        server = Server(routes or {}, **kwargs)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        stop.set()
        for server in servers:
            server.close()
