import dataclasses

import lxml.html
import pytest

from citecheck.report import render


def parse(run) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render(run, "html"))


def test_self_contained_no_script_no_external_resource(run):
    tree = parse(run)
    assert tree.xpath("//script") == []
    assert tree.xpath("//link | //img | //iframe | //object | //embed | //@src") == []
    assert tree.xpath("//style")  # inline CSS
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    hrefs = tree.xpath("//a/@href")
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    assert not any(attr.startswith("on") for el in tree.iter() for attr in el.attrib)


def test_summary_and_one_table_row_per_footnote(run):
    tree = parse(run)
    assert "12 footnotes" in tree.get_element_by_id("summary").text_content()
    rows = tree.xpath("//table[@id='footnotes']/tbody/tr")
    assert [row.get("data-note") for row in rows] == [r.citation.id for r in run.results]
    dead = [cell.text_content().strip() for cell in rows[2].xpath("td")]
    assert dead[1] == "✗ dead" and dead[3] == "404"


def test_statuses_and_verdicts_read_without_colour(run):
    tree = parse(run)
    for badge in tree.xpath("//span[contains(@class, 'badge')]"):
        assert badge.text_content().strip()  # a word or a symbol, never colour alone
    marks = tree.xpath("//table[@id='footnotes']/tbody/tr[2]/td[@class='mark']/span/@title")
    assert marks == ["title: mismatch", "date: match", "publisher: mismatch"]


def test_each_footnote_has_cited_against_found_chain_and_findings(run):
    tree = parse(run)
    panel = tree.get_element_by_id("fn-2")
    compare = {row.xpath("th")[0].text_content(): [td.text_content().strip()
                                                   for td in row.xpath("td")]
               for row in panel.xpath(".//table[@class='compare']/tbody/tr")}
    assert compare["Title"][:2] == ["Water rights in the valley", "A different story (og:title)"]
    assert compare["Title"][2] == "✗ mismatch"
    assert compare["Publisher"][:2] == ["River Watch", "Daily Example"]
    chain = panel.xpath(".//ol[@class='chain']/li")
    assert len(chain) == 3
    assert chain[0].xpath("a/@href") == ["https://sho.rt/x1"]
    assert "meta-refresh" in chain[1].text_content()
    findings = panel.xpath(".//ul[@class='findings']/li")
    assert [f.xpath("code")[0].text for f in findings] == [
        "title-mismatch", "publisher-mismatch", "date-matches-updated"]
    evidence = findings[0].xpath(".//dl[@class='evidence']/dt/text()")
    assert evidence == ["cited", "found", "source"]
    assert len(tree.xpath("//article[@class='footnote panel']")) == len(run.results)


def test_document_findings_have_their_own_section(run):
    tree = parse(run)
    headings = [h.text_content() for h in tree.xpath("//h2")]
    assert headings == ["Document", "Footnotes"]


@pytest.mark.parametrize("evil_id", ['3" onmouseover="x', "a b/c"])
def test_anchors_are_safe_ids(make_run, run, evil_id):
    item = run.results[0]
    citation = dataclasses.replace(item.citation, id=evil_id)
    tree = parse(make_run(results=(dataclasses.replace(item, citation=citation),)))
    article = tree.xpath("//article")[0]
    assert article.get("id").startswith("fn-") and " " not in article.get("id")
    assert tree.xpath("//tbody/tr/@data-note") == [evil_id]
    assert tree.xpath("//@onmouseover") == []


def test_non_web_urls_are_text_not_links(make_run, run):
    item = run.results[0]
    link = dataclasses.replace(item.link, final_url="javascript:alert(1)")
    tree = parse(make_run(results=(dataclasses.replace(item, link=link),)))
    assert not any("javascript" in href for href in tree.xpath("//a/@href"))
    assert "javascript:alert(1)" in tree.text_content()
