"""Broken HTTP responses, byte for byte: every one ends as an outcome, none as an exception.

The hostile server's /raw route sends exactly the bytes given and hangs up. Each response is
resolved in this process (the hostile server is on 127.0.0.1: allow_private) and the status
it ends in is pinned, so that a change of behaviour is seen.
"""

from __future__ import annotations

import gzip
from urllib.parse import quote_from_bytes

import pytest
from hostile_server import HostileServer
from hostile_stage import QUICK

from citecheck.fetch.resolver import Resolution, resolve
from citecheck.fetch.session import FetchSession
from citecheck.models import HopKind, LinkStatus

OK, DEAD, UNREACHABLE = LinkStatus.OK, LinkStatus.DEAD, LinkStatus.UNREACHABLE
H = b"HTTP/1.1 200 OK\r\n"
HTML = b"Content-Type: text/html\r\n"
REFRESH = b"<meta http-equiv=refresh content='0;url=/page'>"

# name, the response, the status it ends in, and whether a hop was followed after it
RESPONSES = [
    ("hostile cookies", H + b"Set-Cookie: a=b; max-age=99999999999999999999999\r\n"
     b"Set-Cookie: =; domain=.\r\nSet-Cookie: x=y; expires=Fri, 31 Dec 99999 23:59:59 GMT\r\n"
     b"Set-Cookie: \xff\xfe=\x00\r\nContent-Length: 2\r\n\r\nok", OK, False),
    ("hostile cookies on a redirect", b"HTTP/1.1 302 Found\r\nSet-Cookie: a=b; domain=127.0.0.1;"
     b" path=/\xff\r\nSet-Cookie: c; Max-Age=-1\r\nLocation: /page\r\nContent-Length: 0\r\n\r\n",
     OK, True),
    ("chunk size not hex", H + b"Transfer-Encoding: chunked\r\n\r\nzzz\r\nhello\r\n0\r\n\r\n",
     OK, False),
    ("chunk size of 2**80", H + b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nhi\r\n",
     OK, False),
    ("transfer-encoding gzip, chunked", H + b"Transfer-Encoding: gzip, chunked\r\n\r\n"
     b"5\r\nhello\r\n0\r\n\r\n", OK, False),
    ("gzip that is not gzip", H + HTML + b"Content-Encoding: gzip\r\nContent-Length: 10\r\n\r\n"
     b"0123456789", OK, False),
    ("deflate that is not deflate", H + HTML + b"Content-Encoding: deflate\r\n"
     b"Content-Length: 10\r\n\r\n0123456789", OK, False),
    ("encodings nobody decodes", H + HTML + b"Content-Encoding: br, zstd, gzip\r\n"
     b"Content-Length: 10\r\n\r\n0123456789", OK, False),
    ("a refresh inside a gzip bomb", H + HTML + b"Content-Encoding: gzip\r\n\r\n"
     + gzip.compress(REFRESH + b" " * 10_000_000), OK, True),
    ("HTTP/1.0 without a length", b"HTTP/1.0 200 OK\r\n" + HTML + b"\r\n<title>x</title>", OK,
     False),
    ("HTTP/0.9", b"<html>hello</html>", UNREACHABLE, False),
    ("status 999", b"HTTP/1.1 999 Weird\r\nContent-Length: 0\r\n\r\n", DEAD, False),
    ("103 before the response", b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
     b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", UNREACHABLE, False),
    ("100 Continue without end", b"HTTP/1.1 100 Continue\r\n\r\n" * 2000, UNREACHABLE, False),
    ("no reason phrase", b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", OK, False),
    ("301 without Location", b"HTTP/1.1 301 Moved\r\nContent-Length: 0\r\n\r\n", UNREACHABLE,
     False),
    ("two Content-Lengths", H + b"Content-Length: 2\r\nContent-Length: 5\r\n\r\nhello",
     UNREACHABLE, False),
    ("negative Content-Length", H + b"Content-Length: -1\r\n\r\nhello", OK, False),
    ("Content-Length 1e3", H + b"Content-Length: 1e3\r\n\r\nhello", OK, False),
    ("a header without a colon", H + b"NoColonHere\r\nContent-Length: 2\r\n\r\nok", OK, False),
    ("a folded header", H + b"X-A: a\r\n  continued\r\nContent-Length: 2\r\n\r\nok", OK, False),
    ("bare LF line ends", b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok", OK, False),
    ("NUL in a header", H + b"X-Nul: a\x00b\r\nContent-Length: 2\r\n\r\nok", OK, False),
    ("a charset of garbage", H + b"Content-Type: text/html; charset=\"\x00\xff\"\r\n\r\n"
     + REFRESH, OK, True),
    ("Retry-After 1e999 on a 503", b"HTTP/1.1 503 X\r\nRetry-After: 1e999\r\n"
     b"Content-Length: 0\r\n\r\n", DEAD, False),
    ("a Latin-1 Location", b"HTTP/1.1 302 Found\r\nLocation: /p\xe4ge\xff\r\n"
     b"Content-Length: 0\r\n\r\n", DEAD, True),
    ("two Locations", b"HTTP/1.1 302 Found\r\nLocation: /page\r\n"
     b"Location: http://127.0.0.1:9/\r\nContent-Length: 0\r\n\r\n", OK, True),
    ("nothing at all", b"", UNREACHABLE, False),
    ("a status line only", b"HTTP/1.1 200 OK\r\n", OK, False),
]


def resolve_raw(server: HostileServer, response: bytes) -> Resolution:
    settings = QUICK.replace(allow_private=True, retries=1)
    with FetchSession(settings, environ={}, sleep=lambda seconds: None) as session:
        resolution = resolve(server.url("/raw?bytes=" + quote_from_bytes(response, safe="")),
                             settings, session)
    resolution.close()
    return resolution


@pytest.mark.parametrize("response, status, followed", [r[1:] for r in RESPONSES],
                         ids=[r[0] for r in RESPONSES])
def test_broken_responses_end_as_outcomes(hostile: HostileServer, response: bytes,
                                          status: LinkStatus, followed: bool) -> None:
    resolution = resolve_raw(hostile, response)
    assert resolution.link.status is status
    assert (resolution.link.hops[0].kind is not HopKind.FINAL) == followed
