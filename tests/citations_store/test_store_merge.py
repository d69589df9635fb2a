from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.citations.store import (
    MergeReport,
    load_citations,
    save_citations,
)
from citecheck.citations.store_merge import match_citations
from citecheck.models import Citation, Context, DatePrecision, DocumentInfo, Kind

DOC = DocumentInfo(name="report.txt", format="poi-text", sha256="aa11")


def fake_parse(nid: str, text: str, line: int | None = None) -> Citation:
    """A stand-in for the real note parser: "Title, Publisher, YYYY-MM, URL"."""
    parts = [p.strip() for p in text.split(",")]
    if parts[0].lower().startswith("ibid"):
        return Citation(id=nid, text=text, kind=Kind.IBID, note_line=line, confidence=0.8)
    title, publisher, date, url = (parts + [None] * 4)[:4]
    precision = {4: DatePrecision.YEAR, 7: DatePrecision.MONTH}.get(len(date or ""),
                                                                    DatePrecision.DAY)
    return Citation(id=nid, text=text, kind=Kind.WEB if url else Kind.NO_LINK, title=title,
                    publisher=publisher, date=date, date_precision=precision if date else None,
                    url=url, confidence=0.75, note_line=line,
                    context=Context(text=f"claim {nid}", line=line, paragraph=line))


def base_of(pairs: Sequence[tuple[str, str]]) -> dict[str, Citation]:
    return {nid: fake_parse(nid, text) for nid, text in pairs}


def extract(*texts: str) -> list[Citation]:
    return [fake_parse(str(i), text, line=i * 2) for i, text in enumerate(texts, start=1)]


