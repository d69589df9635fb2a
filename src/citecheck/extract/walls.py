"""Bot walls, challenge pages, consent interstitials and paywall stubs: "reason: evidence".

Each detector needs two kinds of evidence, a specific marker (a challenge script, a block
page's wording, a consent host) and a page with little else on it: many real articles load
the Cloudflare or Incapsula scripts, or mention cookies and JavaScript, and are not walls.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from citecheck.extract import jsonld
from citecheck.extract.document import HtmlPage, clean


@dataclass(frozen=True)
class WallInput:
    """What the detectors look at: the parsed page, its visible text and the raw HTML head."""

    page: HtmlPage
    text: str
    html: str  # the decoded HTML, lower case, bounded

    @property
    def title(self) -> str:
        """The <title>, whitespace collapsed."""
        return self.page.title


SMALL = 600  # characters of visible text: next to nothing
SHORT = 1500  # a challenge page with some explanation
LONG = 5000  # a consent interstitial explains itself at length
_CF_TITLE = re.compile(r"^(?:just a moment|attention required|please wait|one moment,? please|"
                       r"checking your browser|un instant|einen moment|un momento|"
                       r"один момент|.*used cloudflare to restrict access)", re.I)
_CF_MARKERS = ("_cf_chl_opt", "cf-chl-", "cf_chl_", 'id="challenge-form"',
               "cf-browser-verification", "/cdn-cgi/challenge-platform/h/")
_BOT_TITLE = re.compile(
    r"^(?:are you a robot|robot check|captcha|security check|bot verification|verify you are "
    r"human|human verification|pardon our interruption|ddos-guard|access denied|request blocked|"
    r"request rejected|403 forbidden|forbidden|access to this page has been denied|"
    r"you have been blocked|blocked|sucuri website firewall)\b", re.I)
_BOT_TEXT = re.compile(
    r"detected unusual traffic|verify (?:that )?you are (?:a )?human|checking your browser "
    r"before accessing|complete the security check to access|why have i been blocked|"
    r"press (?:&|and) hold to confirm|enable cookies and javascript to continue", re.I)
_JS_PHRASES = re.compile(
    r"(?:enable|turn on|activate|allow)\s+javascript|javascript\s+(?:is\s+|must\s+be\s+)?"
    r"(?:required|disabled|needed|turned off|not enabled)|requires?\s+javascript|"
    r"javascript\s+(?:aktivieren|ist\s+deaktiviert)|activez\s+javascript|"
    r"habilit[ae]\s+(?:el\s+)?javascript|attiva(?:re)?\s+javascript", re.I)
_CONSENT_TITLE = re.compile(r"^(?:before you continue|bevor sie zu .{0,40}weitergehen|avant "
                            r"d[’']acc[ée]der|antes de (?:continuar|ir a)|prima di continuare)"
                            r"|(?:zustimmung|einwilligung) erforderlich|mit werbung oder (?:im )?"
                            r"pur-abo", re.I)
_CONSENT_HOSTS = ("consent.", "guce.", "consent-")


def blocked_reason(page: HtmlPage, text: str, html: str) -> str | None:
    """The first wall detected on a page, as "reason: evidence", else None."""
    if len(text) >= LONG and not _host(page.url).startswith(_CONSENT_HOSTS):
        return None  # every wall below needs a page with little text on it
    wall = WallInput(page, text, html[:300_000].lower())
    for detect in DETECTORS:
        found = detect(wall)
        if found:
            return found
    return None


def _size(wall: WallInput) -> str:
    return f"{len(wall.text)} characters of text"


def cloudflare(wall: WallInput) -> str | None:
    """Cloudflare's interstitial: its title or challenge form, and little text."""
    marker = next((m for m in _CF_MARKERS if m in wall.html), None)
    title = _CF_TITLE.match(wall.title)
    if len(wall.text) < SHORT and (title or marker) and ("cloudflare" in wall.html or marker):
        what = f'title "{wall.title}"' if title else f"challenge marker {marker}"
        return f"cloudflare: {what}, {_size(wall)}"
    return None


def incapsula(wall: WallInput) -> str | None:
    """Imperva Incapsula's block page: its incident ID, or its script on an empty page."""
    if "incapsula incident id" in wall.text.lower() and len(wall.text) < SHORT:
        return f"incapsula: incident ID page, {_size(wall)}"
    if "_incapsula_resource" in wall.html and len(wall.text) < 200:
        return f"incapsula: _Incapsula_Resource script on an empty page, {_size(wall)}"
    return None


def datadome(wall: WallInput) -> str | None:
    """DataDome's captcha page (captcha-delivery.com) with little text."""
    if "captcha-delivery.com" in wall.html and len(wall.text) < SMALL:
        return f"datadome: captcha-delivery.com challenge, {_size(wall)}"
    return None


def perimeterx(wall: WallInput) -> str | None:
    """PerimeterX / HUMAN's "press and hold" captcha page."""
    if ("px-captcha" in wall.html or "_pxappid" in wall.html) and len(wall.text) < SMALL:
        return f"perimeterx: px-captcha challenge, {_size(wall)}"
    return None


def akamai(wall: WallInput) -> str | None:
    """Akamai's "Access Denied ... Reference #" page."""
    lowered = wall.text.lower()
    if ("you don't have permission to access" in lowered and "reference #" in lowered
            and len(wall.text) < SHORT):
        return f'akamai: "Access Denied" with a reference number, {_size(wall)}'
    return None


def bot_check(wall: WallInput) -> str | None:
    """A bot check or block page: its title with next to no text, or its wording on a short page."""
    if _BOT_TITLE.match(wall.title) and len(wall.text) < SMALL:
        return f'bot-check: title "{wall.title}", {_size(wall)}'
    match = _BOT_TEXT.search(wall.text) if len(wall.text) < SHORT else None
    if match:
        return f'bot-check: "{match.group(0)}", {_size(wall)}'
    return None


def consent(wall: WallInput) -> str | None:
    """A cookie-consent interstitial: a consent host, or its title on a short page."""
    host = _host(wall.page.url)
    if host.startswith(_CONSENT_HOSTS):
        return f"consent: the page is on the consent host {host}"
    if _CONSENT_TITLE.search(wall.title) and len(wall.text) < LONG:
        return f'consent: title "{wall.title}"'
    return None


def javascript_shell(wall: WallInput) -> str | None:
    """A page that shows nothing without JavaScript and says so."""
    if len(wall.text) >= 200:
        return None
    noscript = " ".join(clean(n.text_content()) for n in wall.page.tree.iter("noscript"))
    match = _JS_PHRASES.search(wall.text) or _JS_PHRASES.search(noscript)
    if match:
        return f'javascript: "{match.group(0)}" and {_size(wall)}'
    return None


def paywall(wall: WallInput) -> str | None:
    """An article marked isAccessibleForFree=false whose page shows only a stub."""
    flags = [o.get("isAccessibleForFree") for o in wall.page.jsonld if jsonld.is_article(o)]
    flags += wall.page.metas.get("isaccessibleforfree", [])
    closed = any(str(flag).strip().lower() == "false" for flag in flags)
    if closed and len(wall.text) < SHORT:
        return f"paywall: isAccessibleForFree=false and {_size(wall)}"
    return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


DETECTORS: tuple[Callable[[WallInput], str | None], ...] = (
    cloudflare, incapsula, datadome, perimeterx, akamai, consent, bot_check, paywall,
    javascript_shell,
)
