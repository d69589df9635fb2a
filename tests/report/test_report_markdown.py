import dataclasses

import lxml.html
import pytest
from markdown_it import MarkdownIt

from citecheck.report import render
from citecheck.report.markdown import escape

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def as_html(run) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<div>{MARKDOWN.render(render(run, 'markdown'))}</div>")


def test_table_has_one_row_of_eight_cells_per_footnote(run):
    tree = as_html(run)
    rows = tree.xpath("//table/tbody/tr")
    assert len(rows) == len(run.results)
    assert all(len(row.xpath("td")) == 8 for row in rows)
    first = [cell.text_content() for cell in rows[1].xpath("td")]
    assert first[:2] == ["2", "✓ ok"]
    assert first[4:7] == ["✗", "✓", "✗"]
    assert rows[1].xpath("td[3]/a/@href") == ["https://news.example.org/story/42"]


def test_summary_then_findings_grouped_by_footnote(run):
    text = render(run, "markdown")
    assert text.index("12 footnotes") < text.index("| # |") < text.index("### Findings")
    tree = as_html(run)
    groups = [p.text_content() for p in tree.xpath("//p[strong]")]
    assert groups[1] == "Document"
    assert [g.split(" — ")[0] for g in groups[2:]] == [
        f"Footnote {item.citation.id}" for item in run.results if item.findings]
    items = tree.xpath("//ul/li")
    assert len(items) == len(run.all_findings())


@pytest.mark.parametrize(("raw", "rendered"), [
    ("a | b", "a | b"),
    ("*not emphasis* and _not_ either", "*not emphasis* and _not_ either"),
    ("[link](https://evil.example/)", "[link](https://evil.example/)"),
    ("![img](https://evil.example/x.png)", "![img](https://evil.example/x.png)"),
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ("&lt;entity&gt;", "&lt;entity&gt;"),
    ("`code` ~~strike~~ $x$", "`code` ~~strike~~ $x$"),
    ("back\\slash", "back\\slash"),
])
def test_escaped_text_renders_as_itself(raw, rendered):
    html = MARKDOWN.render(f"| {escape(raw)} |\n|---|\n| x |\n")
    cell = lxml.html.fromstring(html).xpath("//th")[0]
    assert cell.text_content() == rendered
    assert list(cell) == []  # no element: no link, image, code or emphasis


def test_a_pipe_in_a_title_does_not_add_a_cell(make_run, run):
    item = run.results[1]
    finding = dataclasses.replace(item.findings[0], message="a | b | c")
    citation = dataclasses.replace(item.citation, id="2|x")
    tree = as_html(make_run(results=(dataclasses.replace(item, citation=citation,
                                                         findings=(finding,)),)))
    assert len(tree.xpath("//table/tbody/tr/td")) == 8
    assert "a | b | c" in tree.text_content()


def test_only_web_urls_become_links(make_run, run):
    item = run.results[0]
    link = dataclasses.replace(item.link, final_url="javascript:alert(1)")
    tree = as_html(make_run(results=(dataclasses.replace(item, link=link),)))
    assert tree.xpath("//a") == []
    assert "javascript:alert(1)" in tree.text_content()
