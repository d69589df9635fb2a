import json

import pytest
from extract_helpers import ARTICLE_TEXT, html_page

from citecheck.extract import extract_page

CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<h1 class="zone-name-title h1">news.example.org</h1><h2 id="challenge-running">Checking if the
site connection is secure</h2><noscript><div id="challenge-error-title">Enable JavaScript and
cookies to continue</div></noscript><form id="challenge-form" action="/a?__cf_chl_f_tk=x"
method="POST"></form></div><script>(function(){window._cf_chl_opt={cvId: '2',cType:
'managed'};}());</script><div class="footer">Performance &amp; security by Cloudflare</div>
</body></html>"""

INCAPSULA = """<html><head><META NAME="robots" CONTENT="noindex,nofollow"><script
src="/_Incapsula_Resource?SWJIYLWA=5074a744e2e3d891814e9a2dace20bd4,719d34d31c8e3a6e6fffd425f7e"
></script></head><body><iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=9"
frameborder=0 width="100%" height="100%">Request unsuccessful. Incapsula incident ID:
1234-5678</iframe></body></html>"""

INCAPSULA_TEXT = """<html><head><title>Request unsuccessful</title></head><body>Request
unsuccessful. Incapsula incident ID: 877000120215493112-19140305403985345</body></html>"""

DATADOME = """<html><head><title>example.org</title></head><body><script>var dd={'rt':'c',
'cid':'AHrlqAAAAAMA','hsh':'2211F522','t':'fe','host':'geo.captcha-delivery.com'}</script>
<script src="https://ct.captcha-delivery.com/c.js"></script></body></html>"""

AKAMAI = """<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>
You don't have permission to access "http&#58;&#47;&#47;www&#46;example&#46;org&#47;report"
on this server.<P>Reference&#32;&#35;18&#46;5e1c2c17&#46;1700000000&#46;1a2b3c4d</BODY></HTML>"""

PERIMETERX = """<html><head><title>Access to this page has been denied</title></head><body>
<div id="px-captcha"></div><p>Press &amp; Hold to confirm you are a human (and not a bot).</p>
<script>window._pxAppId = 'PXabc123';</script></body></html>"""

JS_SHELL = """<!doctype html><html><head><title>Example App</title>
<meta property="og:title" content="Water plan dashboard"></head><body><noscript>You need to
enable JavaScript to run this app.</noscript><div id="root"></div>
<script src="/static/js/main.js"></script></body></html>"""

CONSENT_PAGE = """<html><head><title>Before you continue to YouTube</title></head><body><p>We use
cookies and data to deliver and maintain services, track outages and protect against spam,
fraud and abuse.</p><button>Reject all</button><button>Accept all</button></body></html>"""

BOT_CHECK = """<html><head><title>Are you a robot?</title></head><body><p>Please confirm that
you are not a robot by clicking the box below.</p><div class="captcha"></div></body></html>"""

CLOUDFLARE_1020 = """<html><head><title>Access denied | news.example.org used Cloudflare to
restrict access</title></head><body><h1>Error 1020</h1><h2>Access denied</h2><p>What happened?
This website is using a security service to protect itself from online attacks.</p><p>Cloudflare
Ray ID: 7f1e2d3c4b5a6978</p></body></html>"""

UNUSUAL_TRAFFIC = """<html><head><title>https://search.example.com/search?q=water</title></head>
<body><p>Our systems have detected unusual traffic from your computer network. This page checks
to see if it's really you sending the requests, and not a robot.</p></body></html>"""

PUR_ABO = html_page("<title>Lesen Sie example.de mit Werbung oder im PUR-Abo</title>",
                    "<h2>Sie haben die Wahl</h2><p>Mit Werbung weiterlesen oder ohne Werbung "
                    "im PUR-Abo.</p><button>Zustimmen</button>")

PAYWALL = html_page(
    '<script type="application/ld+json">' + json.dumps({
        "@type": "NewsArticle", "headline": "Council approves water plan",
        "isAccessibleForFree": "False",
        "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": "False",
                    "cssSelector": ".paywalled"}}) + "</script>",
    "<h1>Council approves water plan</h1><p>The council approved the plan on Tuesday.</p>"
    "<div class='paywall'>Subscribe to read the full story.</div>")


def extract(html: str, url: str = "https://news.example.org/2023/water-plan"):
    return extract_page(html.encode(), url=url, headers=[("Content-Type", "text/html")])


def reason(html: str, url: str = "https://news.example.org/2023/water-plan") -> str | None:
    blocked = extract(html, url).blocked
    return blocked.split(":", 1)[0] if blocked else None


@pytest.mark.parametrize(("html", "expected"), [
    (CLOUDFLARE, "cloudflare"),
    (INCAPSULA, "incapsula"),
    (INCAPSULA_TEXT, "incapsula"),
    (DATADOME, "datadome"),
    (AKAMAI, "akamai"),
    (PERIMETERX, "perimeterx"),
    (JS_SHELL, "javascript"),
    (CONSENT_PAGE, "consent"),
    (BOT_CHECK, "bot-check"),
    (PAYWALL, "paywall"),
    (CLOUDFLARE_1020, "cloudflare"),
    (UNUSUAL_TRAFFIC, "bot-check"),
    (PUR_ABO, "consent"),
])
def test_walls_are_detected_with_evidence(html, expected):
    assert reason(html) == expected
    assert len(extract(html).blocked) > len(expected) + 5  # the evidence follows the reason


def test_consent_host_is_a_wall_whatever_the_page():
    url = "https://consent.example.com/ml?continue=https://www.example.com/watch"
    assert reason(html_page("<title>Example</title>", ARTICLE_TEXT * 20), url) == "consent"


ARTICLE_HEAD = ("<title>Council approves the new water plan | Example News</title>"
                '<meta property="og:title" content="Council approves the new water plan">')


def article(extra_body: str, extra_head: str = "") -> str:
    return html_page(ARTICLE_HEAD + extra_head,
                     "<article><h1>Council approves the new water plan</h1>"
                     + extra_body + ARTICLE_TEXT * 3 + "</article>")


@pytest.mark.parametrize("html", [
    article("", '<script src="/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3'
                '&ns=1&cb=1000593980" async></script>'),
    article('<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script>'
            "<p>This site is protected by Cloudflare. Just a moment, we said.</p>"),
    article('<script src="https://js.datadome.co/tags.js" async></script>'),
    article("<p>We use cookies to improve your experience. Before you continue, read our "
            "cookie policy. Please enable JavaScript for the interactive map.</p>"),
    article("<noscript>Please enable JavaScript to view the comments.</noscript>"),
    article("<p>Changelog: the old export page has been removed; a 404 page now explains why."
            " Access denied errors were fixed.</p>"),
    article("", '<script type="application/ld+json">{"@type": "NewsArticle", '
                '"isAccessibleForFree": "False"}</script>'),  # paywalled but the text is there
    html_page("<title>Access denied: the fight over public records</title>",
              "<h1>Access denied: the fight over public records</h1>" + ARTICLE_TEXT * 3),
    article("<p>Researchers say bots are hard to catch: a site that has detected unusual "
            "traffic may ask you to verify you are human.</p>"),
    article("<p>Die Einwilligung ist erforderlich, sagte der Rat; Zustimmung erforderlich.</p>"),
])
def test_normal_articles_are_not_walls(html):
    assert extract(html).blocked is None


def test_short_but_ordinary_page_is_not_a_wall():
    html = html_page("<title>Contact | Example</title>", "<h1>Contact</h1><p>Write to us.</p>")
    assert extract(html).blocked is None
