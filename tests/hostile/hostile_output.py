"""What "inert" means for a rendered report, and RunResults that carry hostile text everywhere.

A CI runner reads a line as a workflow command when it starts with `::` once leading blanks
are trimmed; the GitHub runner compares with .NET's culture-sensitive StartsWith, for which
ICU's zero-width and other default-ignorable characters weigh nothing, so they count as blanks
here too. Azure Pipelines takes `##vso[` anywhere in a line, the legacy syntax `##[`.
"""

from __future__ import annotations

import json
import re
import unicodedata

import lxml.etree
import lxml.html
from junitparser import JUnitXml
from markdown_it import MarkdownIt

from citecheck.models import (
    Candidate,
    Citation,
    CitationResult,
    Code,
    Context,
    DocumentInfo,
    Finding,
    Hop,
    HopKind,
    Kind,
    LinkResult,
    LinkStatus,
    PageMetadata,
    RunResult,
    Severity,
)

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), the planes' tail aside.
IGNORABLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
             "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8")
_COMMAND_LINE = re.compile(rf"^[\s{IGNORABLE}]*::")
_OTHER_COMMANDS = re.compile(r"##[a-z]*\[", re.IGNORECASE)
_OUR_COMMAND = re.compile(r"^::(error|warning|notice) file=[^:\n]*::[^\n]*$")
_SGR = re.compile(r"\x1b\[[0-9;]*m")
BIDI_CONTROLS = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}


def assert_inert(text: str, fmt: str, *, color: bool = False) -> None:
    """No workflow command but citecheck's own, no escape, control or bidi character."""
    text.encode("utf-8")  # no lone surrogate survives
    for line in text.split("\n"):
        if fmt == "github":
            assert line == "" or _OUR_COMMAND.match(line), line
        else:
            assert not _COMMAND_LINE.match(line), line
    assert not _OTHER_COMMANDS.search(text)
    plain = _SGR.sub("", text) if color else text
    assert "\x1b" not in plain and "\x9b" not in plain
    bad = [ch for ch in plain if ch not in "\n\t" and unicodedata.category(ch) in {"Cc", "Cs"}]
    assert bad == []
    assert not any(unicodedata.bidirectional(ch) in BIDI_CONTROLS for ch in text)
    assert "\u2028" not in text and "\u2029" not in text
    STRUCTURE[fmt](text)


def _json(text: str) -> None:
    json.loads(text)


def _html(text: str) -> None:
    tree = lxml.html.document_fromstring(text)
    assert tree.xpath("//script | //img | //iframe | //object | //embed | //@src") == []
    assert not any(attr.lower().startswith("on") for el in tree.iter() for attr in el.attrib)
    assert not any(not href.lower().startswith(("http:", "https:", "#"))
                   for href in tree.xpath("//a/@href"))


def _markdown(text: str) -> None:
    html = MarkdownIt("commonmark").enable(["table"]).render(text)
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    assert tree.xpath("//script | //img | //iframe") == []
    assert all(href.startswith(("http:", "https:")) for href in tree.xpath("//a/@href"))


def _junit(text: str) -> None:
    lxml.etree.fromstring(text.encode("utf-8"))
    assert len(list(JUnitXml.fromstring(text.encode("utf-8")))) == 1


def _nothing_more(text: str) -> None:
    """Text and github output have no structure beyond the lines checked above."""


STRUCTURE = {"text": _nothing_more, "json": _json, "markdown": _markdown, "html": _html,
             "junit": _junit, "github": _nothing_more}


def run_with(value: str, *, url: str = "https://pages.example/a", link: LinkResult | None = None,
             reason: str | None = None) -> RunResult:
    """A run where every string a note or a fetched page can supply carries `value`."""
    citation = Citation(
        id="1", text=f"Note {value}", kind=Kind.WEB, url=url, title=f"Cited {value}",
        publisher=value, date="2023-03",
        context=Context(f"as the clause says {value}", line=3), note_line=40)
    page = PageMetadata(
        content_type="text/html", size=1000, charset=value[:40], title=value,
        title_source="title", titles=(Candidate(value, "title"), Candidate(value, "og:title")),
        published="2023-03-14", site_name=value, site_names=(Candidate(value, "og:site_name"),),
        author=value, lang=value[:20], canonical_url=url, text=value)
    link = link or LinkResult(url, LinkStatus.OK, url, 200,
                              (Hop(url, 302, HopKind.HTTP, url), Hop(url, 200, HopKind.FINAL)),
                              reason=reason, content_type=value[:60])
    findings = (Finding(Code.TITLE_MISMATCH, Severity.ERROR, f"the page's title is {value}", "1",
                        {"cited": f"Cited {value}", "found": value, "source": "title"}),
                Finding(Code.PUBLISHER_MISMATCH, Severity.WARNING, value, "1", {"found": value}),
                Finding(Code.DATE_MISSING, Severity.INFO, f"no date near {value}", "1"))
    return RunResult(
        "run", DocumentInfo(f"report {value}.txt", "poi-text"),
        (CitationResult(citation, link, page, findings),),
        (Finding(Code.NOTE_MALFORMED, Severity.WARNING, f"document {value}", None,
                 {"text": value}),),
        notices=(f"notice {value}",))
