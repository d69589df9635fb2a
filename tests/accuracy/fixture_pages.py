"""Sixteen small article pages, written for these tests, in the styles real sites use.

Each is served under its own (made-up) URL and cited by the generated notes. They cover
JSON-LD, Open Graph and meta dates, <time>, dates only in the byline, numeric dates written
day first and month first, a teaser or comment whose date is a swap of the article's, a
WordPress "?p=" link, a Unicode host over plain HTTP, a windows-1252 page, and eleven
languages. The sites, people and events are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from accuracy_notes import Source


@dataclass(frozen=True)
class FixturePage:
    """A page as served (bytes, charset) and what is known about it."""

    source: Source
    html: str
    charset: str = "utf-8"

    @property
    def body(self) -> bytes:
        """The page's bytes in its charset."""
        return self.html.encode(self.charset)


def _ld(kind: str, headline: str, published: str, publisher: str) -> str:
    return ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"'
            f'{kind}","headline":"{headline}","datePublished":"{published}",'
            f'"publisher":{{"@type":"Organization","name":"{publisher}"}}}}</script>')


HARBOUR = FixturePage(Source(
    "harbour-times", "https://www.harbourtimes.co.uk/news/ferry-strike-ends",
    "Ferry strike ends after six weeks of talks", "2023-03-14", "The Harbour Times"), f"""
<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>Ferry strike ends after six weeks of talks | The Harbour Times</title>
<meta property="og:title" content="Ferry strike ends after six weeks of talks">
<meta property="og:site_name" content="The Harbour Times">
{_ld("NewsArticle", "Ferry strike ends after six weeks of talks", "2023-03-14T08:30:00+00:00",
     "The Harbour Times")}</head><body>
<header><a href="/">The Harbour Times</a> <span class="today">Tuesday 21 November 2023</span>
<nav><a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<article><h1>Ferry strike ends after six weeks of talks</h1>
<p class="byline">By Mairi Fraser, 14 March 2023</p>
<p>Crews voted by 212 to 31 to accept a pay offer, and the first sailing leaves at six.</p>
<p>The island's shops had run short of fresh milk by the fourth week of the dispute.</p></article>
<aside><h2>Related</h2><ul><li>Talks stall over night shifts <span>12 February 2023</span></li>
<li>Island schools close early <span>3 March 2023</span></li></ul></aside>
<section class="comments"><p>Alan, 15/03/2023: About time.</p></section>
<footer>© 2023 Harbour Media Ltd</footer></body></html>""")

LEDGER = FixturePage(Source(
    "midwest-ledger", "https://www.midwestledger.com/2022/06/09/county-budget-vote/",
    "County board approves budget after late-night vote", "2022-06-09", "Midwest Ledger"), """
<!doctype html><html lang="en-US"><head><meta charset="utf-8">
<title>County board approves budget after late-night vote - Midwest Ledger</title>
<meta property="og:site_name" content="Midwest Ledger">
<meta property="article:published_time" content="2022-06-09T14:02:00-05:00">
<meta property="article:modified_time" content="2022-06-10T09:15:00-05:00">
</head><body><div class="top">Weather: 71°F</div>
<main><h1>County board approves budget after late-night vote</h1>
<div class="meta">June 9, 2022 · 3 min read</div>
<p>The board passed the $48 million budget 4-3 shortly after 11 p.m.</p>
<p>Road repairs get the largest increase, up 14 percent on last year.</p>
<div class="comments"><p>Posted 09/06/2022 by ReaderMike: what about the library?</p></div>
</main><footer>Copyright 2022 Midwest Ledger</footer></body></html>""")

GARTEN = FixturePage(Source(
    "gartenzeit", "https://www.gartenzeit-blog.de/hochbeet-anlegen/",
    "Hochbeet anlegen: So gelingt der Start", "2021-04-18", "Gartenzeit"), """
<!doctype html><html lang="de-DE"><head><meta charset="utf-8">
<title>Hochbeet anlegen: So gelingt der Start - Gartenzeit</title>
<meta property="og:site_name" content="Gartenzeit">
</head><body><div class="site-title">Gartenzeit</div>
<article><h1 class="entry-title">Hochbeet anlegen: So gelingt der Start</h1>
<div class="entry-meta"><time class="entry-date published" datetime="2021-04-18T10:12:00+02:00">
18. April 2021</time> von Jana</div>
<p>Unten kommen grobe Äste hinein, darüber Laub und zuletzt gute Erde, etwa 30 Zentimeter.</p>
</article><div id="comments"><p>Kommentar vom 4. Juni 2021: Hat bei uns gut geklappt!</p>
</div><footer>© 2021 Gartenzeit</footer></body></html>""")

