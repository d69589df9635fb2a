from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citecheck.citations.store as store
from citecheck.citations.store import (
    SCHEMA_VERSION,
    dumps_citations,
    load_citations,
    save_citations,
)
from citecheck.errors import InputError
from citecheck.models import Citation, Context, DatePrecision, DocumentInfo, Kind, Locator

DOC = DocumentInfo(name="report.txt", format="poi-text", sha256="aa11")
CITATIONS = [
    Citation(id="1", text="Water in prisons, Northern Monitor, March 2022, link: "
             "https://example.org/water", kind=Kind.WEB, title="Water in prisons",
             publisher="Northern Monitor", date="2022-03", date_precision=DatePrecision.MONTH,
             url="https://example.org/water", urls=("https://example.org/alt",),
             accessed="2024-05-03", confidence=0.9, note_line=4,
             locators=(Locator("article", "93", "Article 93 of the Criminal Code",
                               "criminal code"),),
             context=Context("the guards denied water", 4, 3,
                             (Locator("article", "293", "Article 293", "criminal code"),))),
    Citation(id="2", text="Ibid., p. 4", kind=Kind.IBID, same_as="1", confidence=0.8,
             locators=(Locator("page", "4", "p. 4"),), ignore=("link-missing",)),
    Citation(id="e1", text="A. Writer, Prisons: a history (Example Press 2019)",
             kind=Kind.NO_LINK, title="Prisons: a history", date="2019",
             date_precision=DatePrecision.YEAR, confidence=0.5),
]


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "citations.yml"
    path.write_text(dumps_citations(CITATIONS, DOC), encoding="utf-8")
    loaded = load_citations(path)
    assert loaded.version == SCHEMA_VERSION
    assert loaded.document == DOC
    assert list(loaded.citations) == CITATIONS


def test_layout_is_versioned_and_ordered() -> None:
    text = dumps_citations(CITATIONS, DOC)
    assert text.startswith("# citecheck citations")
    assert "\nversion: 1\n" in text
    keys = [line.split(":")[0].strip() for line in text.split("- id: '2'")[0].splitlines()
            if line.startswith("  ") and not line.startswith("    ")]
    assert keys[:6] == ["kind", "title", "publisher", "date", "date_precision", "url"]
    assert keys[-2:] == ["context", "text"]


def test_comments_and_layout_survive_a_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "citations.yml"
    text = dumps_citations(CITATIONS, DOC)
    text = text.replace("version: 1", "# checked by Ana in May\nversion: 1  # schema")
    text = text.replace("  title: Water in prisons\n", "  title: Water in prisons  # ok\n")
    text = text.replace("- id: '2'\n", "# the ibid\n- id: '2'\n  reviewer: Ana\n")
    path.write_text(text, encoding="utf-8")
    save_citations(path, CITATIONS, DocumentInfo("report.txt", "poi-text", "bb22"))
    assert path.read_text(encoding="utf-8") == text.replace("sha256: aa11", "sha256: bb22")


def test_hand_written_values_are_read(tmp_path: Path) -> None:
    path = tmp_path / "citations.yml"
    path.write_text(
        "version: 1\ndocument: {name: r.txt, format: poi-text}\ncitations:\n"
        "- id: 7\n  kind: web\n  date: 2023-03-15\n  date_precision: month\n"
        "  same_as: 3\n  title: 2022\n  note: my own remark\n", encoding="utf-8")
    (cite,) = load_citations(path).citations
    assert (cite.id, cite.date, cite.date_precision) == ("7", "2023-03-15", DatePrecision.DAY)
    assert (cite.same_as, cite.title, cite.text) == ("3", "2022", "")


