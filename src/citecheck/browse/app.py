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


def create_app(archive_dir: Path, *, hosts: Collection[str],
               settings: Settings | None = None) -> Flask:
    """The browse app over one archive, answering only requests whose Host header is in `hosts`.

    `hosts` are `host:port` values as a browser sends them (see `allowed_hosts`).
    """
    settings = settings or Settings()
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "finalize": inert,
                         "undefined": jinja2.StrictUndefined,
                         "trim_blocks": True, "lstrip_blocks": True}
    app.config.update({context.ARCHIVE_KEY: Path(archive_dir),
                       context.HOSTS_KEY: frozenset(h.lower() for h in hosts),
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
    """Every value a template prints, without control characters and bidi overrides.

    Autoescaping then makes the text harmless HTML; this keeps it honest to read (no "Trojan
    Source" reordering). Nothing else changes: evidence is shown as it was found.

    >>> inert("abc\u202e.pdf \x1b[31m::1")
    'abc.pdf [31m::1'
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return _INVISIBLE.sub("", value)
    return value


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the server answers: loopback names and the address it is bound to.

    >>> sorted(allowed_hosts("127.0.0.1", 8080))
    ['127.0.0.1:8080', '[::1]:8080', 'localhost:8080']
    """
    names = {"127.0.0.1", "localhost", "[::1]", url_host(host)}
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:  # browsers leave the default port out
        hosts |= names
    return frozenset(h.lower() for h in hosts)


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
    host = request.headers.get("Host", "").strip().lower()
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
