"""A new citations.yml: the citations libyaml writes are byte for byte what ruamel.yaml writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations import store, store_emit
from citecheck.citations.store import dumps_citations, load_citations
from citecheck.models import Citation, Context, DatePrecision, DocumentInfo, Kind, Locator

pytestmark = pytest.mark.skipif(not store_emit.AVAILABLE, reason="PyYAML built without libyaml")

DOC = DocumentInfo(name="report.txt", format="poi-text", sha256="ab12")
# the characters that make YAML writers choose: indicators, quotes, YAML 1.1/1.2 keywords
PIECES = st.sampled_from([
    "a", "Z", "Ж", "中", "é", " ", "'", '"', ":", "?", "#", ",", "-", "[", "]", "{", "}", "&",
    "*", "!", "|", ">", "%", "@", "`", "\\", "/", ".", "0", "1", "no", "on", "Yes", "null",
    "~", "1e3", "1_000", "0o7", "12:30", "2022-05-02", ".inf", "- ", "? ", ": ", " #",
    "\u00a0", "\u202e", "\t", "\n", "\u2028", "\U0001f600", "\x1b",
])
TEXT = st.lists(PIECES, max_size=12).map("".join)
LOCATOR = st.builds(Locator, kind=st.sampled_from(["article", "chapter"]),
                    value=TEXT.filter(bool), text=TEXT.filter(bool))


def ruamel_only(citations: list[Citation], document: DocumentInfo) -> str:
    """The file as ruamel.yaml alone writes it."""
    return store._dump(store._new_tree(citations, document))


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    return Citation(
        id=draw(TEXT.filter(bool)), text=draw(TEXT.filter(bool)), kind=Kind.WEB,
        title=draw(st.one_of(st.none(), TEXT)), publisher=draw(st.one_of(st.none(), TEXT)),
        url=draw(st.one_of(st.none(), TEXT)), urls=tuple(draw(st.lists(TEXT, max_size=2))),
        locators=tuple(draw(st.lists(LOCATOR, max_size=2))),
        context=Context(draw(TEXT), 3, 2, tuple(draw(st.lists(LOCATOR, max_size=2)))))


@settings(max_examples=400, deadline=None)
@given(st.lists(citations(), min_size=1, max_size=3), TEXT.filter(bool))
def test_both_writers_give_the_same_bytes(cited: list[Citation], name: str) -> None:
    document = DocumentInfo(name=name, format="poi-text", sha256=None)
    assert dumps_citations(cited, document) == ruamel_only(cited, document)


@pytest.mark.parametrize("length", [1990, 2000, 2001, 3000, 5000])
def test_long_values_and_flow_lines(length: int) -> None:
    words = ("Word, 'quoted': " * (length // 16 + 1))[:length]
    cited = [Citation(id="1", text=words, kind=Kind.WEB, title=words,
                      context=Context(words, 1, 1, (Locator("article", "9", words),)))]
    assert dumps_citations(cited, DOC) == ruamel_only(cited, DOC)


def test_ordinary_notes_go_through_libyaml() -> None:
    note = Citation(id="7", text="Prison monitors' report, Northern Monitor, 2 May 2022, link: "
                    "https://example.org/r?id=4", kind=Kind.WEB, title="Prison monitors' report",
                    publisher="Northern Monitor", date="2022-05-02",
                    date_precision=DatePrecision.DAY, url="https://example.org/r?id=4",
                    context=Context("as the monitors wrote: 12 cells", 4, 3, ()))
    assert store_emit.ordinary(store.new_entry(note))
    assert dumps_citations([note], DOC) == ruamel_only([note], DOC)


@pytest.mark.parametrize("flow_text", ["https://example.org/a?b=1", "Law No. 12:30", "Why?"])
def test_urls_and_colons_on_flow_lines(flow_text: str) -> None:
    """On a flow line ruamel.yaml writes these plain and libyaml would quote them."""
    note = Citation(id="1", text="t", kind=Kind.WEB, urls=(flow_text,),
                    context=Context(flow_text, 1, 1, ()))
    assert dumps_citations([note], DOC) == ruamel_only([note], DOC)


@pytest.mark.parametrize("title", ["line\nbreak", "tab\there", "emoji \U0001f600", "no",
                                   "x" * 2001])
def test_awkward_values_are_left_to_ruamel(title: str) -> None:
    note = Citation(id="1", text="t", kind=Kind.WEB, title=title)
    assert not store_emit.ordinary(store.new_entry(note))
    assert dumps_citations([note], DOC) == ruamel_only([note], DOC)


def test_a_file_written_this_way_loads_back(tmp_path: Path) -> None:
    cited = [Citation(id=str(n), text=f"Source {n}: a report, 2 May 2022, https://e.org/{n}",
                      kind=Kind.WEB, title=f"Source {n}: a report", url=f"https://e.org/{n}",
                      urls=(f"https://e.org/{n}?alt=1",), date="2022-05-02",
                      date_precision=DatePrecision.DAY) for n in range(1, 40)]
    path = tmp_path / "citations.yml"
    path.write_text(dumps_citations(cited, DOC), encoding="utf-8")
    assert list(load_citations(path).citations) == cited
