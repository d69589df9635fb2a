import pytest

from citecheck.models import Candidate
from citecheck.verify.normalize import compact, key, normalize, parts, script
from citecheck.verify.titles import TRANSLATED, match_title
from citecheck.verify.verdict import Verdict

# A page as the extractor sees it: the article's title in several places, the site's in others.
ARTICLE = (
    Candidate("Ministry denies reports of overcrowding in pre-trial detention centres",
              "og:title"),
    Candidate("Ministry denies reports of overcrowding in pre-trial detention centres "
              "| Caspian Courier", "title"),
    Candidate("Ministry denies reports of overcrowding in pre-trial detention centres",
              "title:split"),
    Candidate("Caspian Courier", "h1"),
    Candidate("Read more from our correspondents", "h2"),
)
SITE = ("Caspian Courier", "caspiancourier.test")


@pytest.mark.parametrize("cited", [
    "Ministry denies reports of overcrowding in pre-trial detention centres",
    "MINISTRY DENIES REPORTS OF OVERCROWDING IN PRE-TRIAL DETENTION CENTRES",
    "ministry denies reports of overcrowding in pre-trial detention centres.",
    "Ministry denies reports of overcrowding in pre‑trial detention centres",  # non-breaking hyphen
    "Ministry denies reports of overcrowding…",
    "Ministry denies reports of overcrowding in pre-trial...",
    "Ministry denies reports of overcrowding in pre-trial detention centres | Caspian Courier",
    "Ministry denies reports of overcrowding in pre-trial detention centres - Caspian Courier",
    "Caspian Courier – Ministry denies reports of overcrowding in pre-trial detention centres",
    "Ministry denies reports of overcrowding in pre-trial detention centres, Caspian Courier",
    "“Ministry denies reports of overcrowding in pre-trial detention centres”",
])
def test_titles_that_must_match(cited):
    match = match_title(cited, ARTICLE, site_names=SITE)
    assert match.verdict is Verdict.MATCH, match


@pytest.mark.parametrize("cited", [
    "Opposition activist says he was beaten in police custody | Caspian Courier",
    "Opposition activist says he was beaten in police custody",
    "Caspian Courier - Court sentences journalist to six years",
    "Weekly market review",
    "Prison reform bill passes first reading",
])
def test_other_articles_of_the_same_site_must_not_match(cited):
    match = match_title(cited, ARTICLE, site_names=SITE)
    assert match.verdict in (Verdict.MISMATCH, Verdict.NEAR), match
    assert match.score < 85


@pytest.mark.parametrize(("cited", "candidates"), [
    # typographic apostrophes and quotes
    ("Why the ombudsman's office stays silent",
     [Candidate("Why the Ombudsman’s Office Stays Silent", "og:title")]),
    ('The so-called "special regime" explained',
     [Candidate("The so-called «special regime» explained", "json-ld:headline")]),
    # the footnote cites the h1 while og:title carries a kicker
    ("Detainees report beatings at Kurdakhani",
     [Candidate("EXCLUSIVE: Inside the detention centre", "og:title"),
      Candidate("Detainees report beatings at Kurdakhani", "h1")]),
    # the site name is only in <title>, in front
    ("Annual report on freedom of assembly",
     [Candidate("Rights Watchers » Annual report on freedom of assembly", "title")]),
    # Korean, truncated: short in characters
    ("대전일보 모바일 :: 코로나19 극복 성금…",
     [Candidate("대전일보 모바일 :: 코로나19 극복 성금 기탁 줄 잇는다", "og:title")]),
    # Japanese with a full-width bar before the site name
    ("与党が新しい予算案を発表",
     [Candidate("与党が新しい予算案を発表｜ニュースサイト", "title")]),
    # a short title that starts the page's longer h1
    ("Leslie Clio", [Candidate("Leslie Clio Brave New Woman", "h1")]),
])
def test_title_forms_that_must_match(cited, candidates):
    assert match_title(cited, candidates).verdict is Verdict.MATCH


@pytest.mark.parametrize(("cited", "candidates"), [
    ("Human rights report 2021", [Candidate("Human rights report 2022", "og:title")]),
    ("Country report: Azerbaijan 2019", [Candidate("Country report: Azerbaijan 2020", "h1")]),
])
def test_another_edition_is_at_best_borderline(cited, candidates):
    assert match_title(cited, candidates).verdict is Verdict.NEAR


