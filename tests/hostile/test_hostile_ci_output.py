"""CI output: nothing a fetched page says may become a workflow command or a terminal escape.

The hostile server's pages (script and onerror HTML, workflow commands and ANSI escapes in the
title, a windows-1251 page with no charset, a title that is not UTF-8) are fetched for real;
their titles, read every way an extractor might read them, go into a RunResult with the
resolver's own LinkResult, and every report format must come out inert.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import lxml.html
import pytest
from charset_normalizer import from_bytes
from hostile_output import assert_inert, run_with
from hostile_server import HostileServer
from hostile_stage import QUICK

from citecheck.fetch.resolver import Resolution, resolve
from citecheck.fetch.session import FetchSession
from citecheck.report import FORMATS, render

PAGES = ["xss", "cp1251", "bad-utf8"]
WIDTHS = [20, 40, 80, 100, 160]
# Redirect targets whose text ends up in the link's URL or reason.
TARGETS = ["/page/\x1b[31m::error::red", "/page/%0A::warning::x%1B[2J",
           "/\u202egnp.exe", "http://bad host.example/::notice::x", "/%E2%80%AE%0D%0A##vso[x]y"]


def fetch(server: HostileServer, path: str) -> tuple[Resolution, bytes]:
    """Resolve a page of the hostile server; its final body as received."""
    settings = QUICK.replace(allow_private=True)
    with FetchSession(settings, environ={}) as session:
        resolution = resolve(server.url(path), settings, session)
        body = resolution.exchanges[-1].body.read() if resolution.exchanges else b""
    resolution.close()
    return resolution, body


def titles(body: bytes) -> list[str]:
    """Every title an extractor might make of a page: lxml's, og:title, the raw <title> decoded
    as UTF-8 (strict-less, with lone surrogates), windows-1251, Latin-1, and as guessed."""
    tree = lxml.html.fromstring(body)
    raw = re.search(rb"<title>(.*?)</title>", body, re.DOTALL)
    guessed = re.search(r"<title>(.*?)</title>", str(from_bytes(body).best() or ""), re.DOTALL)
    assert raw is not None and guessed is not None
    found = [tree.findtext(".//title") or "", *tree.xpath("//meta[@property='og:title']/@content"),
             guessed.group(1), raw.group(1).decode("latin-1"),
             *(raw.group(1).decode(codec, errors) for codec, errors in [
                 ("utf-8", "surrogateescape"), ("utf-8", "replace"), ("cp1251", "replace")])]
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("route", PAGES)
def test_titles_of_hostile_pages_are_inert(hostile: HostileServer, route: str, fmt: str) -> None:
    resolution, body = fetch(hostile, f"/{route}")
    found = titles(body)
    assert len(found) >= 3
    for title in found:
        run = run_with(title, url=resolution.link.url, link=resolution.link)
        for width in WIDTHS if fmt == "text" else [100]:
            assert_inert(render(run, fmt, width=width), fmt)


@pytest.mark.parametrize("route", PAGES)
def test_coloured_text_carries_only_colour(hostile: HostileServer, route: str) -> None:
    _, body = fetch(hostile, f"/{route}")
    for title in titles(body):
        assert_inert(render(run_with(title), "text", color=True, width=60), "text", color=True)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("target", TARGETS)
def test_hostile_redirect_targets_are_inert(hostile: HostileServer, target: str,
                                            fmt: str) -> None:
    resolution, _ = fetch(hostile, f"/to?addr={quote(target)}")
    link = resolution.link
    run = run_with("plain", url=link.url, link=link, reason=link.reason)
    assert_inert(render(run, fmt, width=60), fmt)
