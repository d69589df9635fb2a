"""A hostile HTTP server on loopback: raw sockets, one route per misbehaviour, hits counted.

Routes (the first path segment picks the behaviour; arguments come from the query string):

    /page                       a small ordinary page
    /noise?size=&seed=          `size` random bytes (seeded): a body that does not compress
    /trickle-body?interval=     headers, then the body one byte per interval
    /trickle-headers?interval=  the status line, then headers one byte per interval
    /silent                     reads the request, never answers
    /gzip-bomb                  200 MB of zeros, gzip-compressed (~200 KB), Content-Encoding gzip
    /gzip-endless               that bomb's gzip member repeated without end (no length)
    /huge                       Content-Length 10 GiB, zeros streamed from a generator
    /huge-chunked               chunked zeros without end
    /big-redirect               302 to /page with a 10 GiB body
    /gzip-redirect              302 to /page whose body is the gzip bomb
    /gzip-moved                 an ordinary 301 to /page with a small gzip-encoded body
    /lying-length?claim=&send=  Content-Length says `claim`, `send` bytes come, then close
                                (&hold=1: then silence, the connection left open)
    /chain/N                    302 to /chain/N-1; /chain/0 is a page
    /loop/a, /loop/b            302 to each other
    /spin/N                     302 to /spin/N+1, without end
    /cookie-spin                302 to itself with a new cookie each time
    /to?addr=URL&status=302     a redirect to any address (&close=1: and hang up)
    /unavailable                503, and hang up
    /refresh?to=, /js?to=, /interstitial?to=   the other kinds of hop, to any address
    /retry-after?value=         429 with that Retry-After
    /many-headers?n=            n response headers
    /long-header?size=          one header line of `size` bytes
    /endless-headers            header lines without end
    /garbage                    something that is not HTTP
    /raw?bytes=                 exactly these (percent-encoded) bytes, then hang up
    /cp1251                     a windows-1251 page with no charset anywhere
    /bad-utf8                   a page declared UTF-8 whose title is not
    /xss                        script, img onerror, workflow commands and escapes in the title
    /huge-meta?size=            title, site name, author, JSON-LD, canonical URL… `size` chars each
    /trap?type=&headers=1       every way a page may run script or call home, each calling
                                /beacon?via=…; `type` its Content-Type ("" none), `headers`
                                adds Set-Cookie, CSP, Refresh, HSTS, Clear-Site-Data, Link…
    /svg-trap                   an SVG image with a script calling /beacon
    /beacon?via=                204: counts what an archived page managed to call

Every loop is bounded in time: handlers stop when the server closes, when the client goes
away, or after HANDLER_LIMIT seconds. `close()` is explicit and joins every thread.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import random
import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

IDLE = 5.0  # seconds a connection may sit without a request
HANDLER_LIMIT = 30.0  # no handler runs longer than this
LIFETIME = 300.0  # no server accepts for longer than this
JOIN_LIMIT = 1.0  # close() waits this long, in all, for the threads to end
CHUNK = 256 * 1024
TEN_GIB = 10 * 2**30
BOMB_SIZE = 200 * 2**20
CLOSE = True  # a handler returns this to drop the connection after its response


@dataclass
class Request:
    """One request as read off the socket."""

    method: str
    target: str
    headers: list[tuple[str, str]]

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    def arg(self, name: str, default: str = "") -> str:
        """A query-string argument (its first value)."""
        return parse_qs(urlsplit(self.target).query).get(name, [default])[0]


Handler = Callable[[Request, socket.socket, "HostileServer"], bool | None]


@functools.cache
def gzip_bomb(size: int = BOMB_SIZE) -> bytes:
    """`size` zero bytes as one gzip member, compressed a MiB at a time (never all in memory)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)  # as small as level 9 for zeros, faster
    zeros = bytes(2**20)
    parts = [packer.compress(zeros) for _ in range(size // len(zeros))]
    return b"".join([*parts, packer.flush()])


def head(status: int, headers: list[tuple[str, str]], reason: str = "OK") -> bytes:
    """A response head: the status line, the headers as given (UTF-8), the blank line."""
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape")


def respond(conn: socket.socket, status: int = 200, body: bytes = b"",
            headers: list[tuple[str, str]] | None = None, reason: str = "OK") -> None:
    """A whole response with its Content-Length."""
    conn.sendall(head(status, [*(headers or []), ("Content-Length", str(len(body)))], reason)
                 + body)


def page(conn: socket.socket, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
    """A 200 page."""
    respond(conn, 200, body, [("Content-Type", content_type)])


def moved(conn: socket.socket, location: str, status: int = 302,
          extra: list[tuple[str, str]] | None = None) -> None:
    """A redirect with a small body."""
    respond(conn, status, b"moved", [("Location", location), *(extra or [])], "Found")


class HostileServer:
    """A threaded raw-socket server: routes by first path segment, counts hits per route."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.stop = threading.Event()
        self.hits: Counter[str] = Counter()
        self.targets: list[str] = []  # every request target, in order
        self.accepts = 0
        self.lock = threading.Lock()
        self.conns: list[socket.socket] = []
        self.threads: list[threading.Thread] = []
        self.routes: dict[str, Handler] = dict(ROUTES)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.sock.bind((host, port))
        except OSError:
            self.sock.close()
            raise
        self.port = self.sock.getsockname()[1]
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self._spawn(self._accept_loop)

    def url(self, path: str = "/page", host: str | None = None) -> str:
        """http://host:port/path (host defaults to the address the server listens on)."""
        return f"http://{host or self.host}:{self.port}{path}"

    def ticks(self, interval: float) -> Iterator[int]:
        """Count up every `interval` s until the server closes or HANDLER_LIMIT passes."""
        until = time.monotonic() + HANDLER_LIMIT
        for n in itertools.count():
            if time.monotonic() > until or self.stop.wait(interval):
                return
            yield n

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self.lock:
            self.threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        until = time.monotonic() + LIFETIME
        while not self.stop.is_set() and time.monotonic() < until:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # timeout, or the socket was closed
                continue
            with self.lock:
                self.accepts += 1
                self.conns.append(conn)
            self._spawn(self._connection, conn)

    def _connection(self, conn: socket.socket) -> None:
        conn.settimeout(IDLE)
        with conn:
            while not self.stop.is_set():
                request = read_request(conn)
                if request is None:
                    return
                route = request.path.strip("/").split("/", 1)[0]
                with self.lock:
                    self.hits[route] += 1
                    self.targets.append(request.target)
                try:
                    if self.routes.get(route, _not_found)(request, conn, self):
                        return
                except OSError:  # the client went away: that is its right
                    return

    def close(self) -> list[threading.Thread]:
        """Stop everything; the threads still alive after JOIN_LIMIT s (none, normally)."""
        self.stop.set()
        with self.lock:
            conns, threads = [self.sock, *self.conns], list(self.threads)
        for conn in conns:  # shutdown wakes a thread blocked in accept() or recv()
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sock.close()
        until = time.monotonic() + JOIN_LIMIT
        for thread in threads:
            thread.join(max(0.0, until - time.monotonic()))
        return [thread for thread in threads if thread.is_alive()]


def read_request(conn: socket.socket) -> Request | None:
    """The next request head on a connection, or None when the client is gone or too slow."""
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
    if b"\r\n\r\n" not in data:
        return None
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, target, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if line]
    return Request(method, target, headers)  # type: ignore[arg-type]


def _not_found(request: Request, conn: socket.socket, server: HostileServer) -> None:
    respond(conn, 404, b"no such route", reason="Not Found")


# --------------------------------------------------------------------------- the routes


def _page(request: Request, conn: socket.socket, server: HostileServer) -> None:
    page(conn, b"<html><head><title>An ordinary page</title></head><body>Hello.</body></html>")


def _noise(request: Request, conn: socket.socket, server: HostileServer) -> None:
    size, seed = int(request.arg("size", "100000")), int(request.arg("seed", "0"))
    respond(conn, 200, random.Random(seed).randbytes(size),
            [("Content-Type", "application/octet-stream")])


def _trickle_body(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    size = int(request.arg("size", "100000"))
    conn.sendall(head(200, [("Content-Type", "text/plain"), ("Content-Length", str(size))]))
    for n in server.ticks(float(request.arg("interval", "0.05"))):
        if n >= size:
            break
        conn.sendall(b"x")
    return CLOSE


def _trickle_headers(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    header = b"X-Slow: " + b"y" * 100_000
    for n in server.ticks(float(request.arg("interval", "0.05"))):
        if n >= len(header):
            break
        conn.sendall(header[n:n + 1])
    return CLOSE


def _silent(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    for _ in server.ticks(0.1):
        pass
    return CLOSE


def _gzip_bomb(request: Request, conn: socket.socket, server: HostileServer) -> None:
    respond(conn, 200, gzip_bomb(), [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])


def _stream(conn: socket.socket, server: HostileServer, chunks: Iterator[bytes]) -> bool:
    """Send chunks until they run out, the client leaves, the server closes or time is up."""
    until = time.monotonic() + HANDLER_LIMIT
    for chunk in chunks:
        if server.stop.is_set() or time.monotonic() > until:
            break
        conn.sendall(chunk)
    return CLOSE


def _zeros(total: int) -> Iterator[bytes]:
    block = bytes(CHUNK)
    for _ in range(total // CHUNK):
        yield block


def _gzip_endless(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    conn.sendall(head(200, [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                            ("Connection", "close")]))
    return _stream(conn, server, itertools.repeat(gzip_bomb()))


def _huge(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    conn.sendall(head(200, [("Content-Type", "application/octet-stream"),
                            ("Content-Length", str(TEN_GIB))]))
    return _stream(conn, server, _zeros(TEN_GIB))


def _huge_chunked(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    conn.sendall(head(200, [("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")]))
    frame = f"{CHUNK:x}\r\n".encode() + bytes(CHUNK) + b"\r\n"
    return _stream(conn, server, itertools.repeat(frame))


def _big_redirect(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    conn.sendall(head(302, [("Location", "/page"), ("Content-Length", str(TEN_GIB))], "Found"))
    return _stream(conn, server, _zeros(TEN_GIB))


def _gzip_redirect(request: Request, conn: socket.socket, server: HostileServer) -> None:
    respond(conn, 302, gzip_bomb(), [("Location", "/page"), ("Content-Encoding", "gzip")], "Found")


GZIP_MOVED = gzip.compress(b"<html><body>Moved to <a href='/page'>/page</a></body></html>")


def _gzip_moved(request: Request, conn: socket.socket, server: HostileServer) -> None:
    respond(conn, 301, GZIP_MOVED, [("Location", "/page"), ("Content-Encoding", "gzip"),
                                    ("Content-Type", "text/html")], "Moved Permanently")


def _lying_length(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    claim, send = int(request.arg("claim", "1000")), int(request.arg("send", "10"))
    conn.sendall(head(200, [("Content-Type", "text/plain"), ("Content-Length", str(claim))])
                 + b"z" * send)
    if request.arg("hold") == "1":  # say no more, and do not hang up either
        for _ in server.ticks(0.1):
            pass
    conn.shutdown(socket.SHUT_WR)
    return CLOSE


def _chain(request: Request, conn: socket.socket, server: HostileServer) -> None:
    left = int(request.path.rsplit("/", 1)[1])
    if left > 0:
        moved(conn, f"/chain/{left - 1}")
    else:
        page(conn, b"<title>The end of the chain</title>")


def _loop(request: Request, conn: socket.socket, server: HostileServer) -> None:
    moved(conn, "/loop/b" if request.path.endswith("/a") else "/loop/a")


def _spin(request: Request, conn: socket.socket, server: HostileServer) -> None:
    moved(conn, f"/spin/{int(request.path.rsplit('/', 1)[1]) + 1}")


def _cookie_spin(request: Request, conn: socket.socket, server: HostileServer) -> None:
    moved(conn, "/cookie-spin", extra=[("Set-Cookie", f"n={server.hits['cookie-spin']}; Path=/")])


def _to(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    close = request.arg("close") == "1"  # the next hop then needs a new connection
    moved(conn, request.arg("addr"), int(request.arg("status", "302")),
          [("Connection", "close")] if close else [])
    return close


def _unavailable(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    respond(conn, 503, b"try later", [("Connection", "close")], "Service Unavailable")
    return CLOSE


def _refresh(request: Request, conn: socket.socket, server: HostileServer) -> None:
    target = request.arg("to")
    page(conn, f'<meta http-equiv="refresh" content="0; url={target}">'.encode())


def _js(request: Request, conn: socket.socket, server: HostileServer) -> None:
    page(conn, f'<script>location.replace("{request.arg("to")}")</script>'.encode())


def _interstitial(request: Request, conn: socket.socket, server: HostileServer) -> None:
    target = request.arg("to")
    page(conn, f'<p>You are being redirected.</p><a href="{target}">Continue</a>'.encode())


def _retry_after(request: Request, conn: socket.socket, server: HostileServer) -> None:
    respond(conn, 429, b"slow down", [("Retry-After", request.arg("value", "3"))],
            "Too Many Requests")


def _many_headers(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    count = int(request.arg("n", "5000"))
    headers = [(f"X-Header-{n}", "v" * 20) for n in range(count)]
    respond(conn, 200, b"ok", headers)
    return CLOSE


def _long_header(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    respond(conn, 200, b"ok", [("X-Long", "L" * int(request.arg("size", "1000000")))])
    return CLOSE


def _endless_headers(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    lines = (f"X-More-{n}: {'m' * 60}\r\n".encode() for n in itertools.count())
    return _stream(conn, server, lines)


def _raw(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    query = urlsplit(request.target).query  # not parse_qs: it would decode the bytes as UTF-8
    conn.sendall(unquote_to_bytes(query.removeprefix("bytes=")))
    conn.shutdown(socket.SHUT_WR)
    return CLOSE


def _garbage(request: Request, conn: socket.socket, server: HostileServer) -> bool:
    conn.sendall(b"SSH-2.0-OpenSSH_9.9\r\n" + bytes(range(256)) * 16)
    return CLOSE


CP1251_PAGE = ("<html><head><title>Доклад о правах человека</title></head>"
               "<body><p>Текст страницы.</p></body></html>").encode("cp1251")
BAD_UTF8_PAGE = (b"<html><head><title>Report \xff\xfe\xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80"
                 b"</title></head><body>x</body></html>")
XSS_TITLE = ("\x1b[2J\x1b[31mRed alert\x1b[0m \x1b]8;;https://evil.example/\x07link\x1b]8;;\x07"
             "\n::error file=README.md::pwned\r\n##[error]legacy ##vso[task.setvariable "
             "variable=PATH]/tmp/evil \u202egnp.exe\u202c <script>alert(1)</script>")
XSS_PAGE = (f"<html><head><title>{XSS_TITLE}</title>"
            '<meta property="og:title" content="::warning::og &lt;img src=x onerror=alert(1)&gt;">'
            "</head><body><script>alert(document.cookie)</script>"
            "<img src=x onerror=alert(1)>\n::error::from the body\n##[warning]body\n"
            "</body></html>").encode()


def _huge_meta(request: Request, conn: socket.socket, server: HostileServer) -> None:
    big = "Big " * (int(request.arg("size", "1000000")) // 4)
    ld = f'{{"@type": "NewsArticle", "headline": "{big}", "author": {{"name": "{big}"}}, ' \
         f'"publisher": {{"name": "{big}"}}, "datePublished": "2023-03-14"}}'
    page(conn, (f'<html lang="{big}"><head><title>{big}</title>'
                f'<meta property="og:title" content="{big}">'
                f'<meta property="og:site_name" content="{big}">'
                f'<meta name="author" content="{big}"><meta name="publisher" content="{big}">'
                f'<link rel="canonical" href="/{big.replace(" ", "-")}">'
                f'<script type="application/ld+json">{ld}</script></head>'
                f"<body><h1>{big}</h1><p>{big}</p></body></html>").encode())


SCRIPT_RAN = "trap-script-ran"  # what a trap's script would set the title and storage to
TRAP_TITLE = "Trap <script>alert(1)</script> <img src=x onerror=alert(2)> ::error::t"


def trap_page(beacon: str) -> str:
    """A page that tries every way to run script or reach `beacon` (a URL taking ?via=)."""
    b = f"{beacon}?via="
    script = (f"fetch('{b}fetch');document.title='{SCRIPT_RAN}';try{{parent.document.title="
              f"'{SCRIPT_RAN}'}}catch(e){{}};try{{localStorage.setItem('{SCRIPT_RAN}','1')}}"
              "catch(e){};alert(1);"
              f"new Image().src='{b}image-js';document.forms[0].submit()")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{TRAP_TITLE.replace("<", "&lt;").replace(">", "&gt;")}</title>
<meta http-equiv="refresh" content="0; url={b}meta-refresh">
<meta http-equiv="Set-Cookie" content="trap=1">
<meta http-equiv="Content-Security-Policy" content="script-src * 'unsafe-inline'">
<base href="{beacon.rsplit('/', 1)[0]}/base/">
<link rel="stylesheet" href="{b}css"><link rel="prefetch" href="{b}prefetch">
<link rel="preload" as="script" href="{b}preload"><link rel="icon" href="{b}icon">
<script src="{b}script-src"></script><script>{script}</script>
<style>body {{ background: url('{b}css-url') }} @import '{b}css-import';</style>
</head><body onload="fetch('{b}onload')">
<h1>Trap</h1><img src=x onerror="fetch('{b}onerror')"><img src="{b}img">
<img srcset="{b}srcset 2x"><iframe src="{b}iframe"></iframe>
<iframe srcdoc="&lt;script&gt;parent.fetch('{b}srcdoc')&lt;/script&gt;"></iframe>
<object data="{b}object"></object><embed src="{b}embed">
<svg><script>fetch('{b}svg')</script><image href="{b}svg-image"/>
<image xlink:href="{b}svg-xlink"/><a xlink:href="javascript:fetch('{b}svg-a')"><text>a</text></a>
<animate attributeName="href" to="javascript:fetch('{b}animate')"/></svg>
<form action="{b}form" method="post"><input name="a" value="b"></form>
<a href="javascript:fetch('{b}js-link')" id="go">go</a><a href="{b}link">live link</a>
<video src="{b}video" autoplay></video><audio src="{b}audio" autoplay></audio>
<div style="background:url({b}inline-style)">styled</div>
<math><mi xlink:href="javascript:fetch('{b}mathml')">m</mi></math>
</body></html>"""


TRAP_HEADERS = [
    ("Set-Cookie", "session=stolen; Path=/"), ("Content-Security-Policy", "script-src *"),
    ("Refresh", "0;url={b}refresh-header"), ("Strict-Transport-Security", "max-age=31536000"),
    ("Clear-Site-Data", '"*"'), ("Link", "<{b}link-header>; rel=preload; as=script"),
    ("X-Frame-Options", "ALLOWALL"), ("Access-Control-Allow-Origin", "*"),
    ("Service-Worker-Allowed", "/"), ("Content-Disposition", "inline; filename=x.html"),
]


def _trap(request: Request, conn: socket.socket, server: HostileServer) -> None:
    beacon = server.url("/beacon")
    extra = [(name, value.format(b=f"{beacon}?via="))
             for name, value in (TRAP_HEADERS if request.arg("headers") == "1" else [])]
    kind = request.arg("type", "text/html; charset=utf-8")
    headers = [*extra, *([("Content-Type", kind)] if kind else [])]
    respond(conn, 200, trap_page(beacon).encode(), headers)


def _svg_trap(request: Request, conn: socket.socket, server: HostileServer) -> None:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'{server.url("/beacon")}'
           f'?via=svg-onload\')"><script>fetch("{server.url("/beacon")}?via=svg-script")'
           '</script><text y="20">svg</text></svg>')
    page(conn, svg.encode(), "image/svg+xml")


def _beacon(request: Request, conn: socket.socket, server: HostileServer) -> None:
    respond(conn, 204, reason="No Content")


def _fixed(body: bytes, content_type: str) -> Handler:
    def handler(request: Request, conn: socket.socket, server: HostileServer) -> None:
        page(conn, body, content_type)
    return handler


ROUTES: dict[str, Handler] = {
    "page": _page,
    "noise": _noise,
    "trickle-body": _trickle_body,
    "trickle-headers": _trickle_headers,
    "silent": _silent,
    "gzip-bomb": _gzip_bomb,
    "gzip-endless": _gzip_endless,
    "huge": _huge,
    "huge-chunked": _huge_chunked,
    "big-redirect": _big_redirect,
    "gzip-redirect": _gzip_redirect,
    "gzip-moved": _gzip_moved,
    "lying-length": _lying_length,
    "chain": _chain,
    "loop": _loop,
    "spin": _spin,
    "cookie-spin": _cookie_spin,
    "to": _to,
    "unavailable": _unavailable,
    "refresh": _refresh,
    "js": _js,
    "interstitial": _interstitial,
    "retry-after": _retry_after,
    "many-headers": _many_headers,
    "long-header": _long_header,
    "endless-headers": _endless_headers,
    "garbage": _garbage,
    "raw": _raw,
    "cp1251": _fixed(CP1251_PAGE, "text/html"),
    "bad-utf8": _fixed(BAD_UTF8_PAGE, "text/html; charset=utf-8"),
    "xss": _fixed(XSS_PAGE, "text/html; charset=utf-8"),
    "huge-meta": _huge_meta,
    "trap": _trap,
    "svg-trap": _svg_trap,
    "beacon": _beacon,
}
