"""Locators: finding and normalising them, and when a note and its passage conflict."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.locators import find_locators, locator_conflicts, normalise_instrument


def _triples(text: str) -> list[tuple[str, str, str | None]]:
    return [(loc.kind, loc.value, loc.instrument) for loc in find_locators(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Article 93 of the Criminal Code", [("article", "93", "criminal code")]),
    ("article 93 of the criminal code", [("article", "93", "criminal code")]),
    ("Art. 5(2)", [("article", "5(2)", None)]),
    ("Art 5 (2)(a) of the Convention", [("article", "5(2)(a)", "convention")]),
    ("Article 12bis", [("article", "12bis", None)]),
    ("Article 5 bis", [("article", "5bis", None)]),
    ("Article No. 46 of Chapter Three", [("article", "46", None), ("chapter", "3", None)]),
    ("Article one of the Convention against Torture", [("article", "1", "convention")]),
    ("Article twenty-one of the Constitution", [("article", "21", "constitution")]),
    ("Articles 1, 2 and 4 of the Convention",
     [("article", "1", "convention"), ("article", "2", "convention"),
      ("article", "4", "convention")]),
    ("Articles 12-14 of the Covenant", [("article", "12-14", "covenant")]),
    ("Chapter III", [("chapter", "3", None)]),
    ("chapter 7", [("chapter", "7", None)]),
    ("Part IV", [("part", "4", None)]),
    ("Annex A", [("annex", "A", None)]),
    ("section 5", [("section", "5", None)]),
    ("§ 5", [("section", "5", None)]),
    ("ss. 3-5", [("section", "3-5", None)]),
    ("paragraph 12", [("paragraph", "12", None)]),
    ("para. 12", [("paragraph", "12", None)]),
    ("paras. 12 and 14", [("paragraph", "12", None), ("paragraph", "14", None)]),
    ("p. 4", [("page", "4", None)]),
    ("p.4", [("page", "4", None)]),
    ("pp. 4-6", [("page", "4-6", None)]),
    ("pp. 4–6", [("page", "4-6", None)]),
    ("pages 4 to 6", [("page", "4-6", None)]),
    ("clause 3", [("clause", "3", None)]),
    ("Rule 43 of the Nelson Mandela Rules", [("rule", "43", "rules")]),
    ("Law No. 405-IVQD", [("law", "405-IVQD", None)]),
    ("Decree No. 1234", [("decree", "1234", None)]),
    ("Resolution 2334 (2016)", [("resolution", "2334", None)]),
    ("Article 3 ECHR", [("article", "3", "convention")]),
    ("Article 14 of the ICCPR", [("article", "14", "covenant")]),
    ("Criminal Code, Article 93", [("article", "93", "criminal code")]),
    ("the Constitution’s Article 46", [("article", "46", "constitution")]),
    ("Article 3 of Protocol No. 1 to the Convention", [("article", "3", "protocol")]),
    ("Article 10 of the Law on Mass Media", [("article", "10", "law")]),
    ("section 5 of the Terrorism Act 2000", [("section", "5", "act")]),
    ("Article 293 of the Criminal Code, amended by Law No. 405-IVQD of June 29, 2012",
     [("article", "293", "criminal code"), ("law", "405-IVQD", None)]),
    ("Article 5 of the Penal Code", [("article", "5", "criminal code")]),
    ("Article 5 of the Code of Criminal Procedure",
     [("article", "5", "code of criminal procedure")]),
])
def test_find_locators(text, expected):
    assert _triples(text) == expected


@pytest.mark.parametrize("text", [
    "as part of the plan", "a long article by the editor", "the rules of the game",
    "section 3 of this report", "paragraph 12 above", "the law was passed in 2012",
    "in order to comply", "the Sections were reorganised", "Part of the problem",
    "He filed 3 appeals", "It was, in part, correct", "Annex", "U.S. 5 report",
])
def test_no_locator(text):
    assert find_locators(text) == []


def test_locator_text_is_as_written():
    (locator,) = find_locators("See Article 93 of the Criminal Code of the Republic of Azerbaijan.")
    assert locator.text == "Article 93 of the Criminal Code of the Republic of Azerbaijan"


@pytest.mark.parametrize(("name", "instrument"), [
    ("the Criminal Code", "criminal code"),
    ("Criminal Code of the Republic of Azerbaijan", "criminal code"),
    ("the Convention", "convention"),
    ("Convention against Torture", "convention"),
    ("United Nations Convention against Torture and Other Cruel", "convention"),
    ("Optional Protocol to the Convention against Torture", "protocol"),
    ("Constitution of the Republic of Azerbaijan", "constitution"),
    ("ECHR", "convention"),
    ("CAT/C/AZE/CO/4", "cat/c/aze/co/4"),
    ("June 29", None),
    (None, None),
    ("", None),
])
def test_normalise_instrument(name, instrument):
    assert normalise_instrument(name) == instrument


def _conflicts(note: str, passage: str, clause: str = "") -> list[tuple[str, str]]:
    pairs = locator_conflicts(find_locators(note), find_locators(passage),
                              clause=find_locators(clause))
    return [(cited.text, found.text) for cited, found in pairs]


# (note, passage, clause): the note and the passage name the same thing with other numbers;
# the clause is the part of the passage that ends at the marker ("" when it names nothing)
CONFLICTS = [
    # a slip of the pen anywhere in the passage
    ("Article 93 of the Criminal Code of the Republic of Azerbaijan",
     "Article 293 of the Criminal Code, amended by Law No. 405-IVQD, provides penalties.", ""),
    ("Article 12 of the Convention", "Article 112 of the Convention is cited.", ""),
    ("Article 21 of the Covenant", "Article 12 of the Covenant protects assembly.", ""),
    ("Article 14 of the Constitution", "Article 4 of the Constitution was ignored.", ""),
    ("Article 5 of the Penal Code", "Article 55 of the Criminal Code applies.", ""),
    # any other number in the citing clause itself
    ("Article 3 of the Convention", "Article 11 of the Convention obliges States.",
     "Article 11 of the Convention obliges States"),
    ("Article 3 of the Convention against Torture",
     "Under Article 2 of the United Nations Convention against Torture, States must act.",
     "States must act under Article 2 of the United Nations Convention against Torture"),
    ("Chapter II of the Constitution", "Chapter Three of the Constitution protects dignity.",
     "Chapter Three of the Constitution protects dignity"),
    ("Article 7 ICCPR", "Article 9 of the ICCPR was breached.", "Article 9 of the ICCPR"),
    ("Articles 12 and 13 of the Convention", "Articles 14 and 15 of the Convention apply.",
     "Articles 14 and 15 of the Convention apply"),
    ("pp. 4-6 of the Covenant", "p. 9 of the Covenant", "p. 9 of the Covenant"),
    # no instrument on either side: only inside the clause
    ("Human rights report, para. 14", "as paragraph 12 shows", "as paragraph 12 shows"),
    ("Article 5", "Article 7 guarantees the right to liberty",
     "Article 7 guarantees the right to liberty"),
]


@pytest.mark.parametrize(("note", "passage", "clause"), CONFLICTS)
def test_conflict(note, passage, clause):
    assert len(_conflicts(note, passage, clause)) == 1


# precision first: none of these is a conflict
NO_CONFLICTS = [
    # same numbers, written differently
    ("Chapter III", "It is stipulated in Article No. 46 of Chapter Three regarding rights",
     "It is stipulated in Article No. 46 of Chapter Three regarding rights"),
    ("Chapter III of the Constitution", "Chapter Three of the Constitution", ""),
    ("Article 1 of the Convention", "Article one of the Convention against Torture", ""),
    ("Article 46 of the Constitution", "Article No. 46 of the Constitution", ""),
    ("Article 5(2) of the Convention", "Article 5 of the Convention", ""),
    ("Article 5 of the Convention", "Article 5(3) of the Convention", ""),
    ("pp. 4-6 of the Covenant", "p. 5 of the Covenant", ""),
    ("Articles 1, 2 and 4 of the Convention", "Article 2 of the Convention", ""),
    ("Article 2 of the Convention", "Articles 1, 2 and 4 of the Convention", ""),
    ("Article 93 of the Criminal Code", "Article 293 and Article 93 of the Criminal Code", ""),
    ("Article 93 of the Criminal Code",
     "Article 293 of the Criminal Code ... Article 93 of the Criminal Code", ""),
    # different instruments or kinds
    ("Article 93 of the Criminal Code", "Article 11 of the Convention obliges States.", ""),
    ("Article 3 of the ECHR", "Article 2 of the Convention against Torture", ""),
    ("Article 3 of the Convention against Torture",
     "Article 2 of the European Convention on Human Rights", ""),
    ("Article 5 of the Criminal Code of Georgia", "Article 7 of the Criminal Code of Armenia", ""),
    ("Article 5 of the Constitution", "Chapter 7 of the Constitution", ""),
    ("Article 10 of the Law on Media", "Article 12 of the Criminal Code", ""),
    ("Article 5 of the Code", "Article 6 of the Criminal Code", ""),
    # a locator without instrument is compared only inside the citing clause
    ("Article 5", "Article 7 guarantees the right to liberty", ""),
    ("Chapter 3", "Chapter 2 of the Constitution says so", "Chapter 2 of the Constitution says so"),
    ("Article 5 of the Constitution", "Article 7 guarantees liberty",
     "Article 7 guarantees liberty"),
    ("p. 4", "as page 9 shows", "as page 9 shows"),
    ("Law No. 405-IVQD", "Law No. 12-VI", "Law No. 12-VI"),
    # another article of the same instrument earlier in the passage, not a slip of the pen
    ("Article 308 of the Criminal Code",
     "Article 293 of the Criminal Code punishes torture. Officials are charged instead with "
     "abuse of office.", "Officials are charged instead with abuse of office"),
    ("Article 3 of the Convention", "Article 5 of the Convention says so. It was breached.",
     "It was breached"),
    ("Article 14 of the Convention", "Articles 12 and 13 of the Convention need an inquiry.",
     ""),
    # the passage names the cited number without instrument
    ("Article 16 of the Convention",
     "Article 2 of the Convention requires prevention. Moreover, Article 16 extends it.",
     "Moreover, Article 16 extends it"),
    ("Article 93 of the Criminal Code", "Article 293 of the Criminal Code and Article 93 too.",
     ""),
    # nothing to compare with
    ("Article 93 of the Criminal Code", "The police beat him in custody.", ""),
    ("", "Article 293 of the Criminal Code", ""),
]


@pytest.mark.parametrize(("note", "passage", "clause"), NO_CONFLICTS)
def test_no_conflict(note, passage, clause):
    assert _conflicts(note, passage, clause) == []


def test_conflict_pairs_quote_both_sides():
    ((cited, found),) = _conflicts("Article 93 of the Criminal Code of the Republic of Azerbaijan",
                                   "Article 293 of the Criminal Code, amended by a new law")
    assert "93" in cited and "293" in found


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_find_locators_never_raises(text):
    locators = find_locators(text)
    locator_conflicts(locators, locators, clause=locators)
    assert all(loc.value for loc in locators)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Article", "Articles", "Chapter", "No.", "of the", "Convention",
                                 "III", "5", "12", "(2)", "and", ",", "-", "p.", "pp.", "Three",
                                 "Code", "Law", "section", "§"]), max_size=12))
def test_find_locators_never_raises_on_locator_like_text(words):
    find_locators(" ".join(words))
