"""The Flask app factory: routes, the Host check, security headers on every response.

UI pages get a strict CSP of their own (no script at all, styles and frames from this origin
only, never framed). Replayed archive content is served from /replay/ with its own sandboxing
headers (see replay.py) and never inline in the UI's pages.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, Response, current_app, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, MisdirectedRequest

from citecheck.browse import context, replay, views
from citecheck.errors import ArchiveError
from citecheck.settings import Settings

log = logging.getLogger(__name__)

# C0 controls but tab, newline and carriage return; DEL and C1; bidi embeddings, overrides and
# isolates; lone surrogates and the non-characters U+FFFE/U+FFFF
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
UI_CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
          "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
UI_HEADERS = {"Content-Security-Policy": UI_CSP, "X-Frame-Options": "DENY",
              "Cross-Origin-Opener-Policy": "same-origin",
              "Cross-Origin-Resource-Policy": "same-origin"}


def create_app(archive_dir: Path, *, hosts: HostRule | Collection[str],
               settings: Settings | None = None) -> Flask:
    """The browse app over one archive, answering only requests whose Host header is in `hosts`.

    `hosts`: `allowed_hosts(host, port)`, or `host:port` values as a browser sends them.
    """
    settings = settings or Settings()
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "finalize": inert,
                         "undefined": jinja2.StrictUndefined,
                         "trim_blocks": True, "lstrip_blocks": True}
    app.config.update({context.ARCHIVE_KEY: Path(archive_dir),
                       context.HOSTS_KEY: hosts if isinstance(hosts, HostRule) else HostRule(
                           frozenset(h.lower() for h in hosts)),
                       context.MAX_BODY_KEY: settings.max_body,
                       context.MAX_DECODED_KEY: settings.max_decoded})
    app.register_blueprint(views.bp)
    app.register_blueprint(replay.bp)
    app.before_request(_check_host)
    app.after_request(_security_headers)
    app.teardown_appcontext(context.close_index)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ArchiveError, _archive_error)
    return app


def inert(value: Any) -> Any:
    r"""Every value a template prints, without control characters and bidi overrides.

    Autoescaping then makes the text harmless HTML; this keeps it honest to read (no "Trojan
    Source" reordering). Nothing else changes: evidence is shown as it was found.

    >>> inert("abc\u202e.pdf \x1b[31m::1")
    'abc.pdf [31m::1'
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return _INVISIBLE.sub("", value)
    return value


@dataclass(frozen=True)
class HostRule:
    """The Host headers the server answers (a header naming any other host is refused)."""

    names: frozenset[str]  # host:port values, lower case
    any_ip_port: int | None = None  # bound to every address: any IP address on this port

    def __contains__(self, header: object) -> bool:
        if not isinstance(header, str):
            return False
        header = header.strip().lower()
        if header in self.names:
            return True
        return self.any_ip_port is not None and _ip_on_port(header, self.any_ip_port)


def allowed_hosts(host: str, port: int) -> HostRule:
    """The Host headers to answer: loopback names and the address the server is bound to.

    Bound to every address (0.0.0.0, ::), any IP address with the port is answered too: DNS
    rebinding needs a host name, and a name is never accepted but localhost.

    >>> sorted(allowed_hosts("127.0.0.1", 8080).names)
    ['127.0.0.1:8080', '[::1]:8080', 'localhost:8080']
    """
    names = {"127.0.0.1", "localhost", "[::1]", url_host(host)}
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:  # browsers leave the default port out
        hosts |= names
    wildcard = host.strip("[]") in ("0.0.0.0", "::", "")
    return HostRule(frozenset(h.lower() for h in hosts), port if wildcard else None)


def _ip_on_port(header: str, port: int) -> bool:
    """Whether a Host header is an IP address (IPv6 in brackets) with this port."""
    if header.startswith("["):
        address, _, rest = header[1:].partition("]")
        if rest and not rest.startswith(":"):
            return False
        given = rest[1:]
    else:
        address, _, given = header.partition(":")
    if given != str(port) and not (given == "" and port == 80):
        return False
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def url_host(host: str) -> str:
    """A host as written in a URL: IPv6 addresses in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def is_loopback(host: str) -> bool:
    """Whether an address only this machine can reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_host() -> None:
    """Refuse a Host this server is not (DNS rebinding: evil.example resolving to 127.0.0.1)."""
    host = request.headers.get("Host", "")
    if host not in current_app.config[context.HOSTS_KEY]:
        log.warning("refused a request for host %r", host)
        raise MisdirectedRequest("This server only answers for its own address.")


def _security_headers(response: Response) -> Response:
    for name, value in COMMON_HEADERS.items():
        response.headers[name] = value
    if request.blueprint == replay.bp.name:
        return response  # replay.protect() set what archived content needs
    for name, value in UI_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def _http_error(error: HTTPException) -> tuple[str, int]:
    return render_template("error.html", code=error.code, name=error.name,
                           description=error.description), error.code or 500


def _archive_error(error: ArchiveError) -> tuple[str, int]:
    log.error("%s", error.one_line())
    return render_template("error.html", code=503, name="The archive cannot be read",
                           description=error.one_line()), 503
