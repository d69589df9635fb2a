"""Text from fetched pages is hostile: every payload must come out inert in every format."""

import json
import re
import unicodedata

import lxml.etree
import lxml.html
import pytest
from junitparser import JUnitXml
from markdown_it import MarkdownIt

from citecheck.report import FORMATS, render

PAYLOADS = [
    "\n::error::pwned",
    "\r\n::warning file=x.txt,line=1::pwned",
    "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[31mred\x1b[0m",
    "<script>alert(1)</script>",
    "%0A::warning::pwned",
    "\u2028::notice::pwned",
    "##[error]legacy ##[stop-commands]tok",
    "\u202egnp.exe\u202c",
    "| fake | cells | [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "[bold]markup[/bold] {{ 7*7 }} {% raw %}",
    "\x00nul \x07bel \x9b31m c1 \ud800",
]
BIDI = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}


def assert_plain_lines(text: str, fmt: str) -> None:
    for line in text.split("\n"):
        if fmt == "github":
            assert re.match(r"::(error|warning|notice) file=", line) or line == ""
        else:
            assert not line.lstrip().startswith("::"), line
    assert "##[" not in text
    assert "\r" not in text and "\x1b" not in text
    assert not [ch for ch in text if ch not in "\n\t" and unicodedata.category(ch) in {"Cc", "Cs"}]
    assert not any(unicodedata.bidirectional(ch) in BIDI for ch in text)
    assert "\u2028" not in text and "\u2029" not in text


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_payload_is_inert(make_hostile, fmt, payload):
    run = make_hostile(payload)
    text = render(run, fmt)
    text.encode("utf-8")  # no lone surrogate survives
    assert_plain_lines(text, fmt)
    CHECKS[fmt](text, run)


def check_text(text, run):
    rows = [line for line in text.splitlines() if re.match(r"\s*1\s+✓ ok\s", line)]
    assert len(rows) == 1
    assert text.splitlines()[-1].startswith("1 footnote: 1 ok;")


def check_json(text, run):
    data = json.loads(text)
    strings = list(_strings(data))
    assert all("\n" not in s and "\x1b" not in s for s in strings)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def check_markdown(text, run):
    html = MarkdownIt("commonmark").enable(["table"]).render(text)
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    assert tree.xpath("//script | //img | //a[not(starts-with(@href, 'http'))]") == []
    assert all(len(row.xpath("td")) == 8 for row in tree.xpath("//table/tbody/tr"))


def check_html(text, run):
    tree = lxml.html.document_fromstring(text)
    assert tree.xpath("//script | //img | //@src") == []
    assert not any(attr.startswith("on") for el in tree.iter() for attr in el.attrib)
    assert not any(h.lower().startswith("javascript") for h in tree.xpath("//@href"))
    if "<script>" in repr(run):
        assert "<script>alert(1)</script>" in tree.text_content()  # shown, as text


def check_junit(text, run):
    lxml.etree.fromstring(text.encode("utf-8"))
    [suite] = list(JUnitXml.fromstring(text.encode("utf-8")))
    assert [case.name for case in suite] == ["document", "footnote 1"]
    failure = [case for case in suite][1].result[0]
    assert "\n" not in failure.message
    assert len(failure.text.splitlines()) == 1  # one finding at error: one line


def check_github(text, run):
    assert len(text.splitlines()) == len(run.all_findings())


CHECKS = {"text": check_text, "json": check_json, "markdown": check_markdown,
          "html": check_html, "junit": check_junit, "github": check_github}


def test_every_format_is_checked():
    assert set(CHECKS) == set(FORMATS)


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_coloured_text_carries_only_colour_codes(make_hostile, payload):
    text = render(make_hostile(payload), "text", color=True)
    assert set(re.findall(r"\x1b(.)", text)) == {"["}  # SGR colour codes, no OSC, no other escape
    assert not re.search(r"\x1b\[[0-9;]*[^0-9;m]", text)


@pytest.mark.parametrize("fmt", ["text", "markdown", "junit"])
def test_a_newline_in_a_value_adds_no_line(make_hostile, fmt):
    plain = render(make_hostile("x"), fmt, width=400)
    newline = render(make_hostile("x\nx\r\ny\u2028z"), fmt, width=400)
    assert len(newline.splitlines()) == len(plain.splitlines())