def test_the_site_name_in_an_h1_does_not_confirm_any_article_of_the_site():
    candidates = [Candidate("Dispatches from the Caucasus", "h1"),
                  Candidate("Dispatches from the Caucasus » Podcasts about election law", "title")]
    site = ["Dispatches from the Caucasus"]
    cited = "Interview with a former prosecutor | Dispatches from the Caucasus"
    assert match_title(cited, candidates, site_names=site).verdict is Verdict.MISMATCH
    right = "Podcasts about election law | Dispatches from the Caucasus"
    assert match_title(right, candidates, site_names=site).verdict is Verdict.MATCH


def test_a_site_name_that_is_also_the_page_title_still_confirms_a_truncated_footnote():
    title = "Land paid 1.4 million euros in culling bonuses for the 2020/2021 season"
    candidates = [Candidate(title, "og:title"), Candidate(f"{title} | MLUK", "title")]
    cited = "Land paid 1.4 million euros in culling bonuses…"
    assert match_title(cited, candidates, site_names=[title, "MLUK"]).verdict is Verdict.MATCH


def test_best_candidate_is_reported_with_its_source():
    match = match_title("Detainees report beatings at Kurdakhani", [
        Candidate("Site news", "og:title"),
        Candidate("Detainees report beating at Kurdakhani prison", "h1"),
    ])
    assert match.source == "h1"
    assert match.found == "Detainees report beating at Kurdakhani prison"
    assert match.verdict is Verdict.MATCH


def test_text_opening_can_confirm_a_title_when_no_candidate_does():
    text = "  REPORT OF THE SPECIAL RAPPORTEUR ON PRISON CONDITIONS\n\nIntroduction. The visit..."
    match = match_title("Report of the Special Rapporteur on prison conditions", [], text)
    assert (match.verdict, match.source) == (Verdict.MATCH, "text")


def test_text_alone_never_refutes_a_title():
    match = match_title("Report of the Special Rapporteur", [], "Some unrelated opening text")
    assert match.verdict is Verdict.MISSING


@pytest.mark.parametrize("cited", ["", "  ", "…", " | "])
def test_empty_cited_title_is_missing(cited):
    assert match_title(cited, ARTICLE).verdict is Verdict.MISSING


def test_no_candidates_is_missing():
    assert match_title("Any title", []).verdict is Verdict.MISSING


@pytest.mark.parametrize(("text", "expected"), [
    ("  “Self-Inflicted,” He Said. ", 'self-inflicted," he said'),
    ("‘Foreign agents’ law", "foreign agents' law"),
    ("Ａ　ＢＣ", "a bc"),  # NFKC: full-width letters and space
    ("Radio Free Europe – Radio Liberty", "radio free europe - radio liberty"),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_key_and_compact():
    assert key("RFE/RL: Azerbaijan’s “foreign agents”") == "rfe rl azerbaijan s foreign agents"
    assert compact("oc-media") == "ocmedia"


@pytest.mark.parametrize(("title", "expected"), [
    ("Title of the article | Site", ["title of the article", "site"]),
    ("Site » Blog » A post", ["site", "blog", "a post"]),
    ("Januar – Mai 2020 - site.de", ["januar", "mai 2020", "site.de"]),
    ("Pre-trial detention: a guide", ["pre-trial detention: a guide"]),
    ("記事の題名｜サイト", ["記事の題名", "サイト"]),
])
def test_parts(title, expected):
    assert parts(title) == expected


def test_a_title_in_another_script_is_borderline_with_a_hint():
    candidates = [Candidate("Азербайджан: задержан журналист", "og:title"),
                  Candidate("Азербайджан: задержан журналист - Новости", "title")]
    match = match_title("Azerbaijan: journalist detained", candidates)
    assert (match.verdict, match.hint) == (Verdict.NEAR, TRANSLATED)


def test_a_title_in_the_same_script_gets_no_translation_hint():
    match = match_title("Journalist released on bail", [Candidate("Court hears appeal", "h1")])
    assert (match.verdict, match.hint) == (Verdict.MISMATCH, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("Azerbaijan: journalist detained", "LATIN"),
    ("Азербайджан: задержан журналист", "CYRILLIC"),
    ("مصر تسجل 30 إصابة جديدة", "ARABIC"),
    ("与党が新しい予算案を発表", "CJK"),
    ("コロナウイルス", "CJK"),
    ("코로나19 극복 성금", "HANGUL"),
    ("2022 – 405", None),
])
def test_script(text, expected):
    assert script(text) == expected
