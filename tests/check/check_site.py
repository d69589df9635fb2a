"""A pretend news site on 127.0.0.1 whose answers the tests change between `run` and `check`.

The report, the articles and their sentences are written for these tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from werkzeug import Request, Response

SRC = Path(__file__).resolve().parents[2] / "src"

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Freedonia Monitor</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Freedonia Monitor">
<meta property="article:published_time" content="{date}T09:00:00Z">
</head><body><h1>{title}</h1><p class="byline">Published {date}</p>
<p>{text}</p></body></html>"""

LOREM = ("The monitors visited the detention centre on three occasions and spoke with lawyers, "
         "relatives and former detainees, who described crowded cells, little food and no "
         "access to a doctor for weeks at a time. ")

PAGES = {
    "/articles/steady": ("Water shortages in the northern district", "2023-01-10"),
    "/articles/dies": ("Detainees describe beatings in police cells", "2023-03-14"),
    "/articles/moved": ("Court orders release of journalist", "2023-05-02"),
    "/articles/rewritten": ("Prison conditions worsen across the country", "2022-09-06"),
    "/articles/flaps": ("Lawyers barred from visiting clients", "2023-06-20"),
    "/articles/hostile": ("Officials deny reports of abuse", "2023-07-01"),
}

NOTES = [
    ("/articles/steady", "Water shortages in the northern district", "10 January 2023"),
    ("/articles/dies", "Detainees describe beatings in police cells", "14 March 2023"),
    ("/s/moved", "Court orders release of journalist", "2 May 2023"),
    ("/articles/rewritten", "Prison conditions worsen across the country", "6 September 2022"),
    ("/articles/flaps", "Lawyers barred from visiting clients", "20 June 2023"),
    ("/articles/hostile", "Officials deny reports of abuse", "1 July 2023"),
]

OFFLINE_NOTE = "7"  # a web-like source with no link: the offline checks say link-missing
HOSTILE_TITLE = "Officials\x1b[31m deny\x07 it\n::error file=x.txt,line=1::pwned %0A::warning::"


def report_text(base: str) -> str:
    """A report in the Apache POI text style: one sentence and its note per line."""
    lines = ["Our report on detention in Freedonia."]
    for number, (path, title, date) in enumerate(NOTES, start=1):
        lines.append(f"Sentence {number} cites a source[footnoteRef:{number}]. [{number}:  "
                     f"{title}, Freedonia Monitor, {date}, link: {base}{path} ]")
    lines.append(f"A source without a link[footnoteRef:{OFFLINE_NOTE}]. [{OFFLINE_NOTE}:  "
                 "Guards go on strike at the harbour, Freedonia Monitor, 3 April 2023 ]")
    return "\n".join(lines) + "\n"


def article(title: str, date: str, text: str) -> Response:
    """An article page."""
    return Response(ARTICLE.format(title=title, date=date, text=text),
                    content_type="text/html; charset=utf-8")


def text_for(path: str) -> str:
    """The body text of an article: its own sentence, then shared paragraphs."""
    return f"This article is about {PAGES[path][0].lower()}. " + LOREM * 6


class Site:
    """Routes of the pretend site; tests swap a route's answer between commands."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[Request], Response]] = {}
        for path, (title, date) in PAGES.items():
            self.routes[path] = self.page(title, date, text_for(path))
        self.routes["/s/moved"] = self.redirect("/articles/moved")
        self.routes["/articles/never"] = self.gone()
        self.routes["/"] = lambda request: Response(
            "<html><head><title>Freedonia Monitor</title></head><body><h1>Latest news</h1>"
            "<p>Home of the Freedonia Monitor.</p></body></html>", content_type="text/html")

    @staticmethod
    def page(title: str, date: str, text: str) -> Callable[[Request], Response]:
        """A route answering with an article."""
        return lambda request: article(title, date, text)

    @staticmethod
    def redirect(target: str) -> Callable[[Request], Response]:
        """A route answering with a permanent redirect."""
        return lambda request: Response("moved", status=301, headers={"Location": target})

    @staticmethod
    def gone() -> Callable[[Request], Response]:
        """A route answering 404."""
        return lambda request: Response("not found", status=404)

    def serve(self, server) -> None:
        """Register every route on a pytest-httpserver server."""
        for path in self.routes:
            server.expect_request(path).respond_with_handler(
                lambda request, p=path: self.routes[p](request))

    # the changes the tests make -------------------------------------------------------

    def kill(self, path: str) -> None:
        """The page is removed."""
        self.routes[path] = self.gone()

    def revive(self, path: str) -> None:
        """The page is back as it was."""
        title, date = PAGES[path]
        self.routes[path] = self.page(title, date, text_for(path))

    def move_to_home(self) -> None:
        """The short link now redirects to the home page."""
        self.routes["/s/moved"] = self.redirect("/")

    def rewrite(self) -> None:
        """The article is rewritten under a new title and date."""
        self.routes["/articles/rewritten"] = self.page(
            "Government announces prison reform", "2024-02-01",
            "The ministry announced a reform of the prison service on Monday. " * 20)

    def turn_hostile(self) -> None:
        """The page's new title carries escapes and fake workflow commands."""
        self.routes["/articles/hostile"] = self.page(
            HOSTILE_TITLE, "2023-07-01", "Nothing else remains of this page. " * 10)


def hits(server, path: str) -> int:
    """How many requests for `path` the server has answered."""
    return sum(1 for request, _ in server.log if request.path == path)


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def citecheck(folder: Path, *args: str, now: str | None = None) -> subprocess.CompletedProcess:
    """The CLI as a subprocess in `folder`, with CITECHECK_NOW when given."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CITECHECK_NOW", None)
    env.pop("GITHUB_WORKSPACE", None)
    if now:
        env["CITECHECK_NOW"] = now
    return subprocess.run([sys.executable, "-m", "citecheck", *args], cwd=folder, env=env,
                          capture_output=True, timeout=120)


def by_id(report: dict) -> dict[str, dict]:
    """The report's citations by note id."""
    return {c["id"]: c for c in report["citations"]}


def codes(citation: dict) -> set[str]:
    """The finding codes of one citation."""
    return {f["code"] for f in citation["findings"]}


def finding(citation: dict, code: str) -> dict:
    """The one finding of a citation with this code."""
    found = [f for f in citation["findings"] if f["code"] == code]
    assert len(found) == 1, citation["findings"]
    return found[0]
