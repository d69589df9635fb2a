"""parse_note on each footnote style: title, publisher, date, URL, accessed, locators."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.fields import publisher_score
from citecheck.citations.parse import ParsedNote, parse_note, take_urls
from citecheck.models import DatePrecision, Kind

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR

# (note, title, publisher, date, precision, url)
TITLE_PUBLISHER_DATE_LINK = [
    ("Prison doctors report rising injuries among detainees, Caucasus Monitor, 3 March 2021, "
     "link: https://tinyl.io/Qx1",
     "Prison doctors report rising injuries among detainees", "Caucasus Monitor", "2021-03-03",
     DAY, "https://tinyl.io/Qx1"),
    ("Annual Review of Detention Conditions: Georgia, Office of the Public Defender, may 2020, "
     "link: https://example.org/review",
     "Annual Review of Detention Conditions: Georgia", "Office of the Public Defender", "2020-05",
     MONTH, "https://example.org/review"),
    ("Court jails reporter for eight years, Press Freedom Desk, October 2, 2019, "
     "link: https://pfd.example.net/a/123.",
     "Court jails reporter for eight years", "Press Freedom Desk", "2019-10-02", DAY,
     "https://pfd.example.net/a/123"),
    ("Lawyers Say Client Was Beaten, Officials Deny It, Radio Free Europe/Radio Liberty, "
     "February 1, 2021, link: https://tinyl.io/Zz9",
     "Lawyers Say Client Was Beaten, Officials Deny It", "Radio Free Europe/Radio Liberty",
     "2021-02-01", DAY, "https://tinyl.io/Zz9"),
    ("hunger strike enters third week in central prison, KAVKAZ.INFO, 11 Jan 2022, "
     "link: https://tinyl.io/H1",
     "hunger strike enters third week in central prison", "KAVKAZ.INFO", "2022-01-11", DAY,
     "https://tinyl.io/H1"),
    ("Students detained after campus rally, eurasia-daily, 30 June 2018, link: https://tinyl.io/S",
     "Students detained after campus rally", "eurasia-daily", "2018-06-30", DAY,
     "https://tinyl.io/S"),
    ("Police disperse pensioners' protest, Us department of state, 2017, link: https://x.org/p",
     "Police disperse pensioners' protest", "Us department of state", "2017", YEAR,
     "https://x.org/p"),
    ("Report on the situation of human rights defenders, Council of Europe, 21.11.2023, "
     "link: https://tinyl.io/Rep",
     "Report on the situation of human rights defenders", "Council of Europe", "2023-11-21", DAY,
     "https://tinyl.io/Rep"),
]

PUBLISHER_QUOTED_TITLE = [
    ("Human Rights Watch, “Azerbaijan: Crackdown on Critics Deepens”, 12 May 2023, "
     "https://www.hrw.org/news/2023/05/12/azerbaijan",
     "Azerbaijan: Crackdown on Critics Deepens", "Human Rights Watch", "2023-05-12", DAY,
     "https://www.hrw.org/news/2023/05/12/azerbaijan"),
    ("Amnesty International, 'Free the jailed journalists now', 4 April 2022, "
     "https://www.amnesty.org/en/latest/x/",
     "Free the jailed journalists now", "Amnesty International", "2022-04-04", DAY,
     "https://www.amnesty.org/en/latest/x/"),
    ("Freedom House, \"Nations in Transit 2022: Azerbaijan\", 2022, https://freedomhouse.org/n",
     "Nations in Transit 2022: Azerbaijan", "Freedom House", "2022", YEAR,
     "https://freedomhouse.org/n"),
    ("OSCE/ODIHR, “Opinion on the Draft Law on Media,” 20 March 2021, https://osce.org/o",
     "Opinion on the Draft Law on Media", "OSCE/ODIHR", "2021-03-20", DAY, "https://osce.org/o"),
    ("“Detained blogger’s health worsens”, Meydan TV, 2 Feb 2024, https://meydan.tv/x",
     "Detained blogger’s health worsens", "Meydan TV", "2024-02-02", DAY, "https://meydan.tv/x"),
]

TITLE_PARENTHESES_ANGLE_URL = [
    ("Jailed economist released on bail (Eurasianet, 14 March 2022) "
     "<https://eurasianet.org/jailed>",
     "Jailed economist released on bail", "Eurasianet", "2022-03-14", DAY,
     "https://eurasianet.org/jailed"),
    ("Concluding observations on the fourth periodic report (UN Committee against Torture, "
     "January 2016) <https://undocs.org/CAT/C/AZE/CO/4>",
     "Concluding observations on the fourth periodic report", "UN Committee against Torture",
     "2016-01", MONTH, "https://undocs.org/CAT/C/AZE/CO/4"),
    ("The cost of speaking out (Amnesty International 2022) <https://amnesty.example/c>",
     "The cost of speaking out", "Amnesty International", "2022", YEAR,
     "https://amnesty.example/c"),
    ("Prisoners on hunger strike (OC Media, 4 May 2021), https://oc-media.example/b",
     "Prisoners on hunger strike", "OC Media", "2021-05-04", DAY, "https://oc-media.example/b"),
    ("Protesters fined after peaceful march (BBC News, 5 September 2020) www.bbc.com/news/x1",
     "Protesters fined after peaceful march", "BBC News", "2020-09-05", DAY,
     "http://www.bbc.com/news/x1"),
]

TITLE_PUBLISHER_AVAILABLE_AT = [
    ("Human Rights Watch. (2023, March 2). Torture in custody continues. https://hrw.example/h",
     "Torture in custody continues", "Human Rights Watch", "2023-03-02", DAY,
     "https://hrw.example/h"),
    ("Caucasian Knot. Court extends arrest of activist. 12.01.2023. URL: https://kavkaz.example/k",
     "Court extends arrest of activist", "Caucasian Knot", "2023-01-12", DAY,
     "https://kavkaz.example/k"),
    ("Trial monitoring report. OSCE Mission. Available at: https://osce.example/d "
     "(accessed 3 May 2024).", "Trial monitoring report", "OSCE Mission", None, None,
     "https://osce.example/d"),
    ("Torture in custody: a survey of former detainees. Justice Initiative. Available at: "
     "https://justice.example.org/survey.pdf (accessed 3 May 2024).",
     "Torture in custody: a survey of former detainees", "Justice Initiative", None, None,
     "https://justice.example.org/survey.pdf"),
    ("The right to a fair trial under pressure. Legal Aid Network, 2021. Available from: "
     "https://lan.example.org/fair-trial (last visited 1 June 2023)",
     "The right to a fair trial under pressure", "Legal Aid Network", "2021", YEAR,
     "https://lan.example.org/fair-trial"),
]

PUBLISHER_FIRST_UNQUOTED = [
    ("UN Human Rights Committee, Concluding observations on the fifth periodic report of "
     "Freedonia, CCPR/C/FRE/CO/5, 30 November 2021, https://undocs.example/ccpr",
     "Concluding observations on the fifth periodic report of Freedonia",
     "UN Human Rights Committee", "2021-11-30", DAY, "https://undocs.example/ccpr"),
    ("Amnesty International, Freedonia: Authorities must free activists (Index: EUR 55/1234/2023),"
     " 12 May 2023, https://amnesty.example/a",
     "Freedonia: Authorities must free activists", "Amnesty International", "2023-05-12", DAY,
     "https://amnesty.example/a"),
    ("Council of Europe Commissioner for Human Rights, Report following her visit to Freedonia, "
     "CommDH(2019)27, 11 December 2019, https://coe.example/r",
     "Report following her visit to Freedonia",
     "Council of Europe Commissioner for Human Rights", "2019-12-11", DAY,
     "https://coe.example/r"),
    ("Official website of the President of Freedonia, Decree on pardon, 17 March 2023, "
     "https://president.example/59382", "Decree on pardon",
     "Official website of the President of Freedonia", "2023-03-17", DAY,
     "https://president.example/59382"),
    ("\"Freedonia: Free the Newsroom Journalists\", Committee to Protect Journalists, "
     "28 November 2023. https://cpj.example/2023/11/f", "Freedonia: Free the Newsroom Journalists",
     "Committee to Protect Journalists", "2023-11-28", DAY, "https://cpj.example/2023/11/f"),
    ("The Guardian, Freedonia accused of torturing opposition activists, 10 October 2021, "
     "https://www.guardian.example/world/2021/oct/10/f",
     "Freedonia accused of torturing opposition activists", "The Guardian", "2021-10-10", DAY,
     "https://www.guardian.example/world/2021/oct/10/f"),
    ("Reuters. Freedonia detains journalists. 21 November 2023. https://reuters.example/f-2023",
     "Freedonia detains journalists", "Reuters", "2023-11-21", DAY,
     "https://reuters.example/f-2023"),
    ("See Freedom House, Freedom in the World 2023: Freedonia, https://fh.example/2023",
     "Freedom in the World 2023: Freedonia", "Freedom House", None, None,
     "https://fh.example/2023"),
    ("Interview with a former detainee, 14 February 2023 (name withheld for safety), "
     "https://notes.example/i", "Interview with a former detainee", None, "2023-02-14", DAY,
     "https://notes.example/i"),
]

OTHER_LANGUAGES = [
    ("Задержан главный редактор, Туран, 20 июля 2023, https://turan.example/1",
     "Задержан главный редактор", "Туран", "2023-07-20", DAY, "https://turan.example/1"),
    ("Un journaliste condamné à neuf ans, Le Monde, 6 septembre 2022, https://lm.example/x",
     "Un journaliste condamné à neuf ans", "Le Monde", "2022-09-06", DAY, "https://lm.example/x"),
    ("Detenido un periodista en la capital, El País, 20 de julio de 2023, https://ep.example/y",
     "Detenido un periodista en la capital", "El País", "2023-07-20", DAY,
     "https://ep.example/y"),
    ("Journalist festgenommen, Deutsche Welle, 6. September 2022, https://dw.example/z",
     "Journalist festgenommen", "Deutsche Welle", "2022-09-06", DAY, "https://dw.example/z"),
    ("Gazeteci tutuklandı, Bianet, 12 Ekim 2020, https://bianet.example/t",
     "Gazeteci tutuklandı", "Bianet", "2020-10-12", DAY, "https://bianet.example/t"),
]

ALL_STYLES = (TITLE_PUBLISHER_DATE_LINK + PUBLISHER_FIRST_UNQUOTED + PUBLISHER_QUOTED_TITLE
              + TITLE_PARENTHESES_ANGLE_URL + TITLE_PUBLISHER_AVAILABLE_AT + OTHER_LANGUAGES)


@pytest.mark.parametrize(("note", "title", "publisher", "date", "precision", "url"), ALL_STYLES)
def test_each_style_gives_every_field(note, title, publisher, date, precision, url):
    parsed = parse_note(note)
    assert (parsed.title, parsed.publisher) == (title, publisher)
    assert (parsed.date, parsed.date_precision) == (date, precision)
    assert parsed.url == url
    assert parsed.kind == Kind.WEB


@pytest.mark.parametrize(("note", "accessed", "date"), [
    ("Title of the page. Publisher Name. Available at: https://a.example/x "
     "(accessed 3 May 2024)", "2024-05-03", None),
    ("A report on prisons, Prison Watch, 12 June 2019, https://a.example/y, accessed on "
     "1 February 2020", "2020-02-01", "2019-06-12"),
    ("A report on prisons, Prison Watch, 12 June 2019. Retrieved on 5 March 2021 from "
     "https://a.example/z", "2021-03-05", "2019-06-12"),
    ("A report on prisons, Prison Watch, 2019, https://a.example/w [last visited: 2023-09-30]",
     "2023-09-30", "2019"),
    ("Un rapport sur les prisons, Observatoire, 6 septembre 2022, https://a.example/f "
     "(consulté le 7 octobre 2023)", "2023-10-07", "2022-09-06"),
    ("A report on prisons, Prison Watch, 12 June 2019, https://a.example/v", None, "2019-06-12"),
])
def test_accessed_date_is_not_the_publication_date(note, accessed, date):
    parsed = parse_note(note)
    assert parsed.accessed == accessed
    assert parsed.date == date


@pytest.mark.parametrize(("note", "url", "urls"), [
    ("Title, Pub, 2020, link: https://a.example/x.", "https://a.example/x", ()),
    ("Title, Pub, 2020, <https://a.example/x>", "https://a.example/x", ()),
    ("Title, Pub (https://a.example/x), 2020", "https://a.example/x", ()),
    ("Title, Pub, 2020, https://en.example.org/wiki/Trial_(law)", "https://en.example.org/wiki/"
     "Trial_(law)", ()),
    ("Title, Pub, 2020, https://a.example/x; see also https://b.example/y.",
     "https://a.example/x", ("https://b.example/y",)),
    ("Title, Pub, 2020, www.example.org/report?id=5&lang=en,", "http://www.example.org/report?"
     "id=5&lang=en", ()),
    ("Title, Pub, 2020, HTTPS://A.EXAMPLE/Caps", "HTTPS://A.EXAMPLE/Caps", ()),
    ("Title, Pub, 2020, link: https://a.example/x https://a.example/x", "https://a.example/x",
     ()),
])
def test_urls_are_found_and_trimmed(note, url, urls):
    parsed = parse_note(note)
    assert (parsed.url, parsed.urls) == (url, urls)


def test_link_targets_are_used_when_the_text_has_no_url():
    parsed = parse_note("Activists detained in Baku, Turan, 3 May 2021",
                        link_targets=("https://turan.example/a1", "mailto:x@example.org"))
    assert parsed.url == "https://turan.example/a1"
    assert parsed.kind == Kind.WEB
    assert parsed.title == "Activists detained in Baku"


@pytest.mark.parametrize("note", [
    "Activists detained in Baku, Turan, 3 May 2021, link",
    "Activists detained in Baku, Turan, 3 May 2021, available here.",
    "Activists detained in Baku, Turan, 3 May 2021. Link:",
    "Activists detained in Baku, Turan, 3 May 2021, available online",
])
def test_a_label_whose_link_is_a_hyperlink_target(note):
    parsed = parse_note(note, link_targets=("https://turan.example/a1",))
    assert (parsed.title, parsed.publisher, parsed.date) == (
        "Activists detained in Baku", "Turan", "2021-05-03")
    assert parsed.url == "https://turan.example/a1"


def test_link_targets_add_to_urls_in_the_text():
    parsed = parse_note("Title, Pub, 2020, https://a.example/x",
                        link_targets=("https://b.example/y", "https://a.example/x"))
    assert (parsed.url, parsed.urls) == ("https://a.example/x", ("https://b.example/y",))


def test_url_labels_do_not_leak_into_fields():
    parsed = parse_note("Some title here, Some Publisher, 2 May 2020, link: https://a.example/x")
    assert parsed.publisher == "Some Publisher"
    text = take_urls("Title. Publisher. Available at: https://a.example/x")[1]
    assert "Available" not in text and "https" not in text


# ------------------------------------------------------------------------ no link, legal, books

@pytest.mark.parametrize(("note", "title", "publisher", "date", "locators"), [
    ("Article 93 of the Criminal Code of the Republic of Azerbaijan",
     "Article 93 of the Criminal Code of the Republic of Azerbaijan", None, None,
     [("article", "93", "criminal code")]),
    ("Law No. 12-VI on Freedom of Assembly", "Law No. 12-VI on Freedom of Assembly", None, None,
     [("law", "12-VI", None)]),
    ("J. Smith, Policing Protest in the Caucasus, Routledge (2019), p. 12",
     "Policing Protest in the Caucasus", "Routledge", "2019", [("page", "12", None)]),
    ("Anna Petrova, Prisons After Empire: Reform and Its Limits, Oxford University Press, 2020, "
     "pp. 45-47", "Prisons After Empire: Reform and Its Limits", "Oxford University Press",
     "2020", [("page", "45-47", None)]),
    ("Smith, J. (2020). Policing protest. Oxford University Press.", "Policing protest",
     "Oxford University Press", "2020", []),
    ("Smith J., Prisons and Power, Cambridge University Press, 2018, p. 44.",
     "Prisons and Power", "Cambridge University Press", "2018", [("page", "44", None)]),
    ("Decision of the Constitutional Court of Freedonia No. 5/2021 of 12 March 2021",
     "Decision of the Constitutional Court of Freedonia No. 5/2021", None, "2021-03-12", []),
    ("For more information, see the statement by the Ombudsman on 4 April 2022.",
     "the statement by the Ombudsman", None, "2022-04-04", []),
    ("Ministry of Justice of Freedonia, Annual statistics on detention, 2022.",
     "Annual statistics on detention", "Ministry of Justice of Freedonia", "2022", []),
    ("A. Ivanova and B. Petrov, \"Torture in Post-Soviet Prisons\", Journal of Human Rights "
     "(2019), pp. 201-225", "Torture in Post-Soviet Prisons", "Journal of Human Rights", "2019",
     [("page", "201-225", None)]),
    ("Constitution of the Republic of Azerbaijan, Art. 46(3)",
     "Constitution of the Republic of Azerbaijan", None, None,
     [("article", "46(3)", "constitution")]),
])
def test_notes_without_links(note, title, publisher, date, locators):
    parsed = parse_note(note)
    assert parsed.kind == Kind.NO_LINK
    assert (parsed.title, parsed.publisher, parsed.date) == (title, publisher, date)
    assert [(loc.kind, loc.value, loc.instrument) for loc in parsed.locators] == locators


def test_confidence_is_lower_when_fields_are_missing():
    full = parse_note("Court jails reporter, Press Desk, 2 May 2020, https://a.example/x")
    bare = parse_note("https://a.example/x")
    assert 0 <= bare.confidence < full.confidence <= 1
    assert bare.title is None


def test_several_sources_in_one_note_take_the_first_and_lower_confidence():
    parsed = parse_note("Court jails reporter, Press Desk, 2 May 2020; Reporter freed on appeal, "
                        "Other Desk, 9 June 2020")
    assert parsed.title == "Court jails reporter"
    assert parsed.date == "2020-05-02"
    assert parsed.confidence < parse_note("Court jails reporter, Press Desk, 2 May 2020").confidence


@pytest.mark.parametrize("note", ["", "   ", ",,,", "https://", "[]", "()", "Ibid", "2020"])
def test_degenerate_notes_parse(note):
    assert isinstance(parse_note(note), ParsedNote)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(max_size=40), max_size=3))
def test_parse_note_never_raises(text, targets):
    parsed = parse_note(text, targets)
    assert 0.0 <= parsed.confidence <= 1.0


@pytest.mark.parametrize("text", [
    "A. " * 3000, "No. " * 3000, "of 3 May 2020 " * 1000, "Articles " + "1, " * 3000,
    "'a " * 3000, "(" * 3000 + ")" * 3000, "https://" + "a" * 10000, "Smith " * 3000 + "et",
    "Title, Publisher, 3 May 2020, https://a.example/x " * 300,
])
def test_very_long_notes_parse(text):
    # a reader's best-effort text for a note with unbalanced brackets can be a whole page
    assert isinstance(parse_note(text), ParsedNote)


@pytest.mark.parametrize(("low", "high"), [
    ("journalist removes social media posts under duress", "Azerbaijan Internet Watch"),
    ("Number of soldiers tortured now estimated at 405", "Business news from Eastern Europe"),
    ("Abzas Media's Executive Director Detained", "Council of Europe"),
    ("2022 Country Reports on Human Rights Practices: Azerbaijan", "Us department of state"),
    ("Blogger claims of torture at police", "TURAN"),
    ("Activist claims to have been kidnapped", "oc-media"),
    ("Tortured in Azerbaijani Detention Center", "MEYDAN.TV"),
    ("Decree on pardon", "Official website of the President"),
    ("World Report", "Human Rights Watch"),
])
def test_publisher_score_prefers_names_to_headlines(low, high):
    assert publisher_score(low) < publisher_score(high)