NOTES = (
    "Water in prisons, Northern Monitor, 2022-03, https://example.org/water",
    "Lawyers barred, Daily Courier, 2023-06, https://example.org/lawyers",
    "Ibid",
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "citations.yml"
    report = save_citations(target, extract(*NOTES), DOC, base_of=base_of)
    assert report == MergeReport(added=("1", "2", "3"), created=True)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def by_id(path: Path) -> dict[str, Citation]:
    return {c.id: c for c in load_citations(path).citations}


def test_unchanged_document_changes_nothing(path: Path) -> None:
    before, inode = path.read_bytes(), path.stat().st_ino
    report = save_citations(path, extract(*NOTES), DOC, base_of=base_of)
    assert report == MergeReport()
    assert path.read_bytes() == before
    assert path.stat().st_ino == inode  # not even rewritten


def test_notes_that_only_moved_are_reordered(path: Path) -> None:
    moved = [fake_parse(c.id, c.text, c.note_line) for c in reversed(extract(*NOTES[:2]))]
    report = save_citations(path, [*moved, *extract(*NOTES)[2:]], DOC, base_of=base_of)
    assert report == MergeReport()
    assert [c.id for c in load_citations(path).citations] == ["2", "1", "3"]


def test_new_document_hash_is_written(path: Path) -> None:
    save_citations(path, extract(*NOTES), DocumentInfo("report.txt", "poi-text", "ff00"),
                   base_of=base_of)
    assert load_citations(path).document.sha256 == "ff00"


def test_hand_edited_title_survives_an_edited_document(path: Path) -> None:
    edit(path, "title: Water in prisons", "title: Water in Prisons of the North  # checked")
    changed = NOTES[0].replace("2022-03", "2022-04")
    report = save_citations(path, extract(changed, *NOTES[1:]), DOC, base_of=base_of)
    first = by_id(path)["1"]
    assert first.title == "Water in Prisons of the North"
    assert (first.date, first.date_precision) == ("2022-04", DatePrecision.MONTH)
    assert first.text == changed
    assert report.kept == (("1", "title"),) and report.updated == ("1",)
    assert "# checked" in path.read_text(encoding="utf-8")


def test_renumbered_notes_keep_their_edits(path: Path) -> None:
    edit(path, "publisher: Daily Courier", "publisher: The Daily Courier")
    edit(path, "ignore: []", "ignore: [link-dead]")  # first entry's ignore list
    inserted = "New source, Example Times, 2024, https://example.org/new"
    report = save_citations(path, extract(inserted, *NOTES), DOC, base_of=base_of)
    cites = by_id(path)
    assert [c.id for c in load_citations(path).citations] == ["1", "2", "3", "4"]
    assert cites["1"].title == "New source"
    assert cites["2"].ignore == ("link-dead",) and cites["2"].note_line == 4
    assert cites["3"].publisher == "The Daily Courier"
    assert report.added == ("1",)
    assert set(report.updated) == {"2", "3", "4"}
    assert report.kept == (("3", "publisher"),)


def test_removed_notes_are_reported_with_their_edits(path: Path) -> None:
    edit(path, "publisher: Daily Courier", "publisher: Courier")
    report = save_citations(path, extract(NOTES[0], NOTES[2]), DOC, base_of=base_of)
    assert [(r.id, r.had_edits) for r in report.removed] == [("2", True)]
    assert [c.id for c in load_citations(path).citations] == ["1", "2"]
    assert load_citations(path).citations[1].kind == Kind.IBID


def test_removed_note_without_edits(path: Path) -> None:
    report = save_citations(path, extract(NOTES[1], NOTES[2]), DOC, base_of=base_of)
    assert [(r.id, r.had_edits) for r in report.removed] == [("1", False)]


def test_without_base_every_difference_is_a_hand_edit(path: Path) -> None:
    changed = NOTES[0].replace("Northern Monitor", "Southern Monitor")
    report = save_citations(path, extract(changed, *NOTES[1:]), DOC)
    assert by_id(path)["1"].publisher == "Northern Monitor"
    assert by_id(path)["1"].text == changed  # the note text always comes from the document
    assert report.kept == (("1", "publisher"),)


def test_force_rewrites_and_drops_hand_edits(path: Path) -> None:
    edit(path, "title: Water in prisons", "title: My title")
    report = save_citations(path, extract(*NOTES), DOC, force=True, base_of=base_of)
    assert report.created and report.added == ("1", "2", "3")
    assert by_id(path)["1"].title == "Water in prisons"


def test_user_keys_and_key_order_are_kept(path: Path) -> None:
    edit(path, "- id: '1'\n  kind: web\n", "- kind: web\n  id: '1'\n  reviewer: Ana  # asked\n")
    save_citations(path, extract(NOTES[0].replace("2022-03", "2021"), *NOTES[1:]), DOC,
                   base_of=base_of)
    text = path.read_text(encoding="utf-8")
    assert "- kind: web\n  id: '1'\n  reviewer: Ana  # asked\n" in text
    assert "date: '2021'" in text or "date: 2021" in text
    assert by_id(path)["1"].date_precision == DatePrecision.YEAR


def test_document_header_follows_the_document(path: Path) -> None:
    save_citations(path, extract(*NOTES), DocumentInfo("report.docx", "docx", "bb22"),
                   base_of=base_of)
    assert load_citations(path).document == DocumentInfo("report.docx", "docx", "bb22")


def cites(*pairs: tuple[str, str]) -> list[Citation]:
    return [Citation(id=nid, text=text, kind=Kind.NO_LINK) for nid, text in pairs]


@pytest.mark.parametrize("old, new, expected", [
    # a note inserted at the top: every later note is matched by its text
    ([("1", "Alpha report 2020"), ("2", "Beta study 2021")],
     [("1", "New one"), ("2", "Alpha report 2020"), ("3", "Beta study 2021")], {1: 0, 2: 1}),
    # repeated texts ("Ibid") pair in order, the same id first
    ([("1", "A"), ("2", "Ibid"), ("3", "B"), ("4", "Ibid")],
     [("1", "A"), ("2", "Ibid"), ("3", "Ibid")], {0: 0, 1: 1, 2: 3}),
    # the same id with a lightly edited text is the same note
    ([("1", "Water in prisons, Monitor, 2022")], [("1", "Water in prisons, Monitor, 2023")],
     {0: 0}),
    # one note deleted and the next one edited: text likeness wins over the id
    ([("1", "Alpha report on water 2020"), ("2", "Beta study of courts 2021"),
      ("3", "Gamma review of prisons 2022")],
     [("1", "Alpha report on water 2020"), ("2", "Gamma review of prisons, 2022 edition")],
     {0: 0, 1: 2}),
    # nothing alike: no pair
    ([("1", "Completely different words")], [("1", "Zzz qqq 1999")], {}),
])
def test_match_citations(old, new, expected) -> None:
    assert match_citations(cites(*old), cites(*new)) == expected


_NOTE = st.sampled_from(NOTES + ("Other source, Example Post, 2021, https://example.org/o",
                                 "A book without a link, Example Press, 2019", "Ibid"))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.lists(_NOTE, max_size=6), new=st.lists(_NOTE, max_size=6),
       edit_title=st.booleans())
def test_after_a_merge_the_file_mirrors_the_document(tmp_path: Path, old: list[str],
                                                     new: list[str], edit_title: bool) -> None:
    target = tmp_path / "mirror.yml"
    target.unlink(missing_ok=True)
    save_citations(target, extract(*old), DOC, base_of=base_of)
    edited = edit_title and old.count(NOTES[0]) == 1
    if edited:
        edit(target, "title: Water in prisons", "title: Edited")
    report = save_citations(target, extract(*new), DOC, base_of=base_of)
    loaded = load_citations(target).citations
    assert [(c.id, c.text) for c in loaded] == [(c.id, c.text) for c in extract(*new)]
    assert len(report.added) + len(old) - len(report.removed) == len(new)
    if edited and NOTES[0] in new:
        assert "Edited" in [c.title for c in loaded if c.text == NOTES[0]]
