"""Offline findings: each code with cases that must and must not produce it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from citecheck.citations.build import build_citations
from citecheck.documents import read_document
from citecheck.models import Code, Document, Marker, Note, Severity
from citecheck.verify.offline import offline_findings, url_key

REPORT = """\
Introduction: a report of our own, written for these tests.
The Penal Code in Freedonia punishes ill-treatment. Article 120 of the Criminal Code sets the penalty for torture by officials[footnoteRef:1]. [1:  Article 12 of the Criminal Code of the Republic of Freedonia, link: https://tinyl.io/T1 ]
Article 3 of the Convention obliges States to act[footnoteRef:2]. [2:  Ill-treatment in police stations, Freedonia Watch, 4 May 2022, link: https://tinyl.io/T2 ]
The Constitution protects dignity in Article No. 7 of Chapter Two[footnoteRef:3]. [3:  Constitution of Freedonia. Chapter II. Rights and freedoms, Ministry of Justice of Freedonia, link: https://tinyl.io/T3 ]
Guards beat inmates in two prisons[footnoteRef:4], and the courts ignored it[footnoteRef:5]. [4:  Ibid] [5:  Courts ignore abuse claims, Legal Desk, 9 June 2022 ]
"""  # noqa: E501


def _findings(text: str = REPORT, **changes) -> list:
    doc = _doc(text)
    citations = build_citations(doc)
    for note_id, fields in changes.items():
        index = next(i for i, c in enumerate(citations) if c.id == note_id.lstrip("n"))
        citations[index] = replace(citations[index], **fields)
    return offline_findings(citations, doc)


def _doc(text: str) -> Document:
    return read_document(text.encode("utf-8"), "report.txt", "poi-text")


def _codes(findings: list, code: Code) -> list[str | None]:
    return [f.note_id for f in findings if f.code == code]


def test_locator_mismatch_is_an_error_quoting_both_sides():
    findings = _findings()
    (finding,) = [f for f in findings if f.code == Code.LOCATOR_MISMATCH]
    assert (finding.note_id, finding.severity) == ("1", Severity.ERROR)
    assert "Article 12 of the Criminal Code" in finding.message
    assert "Article 120 of the Criminal Code" in finding.message
    assert finding.evidence["cited"].startswith("Article 12 ")
    assert finding.evidence["found"] == "Article 120 of the Criminal Code"


def test_no_locator_mismatch_when_numbers_agree_in_other_words():
    # note 3: "Chapter II" against "Article No. 7 of Chapter Two"
    assert "3" not in _codes(_findings(), Code.LOCATOR_MISMATCH)


def test_no_locator_mismatch_when_the_passage_agrees():
    text = REPORT.replace("Article 120 of the Criminal Code", "Article 12 of the Criminal Code")
    assert _codes(_findings(text), Code.LOCATOR_MISMATCH) == []


def test_ignore_silences_one_code_for_one_note():
    findings = _findings(n1={"ignore": ("locator-mismatch",)})
    assert _codes(findings, Code.LOCATOR_MISMATCH) == []
    assert _codes(_findings(n2={"ignore": ("locator-mismatch",)}), Code.LOCATOR_MISMATCH) == ["1"]


def test_link_missing_for_a_dated_news_note_without_link():
    findings = _findings()
    assert _codes(findings, Code.LINK_MISSING) == ["5"]
    (finding,) = [f for f in findings if f.code == Code.LINK_MISSING]
    assert finding.severity == Severity.WARNING


@pytest.mark.parametrize("note", [
    "New media law criticised by journalists, Meydan TV, 3 May 2022",
    "Amnesty International, “Free the jailed reporters”, March 2021",
    "Reporter beaten in custody (Caucasus Monitor, 12 June 2020)",
])
def test_link_missing(note):
    text = REPORT.replace("Courts ignore abuse claims, Legal Desk, 9 June 2022", note)
    assert "5" in _codes(_findings(text), Code.LINK_MISSING)


@pytest.mark.parametrize("note", [
    "Article 12 of the Criminal Code of the Republic of Freedonia",
    "J. Smith, Policing Protest in the Caucasus, Routledge (2019), p. 12",
    "Anna Petrova, Prisons After Empire, Oxford University Press, 2020",
    "Interview with a former detainee, Baku, 3 May 2021, p. 2",
    "Ibid",
    "Courts ignore abuse claims, Previous reference.",
    "Courts ignore abuse claims, Legal Desk, 9 June 2022, link: https://tinyl.io/T5",
    "Courts ignore abuse claims, Legal Desk",
    "European Court of Human Rights, Petrov v. Freedonia, no. 1234/19, 22 May 2014",
    "UN Human Rights Committee, Concluding observations on Freedonia, CCPR/C/FRE/CO/5, "
    "30 November 2021",
    "Decision of the Constitutional Court of Freedonia No. 5/2021, Constitutional Court, "
    "12 March 2021",
    "Interview with a former detainee, 14 February 2023",
])
def test_no_link_missing(note):
    text = REPORT.replace("Courts ignore abuse claims, Legal Desk, 9 June 2022", note)
    assert "5" not in _codes(_findings(text), Code.LINK_MISSING)


def test_ibid_unresolved():
    findings = offline_findings(build_citations(_doc("A claim[footnoteRef:1]. [1:  Ibid]")))
    assert [(f.code, f.note_id, f.severity) for f in findings] == [
        (Code.IBID_UNRESOLVED, "1", Severity.WARNING)]


@pytest.mark.parametrize("notes", [
    "[1:  Courts ignore abuse claims, Legal Desk, 9 June 2022, https://a.example/1 ] [2:  Ibid]",
    "[1:  Courts ignore abuse claims, Legal Desk, 2022, https://a.example/1 ] "
    "[2:  Courts ignore abuse claims, Previous reference.]",
    "[1:  Courts ignore abuse claims, Legal Desk, 2022, https://a.example/1 ] [2:  supra note 1]",
])
def test_resolved_repeats_are_not_unresolved(notes):
    doc = _doc(f"A[footnoteRef:1] and B[footnoteRef:2]. {notes}")
    assert _codes(offline_findings(build_citations(doc), doc), Code.IBID_UNRESOLVED) == []


@pytest.mark.parametrize("repeat", ["Ibid", "supra note 9", "A report no one cited, op. cit."])
def test_unresolvable_repeats(repeat):
    doc = _doc(f"A claim[footnoteRef:1]. [1:  {repeat}]")
    assert _codes(offline_findings(build_citations(doc), doc), Code.IBID_UNRESOLVED) == ["1"]


def test_note_missing_and_unreferenced_need_the_document():
    # POI exports only write notes where they are referenced, so use Markdown for a stray note
    text = ("One claim[^1]. Another claim[^2].\n\n"
            "[^1]: Courts ignore abuse claims, Legal Desk, 2022, https://a.example/1\n"
            "[^3]: Prisons overcrowded, Prison Watch, 2021, https://a.example/3\n")
    doc = read_document(text.encode("utf-8"), "report.md", "markdown")
    citations = build_citations(doc)
    findings = offline_findings(citations, doc)
    assert [(f.code, f.note_id, f.severity) for f in findings
            if f.code in (Code.NOTE_MISSING, Code.NOTE_UNREFERENCED)] == [
        (Code.NOTE_MISSING, "2", Severity.ERROR),
        (Code.NOTE_UNREFERENCED, "3", Severity.WARNING)]
    assert not [f for f in offline_findings(citations)
                if f.code in (Code.NOTE_MISSING, Code.NOTE_UNREFERENCED)]


def test_every_marker_with_its_note_gives_no_document_finding():
    findings = _findings()
    assert _codes(findings, Code.NOTE_MISSING) == _codes(findings, Code.NOTE_UNREFERENCED) == []


def test_a_note_cited_twice_is_missing_once():
    doc = Document("d", "poi-text", (), (Marker("4", "a", "a", "a"), Marker("4", "b", "b", "b")))
    assert _codes(offline_findings([], doc), Code.NOTE_MISSING) == ["4"]


def _pair(first: str, second: str) -> list:
    doc = _doc(f"A[footnoteRef:1] and B[footnoteRef:2]. [1:  {first} ] [2:  {second} ]")
    return offline_findings(build_citations(doc), doc)


@pytest.mark.parametrize(("first", "second"), [
    ("Prisons overcrowded, Prison Watch, 2021, https://tinyl.io/A1",
     "Journalist sentenced to nine years, Court Desk, 2022, https://tinyl.io/A1"),
    ("Prisons overcrowded, Prison Watch, 2021, https://www.example.org/r/",
     "Journalist sentenced to nine years, Court Desk, 2022, http://example.org/r"),
])
def test_duplicate_url_different_title(first, second):
    findings = _pair(first, second)
    (finding,) = [f for f in findings if f.code == Code.DUPLICATE_URL_DIFFERENT_TITLE]
    assert (finding.note_id, finding.severity) == ("2", Severity.WARNING)
    assert "Prisons overcrowded" in finding.message
    assert "Journalist sentenced to nine years" in finding.message


@pytest.mark.parametrize(("first", "second"), [
    ("Prisons overcrowded, Prison Watch, 2021, https://tinyl.io/A1",
     "Prisons overcrowded, Prison Watch, 2021, https://tinyl.io/A1"),
    ("Prisons overcrowded in the south, Prison Watch, 2021, https://tinyl.io/A1",
     "Prisons Overcrowded In The South: Report, Prison Watch, 2021, https://tinyl.io/A1"),
    ("Prisons overcrowded, Prison Watch, 2021, https://tinyl.io/A1",
     "Journalist sentenced to nine years, Court Desk, 2022, https://tinyl.io/A2"),
    ("Prisons overcrowded, Prison Watch, 2021, https://tinyl.io/A1", "Ibid"),
])
def test_no_duplicate_url_different_title(first, second):
    assert _codes(_pair(first, second), Code.DUPLICATE_URL_DIFFERENT_TITLE) == []


def test_same_title_different_url():
    findings = _pair("Prisons overcrowded in the south, Prison Watch, 2021, https://tinyl.io/A1",
                     "Prisons Overcrowded in the South, Prison Watch, 2021, https://tinyl.io/B2")
    (finding,) = [f for f in findings if f.code == Code.SAME_TITLE_DIFFERENT_URL]
    assert (finding.note_id, finding.severity) == ("2", Severity.INFO)
    assert "https://tinyl.io/A1" in finding.message and "https://tinyl.io/B2" in finding.message


@pytest.mark.parametrize(("first", "second"), [
    ("Prisons overcrowded in the south, Prison Watch, 2021, https://tinyl.io/A1",
     "Prisons overcrowded in the south, Prison Watch, 2021, https://tinyl.io/A1/"),
    ("Annual report, Prison Watch, 2021, https://tinyl.io/A1",
     "Annual report, Court Desk, 2022, https://tinyl.io/B2"),
    ("Prisons overcrowded in the south, Prison Watch, 2021, https://tinyl.io/A1",
     "Prisons overcrowded in the north, Prison Watch, 2021, https://tinyl.io/B2"),
])
def test_no_same_title_different_url(first, second):
    assert _codes(_pair(first, second), Code.SAME_TITLE_DIFFERENT_URL) == []


@pytest.mark.parametrize(("one", "other"), [
    ("https://www.Example.org/a/", "http://example.org/a"),
    ("https://example.org/a#part", "https://example.org/a"),
])
def test_url_key_ignores_what_does_not_change_the_page(one, other):
    assert url_key(one) == url_key(other)


def test_url_key_keeps_the_query():
    assert url_key("https://example.org/a?id=1") != url_key("https://example.org/a?id=2")


def test_findings_come_in_note_order():
    findings = _findings()
    order = [f.note_id for f in findings]
    assert order == sorted(order, key=lambda note_id: int(note_id or 0))


def test_no_findings_without_citations():
    assert offline_findings([]) == []
    assert offline_findings([], Document("d", "poi-text", (Note("1", "x"),), ())) != []


# (body paragraph with one marker, note, whether it is a locator-mismatch) through the reader
PARAGRAPHS = [
    ("Article 3 of the Convention obliges States to prevent torture[footnoteRef:1].",
     "Article 5 of the Convention against Torture", True),
    ("Article 3 of the Convention obliges States to prevent torture[footnoteRef:1].",
     "Article 3 of the Convention against Torture", False),
    ("The Constitution forbids torture. Article 46 of the Constitution protects dignity, and no "
     "one may be humiliated[footnoteRef:1].", "Article 64 of the Constitution of Freedonia", True),
    ("Article 293 of the Criminal Code punishes officials who torture. In practice prosecutors "
     "charge them with abuse of power instead[footnoteRef:1].",
     "Article 308 of the Criminal Code of Freedonia", False),
    ("The Criminal Code was amended in 2012. Officials now face up to 11 years in prison, under "
     "Article 293 of the Criminal Code[footnoteRef:1].", "Article 29 of the Criminal Code", True),
    ("Articles 12, 13 and 14 of the Convention require prompt investigations[footnoteRef:1].",
     "Article 13 of the Convention", False),
    ("Articles 12, 13 and 14 of the Convention require prompt investigations[footnoteRef:1].",
     "Committee against Torture, General Comment No. 3, para. 6", False),
    ("Chapter Three of the Constitution lists basic rights[footnoteRef:1].",
     "Constitution of Freedonia. Chapter III. Basic rights", False),
    ("Under Article 5 of the Law on Assembly, rallies need notice, not permission[footnoteRef:1].",
     "Article 5 of the Law on Freedom of Assembly", False),
    ("Under Article 5 of the Law on Assembly, rallies need notice[footnoteRef:1].",
     "Article 7 of the Criminal Code", False),
    ("Paragraph 12 of the concluding observations asks for an independent body[footnoteRef:1].",
     "Concluding observations on Freedonia, para. 21", True),
    ("The Committee asked for an independent body[footnoteRef:1].",
     "Concluding observations on Freedonia, para. 21", False),
    ("He was held for three days in section 5 of the prison[footnoteRef:1].",
     "Prison Watch, Annual report, p. 5", False),
    ("Law No. 405-IVQD of June 29, 2012 raised the penalties[footnoteRef:1].",
     "Law No. 405-IVQD", False),
]


@pytest.mark.parametrize(("body", "note", "mismatch"), PARAGRAPHS)
def test_locator_mismatch_on_paragraphs(body, note, mismatch):
    doc = _doc(f"{body} [1:  {note} ]")
    findings = offline_findings(build_citations(doc), doc)
    assert (_codes(findings, Code.LOCATOR_MISMATCH) == ["1"]) is mismatch
