"""Replay: archived responses served from /replay/<record>/, sandboxed, never from the live web.

`/replay/<record>/` is the capture itself; `/replay/<record>/res?url=…` is the capture of
another URL nearest in time to that record (its images, stylesheets, the pages it links to),
or 404 when the archive has none. Every response carries `Content-Security-Policy: sandbox`
(no script, an opaque origin with no access to the UI, as the iframe's sandbox attribute also
says) and only lets images, styles, fonts and media come from /replay/.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from urllib.parse import urljoin

from flask import Blueprint, Response, current_app, request, url_for

from citecheck.archive import CaptureRow, StoredResponse, read_response
from citecheck.browse import context
from citecheck.browse.rewrite import (
    header_text,
    replay_headers,
    replay_link,
    rewrite_css,
    rewrite_html,
)
from citecheck.errors import ArchiveError
from citecheck.extract.decode import decode_text, decompress, parse_content_type, sniff_media_type

log = logging.getLogger(__name__)

bp = Blueprint("replay", __name__, url_prefix="/replay")

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BODYLESS = frozenset({204, 304})


@bp.get("/<record>/")
def capture(record: str) -> Response:
    """The archived response of one record, as replayed."""
    index = context.archive_index()
    row = index.capture(context.record_id_of(record))
    if row is None:
        return _missing()
    return _serve(row, record)


@bp.get("/<record>/res")
def resource(record: str) -> Response:
    """The capture of `?url=` nearest in time to `record`, or 404 when it was never archived."""
    index = context.archive_index()
    anchor = index.capture(context.record_id_of(record))
    url = request.args.get("url", "")
    if anchor is None or not url:
        return _missing()
    row = nearest(_captures(url), anchor.ref.timestamp)
    return _serve(row, record) if row else _missing()


def _captures(url: str) -> list[CaptureRow]:
    index = context.archive_index()
    found = index.captures_for(url)
    if not found and url.count("/") == 2:  # https://host and https://host/ are one page
        found = index.captures_for(url + "/")
    return found


def nearest(rows: Sequence[CaptureRow], timestamp: str) -> CaptureRow | None:
    """The capture closest in time to `timestamp` (ISO 8601), the newer one on a tie."""
    moment = _when(timestamp)
    return min(rows, key=lambda row: abs(_when(row.ref.timestamp) - moment), default=None)


def _when(timestamp: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(timestamp)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def _serve(row: CaptureRow, record: str) -> Response:
    index = context.archive_index()
    try:
        stored = read_response(context.archive_dir(), row.ref, locate=index.locate,
                               max_bytes=current_app.config[context.MAX_BODY_KEY])
    except ArchiveError as exc:
        log.warning("cannot replay %s: %s", row.ref.record_id, exc.one_line())
        return _missing()
    location = stored.header("Location")
    if stored.status and 300 <= stored.status < 400 and location:
        return _redirect(stored, row.url, location, record)
    body, content_type = _replayed_body(stored, row.url, record)
    response = Response(body, status=_status(stored.status), headers=replay_headers(
        stored.headers), content_type=content_type)
    return protect(response)


def _replayed_body(stored: StoredResponse, url: str, record: str) -> tuple[bytes, str]:
    """The body decoded (bounded) and, for HTML and CSS, its links pointed into the archive."""
    body = decompress(stored.body, stored.header("Content-Encoding"),
                      current_app.config[context.MAX_DECODED_KEY])
    media, charset = parse_content_type(stored.content_type)
    media = media or sniff_media_type(body) or "application/octet-stream"

    def resolve(target: str) -> str:
        return url_for("replay.resource", record=record, url=target)

    if media in HTML_TYPES or media == "text/css":
        text, _ = decode_text(body, charset)
        rewrite = rewrite_html if media in HTML_TYPES else rewrite_css
        media = "text/html" if media in HTML_TYPES else media
        return rewrite(text, url, resolve).encode("utf-8"), f"{media}; charset=utf-8"
    if charset and media.startswith("text/"):
        return body, f"{media}; charset={header_text(charset)}"
    return body, header_text(media)


def _redirect(stored: StoredResponse, url: str, location: str, record: str) -> Response:
    """An archived redirect leads to the capture of its target, inside the archive."""
    target = replay_link(_join(url, location), url,
                         lambda u: url_for("replay.resource", record=record, url=u))
    response = Response(status=302, headers=replay_headers(stored.headers))
    response.headers["Location"] = target
    return protect(response)


def _join(base: str, location: str) -> str:
    try:
        return urljoin(base, location.strip())
    except ValueError:
        return "about:invalid"


def _status(status: int | None) -> int:
    """The archived status, except those that would make the browser act (3xx, 1xx) or drop
    the body (204, 304)."""
    if status is None or status < 200 or status >= 600 or 300 <= status < 400:
        return 200
    return 200 if status in _BODYLESS else status


def _missing() -> Response:
    return protect(Response("Not in the archive.\n", status=404, mimetype="text/plain"))


def protect(response: Response) -> Response:
    """The headers every replayed response carries: sandbox, replay-only sources, nosniff."""
    sources = f"{request.host_url}replay/"
    response.headers["Content-Security-Policy"] = (
        f"sandbox; default-src 'none'; img-src {sources} data:; "
        f"style-src {sources} 'unsafe-inline'; font-src {sources} data:; media-src {sources}; "
        "frame-ancestors 'self'; form-action 'none'; base-uri 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-DNS-Prefetch-Control"] = "off"
    response.headers["Cache-Control"] = "no-store"
    return response
