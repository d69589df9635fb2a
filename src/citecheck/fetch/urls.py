"""URL checks before any request (pure): what is invalid, what is refused, how hops compare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import idna
from requests.utils import requote_uri

from citecheck.fetch.guard import host_refusal
from citecheck.models import LinkStatus

SCHEMES = ("http", "https")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
_HOST_CHARS = re.compile(r"^[\w.\-]+$")  # letters (any script), digits, dot, hyphen, underscore


@dataclass(frozen=True)
class UrlProblem:
    """Why a URL is not requested: invalid-url or refused, with a one-line reason."""

    status: LinkStatus
    reason: str


def url_problem(url: str, *, check_address: bool = True) -> UrlProblem | None:
    """None when `url` may be requested; else whether it is invalid or refused, and why."""
    if _SPACE_OR_CONTROL.search(url):
        return UrlProblem(LinkStatus.INVALID_URL, "the URL contains a space or control character")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return UrlProblem(LinkStatus.INVALID_URL, f"the URL cannot be parsed ({exc})")
    scheme = parts.scheme.lower()
    if "\\" in parts.netloc:  # urlsplit reads the host after it, urllib3 and browsers before
        return UrlProblem(LinkStatus.INVALID_URL, "the URL has a backslash in its host part")
    if not scheme or (scheme in SCHEMES and not url[len(scheme):].startswith("://")):
        return UrlProblem(LinkStatus.INVALID_URL, "the URL has no http:// or https:// scheme")
    if scheme not in SCHEMES:
        return UrlProblem(LinkStatus.REFUSED, f"the {scheme}: scheme is not fetched")
    return _host_problem(parts.hostname or "", check_address)


def _host_problem(host: str, check_address: bool) -> UrlProblem | None:
    if not host:
        return UrlProblem(LinkStatus.INVALID_URL, "the URL has no host")
    if ":" not in host and not _valid_name(host):
        return UrlProblem(LinkStatus.INVALID_URL, f"{host!r} is not a valid host name")
    reason = host_refusal(host) if check_address else None
    if reason:
        return UrlProblem(LinkStatus.REFUSED, f"{host} is a {reason} address")
    return None


def _valid_name(host: str) -> bool:
    if not _HOST_CHARS.match(host) or ".." in host:
        return False
    if host.isascii():
        return True
    try:
        idna.encode(host, uts46=True)
    except (idna.IDNAError, UnicodeError):
        return False
    return True


def host_of(url: str) -> str:
    """The lower-case host name of a URL ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


def hop_key(url: str) -> str:
    """The form of a URL compared for loop detection: no fragment, scheme and host lower-case."""
    try:
        parts = urlsplit(urldefrag(url).url)
    except ValueError:  # "http://[" and other unparsable URLs are their own key
        return url
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = (parts.hostname or "").rstrip(".")
    if port and port != default:
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{path}{query}"


def join_location(base: str, location: str) -> str:
    """The absolute URL a Location header (or refresh target) points to, spaces quoted.

    A location that cannot be parsed ("http://[") is returned as written, for url_problem to
    say why it is not followed.
    """
    try:
        return requote_uri(urljoin(base, location.strip()))
    except ValueError:
        return location.strip()