@pytest.mark.parametrize("written, expected", [
    ("no", "no"), ("'null'", "null"), ("2023-03-15", "2023-03-15"), ("0o14", "0o14"),
    ("1:20", "1:20"), ("yes", "yes"), ("'~'", "~"), ('"Quote: \\"x\\""', 'Quote: "x"'),
])
def test_values_are_read_as_written(tmp_path: Path, written: str, expected: str) -> None:
    path = tmp_path / "citations.yml"
    path.write_text("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                    f"- id: '1'\n  kind: web\n  title: {written}\n", encoding="utf-8")
    assert load_citations(path).citations[0].title == expected


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(title=_TEXT, text=_TEXT, publisher=st.one_of(st.none(), _TEXT),
       urls=st.lists(_TEXT, max_size=3), nid=_TEXT.filter(lambda t: t.strip() != ""),
       locator=st.builds(Locator, kind=_TEXT.filter(str.strip), value=_TEXT.filter(str.strip),
                         text=_TEXT, instrument=st.one_of(st.none(), _TEXT)))
def test_any_text_round_trips(tmp_path: Path, title: str, text: str, publisher: str | None,
                              urls: list[str], nid: str, locator: Locator) -> None:
    cite = Citation(id=nid, text=text, kind=Kind.WEB, title=title, publisher=publisher,
                    urls=tuple(urls), locators=(locator,),
                    context=Context(text=title, locators=(locator,)))
    path = tmp_path / "citations.yml"
    path.write_text(dumps_citations([cite], DOC), encoding="utf-8")
    assert load_citations(path).citations == (cite,)


HOSTILE = {
    "tab-indent": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                   "- id: '1'\n\tkind: web\n", 5),
    "bad-indent": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                   "- id: '1'\n  kind: web\n title: x\n", 6),
    "duplicate-key": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                      "- id: '1'\n  kind: web\n  kind: ibid\n", 6),
    "python-tag": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                   "- id: '1'\n  kind: web\n  title: !!python/object/apply:os.system ['id']\n",
                   6),
    "local-tag": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                  "- !citation {id: '1', kind: web}\n", 4),
    "alias": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
              "- &a {id: '1', kind: web}\n- *a\n", 4),  # the line of the anchor
    "binary-tag": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                   "- id: '1'\n  kind: web\n  title: !!binary aGVsbG8=\n", 6),
    "tag-in-extra-key": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                         "- id: '1'\n  kind: web\n  mine: !!python/name:os.system ''\n", 6),
    "two-documents": ("version: 1\n---\nversion: 1\n", 2),
    "bad-date": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                 "- id: '1'\n  kind: web\n  date: 31 Feb 2023\n", 6),
    "impossible-date": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                        "- id: '1'\n  kind: web\n  date: 2023-02-31\n", 6),
    "bad-kind": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                 "- id: '1'\n  kind: foo\n", 5),
    "version": ("version: 2\ndocument: {name: r, format: docx}\ncitations: []\n", 1),
    "no-version": ("document: {name: r, format: docx}\ncitations: []\n", 1),
    "urls-not-list": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                      "- id: '1'\n  kind: web\n  urls: https://example.org\n", 6),
    "confidence": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                   "- id: '1'\n  kind: web\n  confidence: 7\n", 6),
    "ignore-code": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                    "- id: '1'\n  kind: web\n  ignore: [no-such-code]\n", 6),
    "duplicate-id": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                     "- id: '1'\n  kind: web\n- id: '1'\n  kind: ibid\n", 6),
    "no-kind": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n- id: '1'\n", 4),
    "not-a-mapping": ("- just\n- a list\n", 1),
    "locator": ("version: 1\ndocument: {name: r, format: docx}\ncitations:\n"
                "- id: '1'\n  kind: web\n  locators: [article 5]\n", 6),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_fail_with_a_line_and_stay_untouched(tmp_path: Path, name: str) -> None:
    text, line = HOSTILE[name]
    path = tmp_path / "citations.yml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        load_citations(path)
    assert caught.value.where == f"citations.yml line {line}"
    assert "\n" not in caught.value.one_line()
    with pytest.raises(InputError):
        save_citations(path, CITATIONS, DOC)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["citations.yml"]


def test_date_message_says_how_to_write_it(tmp_path: Path) -> None:
    path = tmp_path / "citations.yml"
    path.write_text(HOSTILE["bad-date"][0], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_citations(path)
    assert "'31 Feb 2023'" in caught.value.message and "YYYY-MM-DD" in caught.value.message


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "citations.yml"
    path.write_bytes(b"version: 1\ndocument: {name: r, format: docx}\n# caf\xe9\n")
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        save_citations(path, CITATIONS, DOC)
    assert caught.value.where == "citations.yml line 3"
    assert path.read_bytes() == before


def test_size_cap_is_checked_before_parsing(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "citations.yml"
    path.write_text(dumps_citations(CITATIONS, DOC), encoding="utf-8")
    before = path.read_bytes()
    monkeypatch.setattr(store, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(store, "compose", lambda *a: pytest.fail("parsed an oversized file"))
    with pytest.raises(InputError):
        save_citations(path, CITATIONS, DOC)
    assert path.read_bytes() == before


def test_save_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "citations.yml"
    save_citations(path, CITATIONS, DOC)
    os.chmod(path, 0o640)
    save_citations(path, CITATIONS[:1], DOC)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [c.id for c in load_citations(path).citations] == ["1"]


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "citations.yml"
    save_citations(path, CITATIONS, DOC)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError):
        save_citations(path, CITATIONS[:1], DOC, force=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["citations.yml"]


def test_unwritable_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        save_citations(tmp_path / "missing" / "citations.yml", CITATIONS, DOC)