LYON = FixturePage(Source(
    "actu-lyon", "https://actu-lyon.fr/societe/la-bibliotheque-rouvre-ses-portes",
    "La bibliothèque municipale rouvre ses portes", "2022-06-05", "Actu Lyon"), """
<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>La bibliothèque municipale rouvre ses portes – Actu Lyon</title>
<meta name="date" content="2022-06-05">
<meta property="og:title" content="La bibliothèque municipale rouvre ses portes">
</head><body><header>Actu Lyon</header><h1>La bibliothèque municipale rouvre ses portes</h1>
<p class="date">Publié le 5 juin 2022 à 09h14</p>
<p>Après dix-huit mois de travaux, les lecteurs retrouvent 120 000 livres et une salle neuve.</p>
<p>Lire aussi : Le marché de la Croix-Rousse déménage (publié le 2 mai 2022)</p>
</body></html>""")

VALLE = FixturePage(Source(
    "diario-del-valle", "https://www.diariodelvalle.com.bo/nacional/puente-reabierto.html",
    "Reabren el puente sobre el río Grande tras dos meses", "2022-05-03", "Diario del Valle"),
    f"""<!doctype html><html lang="es"><head><meta charset="utf-8">
<title>Reabren el puente sobre el río Grande tras dos meses | Diario del Valle</title>
<meta property="og:site_name" content="Diario del Valle">
{_ld("NewsArticle", "Reabren el puente sobre el río Grande tras dos meses",
     "2022-05-04T02:41:00Z", "Diario del Valle")}</head><body>
<h1>Reabren el puente sobre el río Grande tras dos meses</h1>
<div class="autor">Lucía Rojas<br>3/5/2022 22:41</div>
<p>Unos 1.500 vehículos cruzaron el puente en la primera hora, según la alcaldía.</p>
</body></html>""")

PLANALTO = FixturePage(Source(
    "folha-planalto", "https://www.folhadoplanalto.com.br/cidades/ponte-nova-inaugurada",
    "Ponte nova é inaugurada no bairro Vila Rica", "2022-05-04", "Folha do Planalto"), """
<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<title>Ponte nova é inaugurada no bairro Vila Rica - Folha do Planalto</title>
<meta property="og:site_name" content="Folha do Planalto">
<meta property="article:published_time" content="2022-05-04T11:43:00-03:00">
</head><body><h1>Ponte nova é inaugurada no bairro Vila Rica</h1>
<p>Por Carla Souza | 04/05/2022 08:43</p>
<p>A obra custou 2,3 milhões de reais e liga o bairro ao centro em dez minutos.</p>
<div class="leia-tambem">Leia também: Obras da ponte entram na reta final 05/04/2022</div>
</body></html>""")

SHINPO = FixturePage(Source(
    "keizai-shinpo", "https://www.keizai-shinpo.jp/articles/2023/0314a.html",
    "物流大手、新倉庫を開設へ", "2023-03-14", "経済新報"), f"""
<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>物流大手、新倉庫を開設へ｜経済新報</title>
<meta property="og:title" content="物流大手、新倉庫を開設へ">
<meta property="og:site_name" content="経済新報">
{_ld("NewsArticle", "物流大手、新倉庫を開設へ", "2023-03-14T09:00:00+09:00", "経済新報")}
</head><body><h1>物流大手、新倉庫を開設へ</h1><p class="date">2023年3月14日 9:00</p>
<p>同社は埼玉県に延べ床面積4万平方メートルの倉庫を建設すると発表した。</p>
<p>関連記事：2023年2月3日 運賃値上げ相次ぐ</p></body></html>""")

GOROD = FixturePage(Source(
    "gorod-news", "https://gorod-news.ru/society/park-otkryt",
    "В центре города открыли новый парк", "2023-03-14", "Городские новости"), """
<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>В центре города открыли новый парк — Городские новости</title>
<meta property="og:site_name" content="Городские новости">
</head><body><h1>В центре города открыли новый парк</h1>
<time datetime="2023-03-14T12:00:00+03:00" class="published">14 марта 2023</time>
<p>В парке высадили 350 деревьев и установили 40 скамеек.</p></body></html>""")

WADI = FixturePage(Source(
    "alwadi", "https://www.alwadi-news.com/articles/water-station",
    "افتتاح محطة جديدة لتحلية المياه", "2020-03-17", "أخبار الوادي"), f"""
<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>افتتاح محطة جديدة لتحلية المياه | أخبار الوادي</title>
<meta property="og:site_name" content="أخبار الوادي">
{_ld("NewsArticle", "افتتاح محطة جديدة لتحلية المياه", "2020-03-17T10:00:00+03:00",
     "أخبار الوادي")}</head><body><h1>افتتاح محطة جديدة لتحلية المياه</h1>
<p>تنتج المحطة 25 ألف متر مكعب من المياه يوميا.</p></body></html>""")

RADA = FixturePage(Source(
    "przyklad-pl", "https://wiadomosci.przyklad.pl/kraj/rada-miasta-budzet",
    "Rada miasta przyjęła budżet na przyszły rok", "2023-11-02", "Wiadomości Przykład"), f"""
<!doctype html><html lang="pl"><head><meta charset="utf-8">
<title>Rada miasta przyjęła budżet na przyszły rok - Wiadomości Przykład</title>
<meta property="og:site_name" content="Wiadomości Przykład">
{_ld("NewsArticle", "Rada miasta przyjęła budżet na przyszły rok", "2023-11-02T13:29:00+01:00",
     "Wiadomości Przykład")}</head><body>
<h1>Rada miasta przyjęła budżet na przyszły rok</h1><p>Dzisiaj, 02-11-2023 13:29</p>
<p>Za głosowało 21 radnych, przeciw 9.</p></body></html>""")

