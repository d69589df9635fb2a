from citecheck.extract.document import parse_html
from citecheck.extract.htmltext import visible_text

PAGE = """<html><head><title>Head title</title><style>p {color: red}</style></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<h1>Council approves   the plan</h1>
<p>The vote was <b>7</b> to <i>2</i>.<!-- an editor's note --> Costs rose by 12&nbsp;%.</p>
<script>var secret = "not text";</script><noscript>Enable scripts</noscript>
<div hidden>Hidden draft</div><template><p>Template text</p></template>
<ul><li>First point</li><li>Second point</li></ul>
<svg><title>Icon title</title></svg>
<table><tr><td>Cell A</td><td>Cell B</td></tr></table>
</body></html>"""


def test_visible_text_keeps_what_a_reader_sees_one_block_per_line():
    text = visible_text(parse_html(PAGE))
    assert text.splitlines()[:3] == [
        "Council approves the plan", "The vote was 7 to 2. Costs rose by 12 %.", "First point"]
    assert "Second point" in text
    assert "Cell A" in text and "Cell B" in text


def test_visible_text_drops_what_a_reader_never_sees():
    text = visible_text(parse_html(PAGE))
    for hidden in ("Head title", "color: red", "not text", "Enable scripts", "Hidden draft",
                   "Template text", "Icon title", "editor's note", "Home"):
        assert hidden not in text


def test_visible_text_is_bounded():
    page = "<html><body>" + "<p>Forty-two words of text go here.</p>" * 5000 + "</body></html>"
    assert len(visible_text(parse_html(page), limit=1000)) == 1000


def test_visible_text_does_not_change_the_tree():
    tree = parse_html(PAGE)
    before = len(list(tree.iter()))
    visible_text(tree)
    assert len(list(tree.iter())) == before


def test_parse_html_never_fails():
    for text in ("", "   ", "\x00\x00", "<", "<<<>>>", "<?xml version='1.0'?>", "\ufffe\uffff"):
        assert parse_html(text).tag == "html"


def test_text_of_deeply_nested_old_pages_is_kept():
    page = "<html><body>" + "<font>" * 600 + "Deep words" + "</body></html>"
    assert visible_text(parse_html(page)) == "Deep words"