VOGEL = FixturePage(Source(
    "vogelfreunde", "https://www.vogelfreunde-nord.de/?p=4812",
    "Kraniche rasten am Stausee", "2022-10-08", "Vogelfreunde Nord"), """
<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Kraniche rasten am Stausee &#8211; Vogelfreunde Nord</title>
<meta property="og:site_name" content="Vogelfreunde Nord">
<meta property="article:published_time" content="2022-10-08T18:20:11+00:00">
</head><body><h1 class="entry-title">Kraniche rasten am Stausee</h1>
<span class="posted-on">8. Oktober 2022</span>
<p>Am Samstag zählten wir rund 2.400 Kraniche auf den Wiesen am Südufer.</p></body></html>""")

OCRM = FixturePage(Source(
    "ocrm", "https://www.ocrm.org/en/reports/detention-conditions-2021",
    "Conditions of detention in regional police stations", "2021-01-28",
    "Office for Civic Rights Monitoring", "OCRM"), f"""
<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Conditions of detention in regional police stations | OCRM</title>
<meta property="og:site_name" content="Office for Civic Rights Monitoring">
{_ld("Report", "Conditions of detention in regional police stations", "2021-01-28",
     "Office for Civic Rights Monitoring")}</head><body>
<header>Office for Civic Rights Monitoring (OCRM)</header>
<h1>Conditions of detention in regional police stations</h1>
<p>Published 28 January 2021</p>
<p>OCRM monitors visited 17 police stations between May and October 2020.</p></body></html>""")

BUECHER = FixturePage(Source(
    "buecherecke", "http://www.bücherecke.de/rezension/der-stille-fluss",
    "Rezension: Der stille Fluss", "2019-09-12", "Bücherecke"), """
<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Rezension: Der stille Fluss | Bücherecke</title>
<meta name="date" content="2019-09-12">
</head><body><h1>Rezension: Der stille Fluss</h1><p>12.09.2019 – von Tom Berg</p>
<p>Ein ruhiger Roman über zwei Brüder, 320 Seiten, erschienen 2019.</p></body></html>""")

NUSANTARA = FixturePage(Source(
    "kabar-nusantara", "https://www.kabar-nusantara.co.id/pendidikan/belajar-dari-rumah",
    "Siswa Belajar dari Rumah Mulai Pekan Ini", "2020-05-04", "Kabar Nusantara"), f"""
<!doctype html><html lang="id-ID"><head><meta charset="utf-8">
<title>Siswa Belajar dari Rumah Mulai Pekan Ini - Kabar Nusantara</title>
<meta property="og:site_name" content="Kabar Nusantara">
{_ld("NewsArticle", "Siswa Belajar dari Rumah Mulai Pekan Ini", "2020-05-04T07:00:00+07:00",
     "Kabar Nusantara")}</head><body><h1>Siswa Belajar dari Rumah Mulai Pekan Ini</h1>
<p>KABAR NUSANTARA - Program belajar di televisi dimulai Senin (4/5/2020).</p>
<p>Senin, 4 Mei 2020 07:00 WIB</p></body></html>""")

VERONA = FixturePage(Source(
    "cronaca-verona", "https://www.cronaca-verona.it/cronaca/nuova-pista-ciclabile",
    "Inaugurata la nuova pista ciclabile lungo l'Adige", "2021-01-12", "Cronaca Verona"), """
<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>Inaugurata la nuova pista ciclabile lungo l'Adige - Cronaca Verona</title>
</head><body><h1>Inaugurata la nuova pista ciclabile lungo l'Adige</h1>
<p>Pubblicato il 12 gennaio 2021</p>
<p>Il percorso è lungo 6 chilometri e collega il centro al quartiere di Borgo Trento.</p>
</body></html>""")

MARSEILLE = FixturePage(Source(
    "marseille-quotidien", "https://marseille-quotidien.fr/port/greve-des-dockers",
    "Grève des dockers : le port tourne au ralenti", "2020-02-11", "Marseille Quotidien"), """
<!doctype html><html lang="fr"><head><meta charset="windows-1252">
<title>Grève des dockers : le port tourne au ralenti | Marseille Quotidien</title>
<meta property="article:published_time" content="2020-02-11T07:45:00+01:00">
</head><body><h1>Grève des dockers : le port tourne au ralenti</h1>
<p>Mis à jour le 12/02/2020 à 08h00 – Publié le 11/02/2020</p>
<p>Une trentaine de navires attendent au large, selon la capitainerie.</p></body></html>""",
    "windows-1252")

PAGES = (HARBOUR, LEDGER, GARTEN, LYON, VALLE, PLANALTO, SHINPO, GOROD, WADI, RADA, VOGEL,
         OCRM, BUECHER, NUSANTARA, VERONA, MARSEILLE)
