"""Error pages served as success: "Page not found" in the title or main heading, or a deep link
that ended on the site's home page.

Only strong evidence counts: the error phrase must be most of a title part or a heading,
never a word deep in the text ("the page has been removed" in a changelog is not a 404).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from citecheck.extract.titles import SEPARATORS

MAX_HEADING = 120
MIN_SHARE = 0.5  # the phrase must cover at least half of the title part or heading
_PHRASES = (
    # English
    r"(?:error\s*)?404(?:\s*error)?", r"(?:404\s*)?(?:page\s+|file\s+)?not\s+found",
    r"page\s+(?:cannot|can[’']?t|could\s+not|couldn[’']?t)\s+be\s+found",
    r"(?:sorry,?\s+)?(?:that|this|the)\s+page\s+(?:can[’']?t|cannot|could\s+not)\s+be\s+found",
    r"(?:sorry,?\s+)?(?:this|the|that)\s+page\s+(?:does\s+not|doesn[’']?t|no\s+longer)\s+exists?",
    r"(?:this\s+)?(?:page|content|article|story|document|video)\s+(?:is\s+)?no\s+longer\s+"
    r"available", r"(?:page|content|article|story|document|resource)\s+not\s+(?:found|available)",
    r"(?:is\s+)?no\s+longer\s+(?:available|online|exists?)",
    r"nothing\s+(?:was\s+)?found", r"we\s+(?:can[’']?t|couldn[’']?t|cannot)\s+find\s+"
    r"(?:that|the|this)\s+page", r"the\s+requested\s+url\s+was\s+not\s+found(?:\s+on\s+this"
    r"\s+server)?", r"(?:this\s+)?page\s+(?:has\s+been|was)\s+(?:removed|deleted)",
    r"oops!?\s*(?:that\s+page\s+can[’']?t\s+be\s+found)?",
    # other languages
    r"(?:fehler\s*404\s*)?(?:die\s+)?seite\s+(?:wurde\s+)?nicht\s+gefunden",
    r"(?:seite|inhalt)\s+(?:existiert\s+nicht|nicht\s+(?:mehr\s+)?verf[üu]gbar)",
    r"fehler\s*404", r"page\s+(?:introuvable|non\s+trouv[ée]e|inexistante)",
    r"(?:cette\s+page\s+)?n[’']existe\s+(?:pas|plus)", r"erreur\s*404",
    r"p[áa]gina\s+no\s+(?:encontrada|existe|disponible)", r"error\s*404",
    r"pagina\s+non\s+(?:trovata|esiste|disponibile)", r"errore\s*404",
    r"p[áa]gina\s+n[ãa]o\s+(?:encontrada|existe)", r"erro\s*404",
    r"pagina\s+niet\s+gevonden", r"(?:nie\s+znaleziono\s+strony|strona\s+nie\s+"
    r"(?:zosta[łl]a\s+znaleziona|istnieje))", r"b[łl][ąa]d\s*404",
    r"страница\s+не\s+(?:найдена|существует)", r"ошибка\s*404", r"сторінк[уа]\s+не\s+знайден[оа]",
    r"sayfa\s+bulunamad[ıi]", r"sidan\s+(?:kunde\s+inte\s+hittas|hittades\s+inte|finnes\s+ikke)",
    r"siden\s+(?:blev\s+ikke\s+fundet|finnes\s+ikke)", r"sivua\s+ei\s+l[öo]ytynyt",
    r"str[áa]nka\s+(?:nenalezena|nebyla\s+nalezena)", r"(?:az\s+)?oldal\s+nem\s+tal[áa]lhat[óo]",
    r"pagina\s+nu\s+a\s+fost\s+g[ăa]sit[ăa]", r"η\s+σελίδα\s+δεν\s+βρέθηκε",
    r"halaman\s+tidak\s+ditemukan", r"không\s+tìm\s+thấy\s+trang",
    r"ページが見つかりません", r"お探しのページは見つかりませんでした",
    r"页面不存在", r"找不到页面",
    r"页面未找到", r"頁面不存在", r"페이지를\s*찾을\s*수\s*없습니다", r"الصفحة\s+غير\s+موجودة",
    r"لم\s+يتم\s+العثور\s+على\s+الصفحة", r"صفحه\s+(?:مورد\s+نظر\s+)?(?:پیدا|یافت)\s+نشد",
    r"הדף\s+לא\s+נמצא",
)
_PHRASE = re.compile("|".join(f"(?:{p})" for p in _PHRASES), re.I)
_HOME_PATH = re.compile(r"^/?(?:(?:[a-z]{2}(?:[-_][a-z]{2})?)/?)?(?:index\.\w{2,5}|home/?)?$", re.I)


def error_phrase(text: str) -> str | None:
    """The error phrase that makes up most of a short text ("Page not found", "404"), or None."""
    text = " ".join(text.split()).strip(" .!?:;-–—|«»()[]")
    if not text or len(text) > MAX_HEADING:
        return None
    matches = [m.group(0) for m in _PHRASE.finditer(text) if m.group(0).strip()]
    if sum(len(m) for m in matches) >= MIN_SHARE * len(text):
        return " ".join(matches)
    return None


def soft404_evidence(title: str, headings: list[str]) -> str | None:
    """Evidence that a page is an error page: its title (or a part of it) or main heading."""
    parts = [part for part in SEPARATORS.split(title) if not SEPARATORS.fullmatch(part)]
    for where, texts in (("title", parts), ("h1", headings[:3])):
        for text in texts:
            if error_phrase(text):
                return f'{where} "{" ".join((title if where == "title" else text).split())}"'
    return None


def home_page_redirect(url: str, final_url: str, via: Sequence[str] = ()) -> str | None:
    """Evidence when a deep link ended on its site's home page (a soft 404), else None.

    The deep link is the cited URL or one the redirects passed through (`via`): a shortener's
    link to an article that now redirects to the home page is as dead as the article's own.
    """
    for start in dict.fromkeys((url, *via)):
        evidence = _home_redirect(start, final_url)
        if evidence:
            return evidence
    return None


def _home_redirect(url: str, final_url: str) -> str | None:
    try:
        start, end = urlsplit(url), urlsplit(final_url)
        start_host, end_host = start.hostname or "", end.hostname or ""
    except ValueError:
        return None
    if not start_host or not _same_site(start_host, end_host):
        return None
    start_is_home = _HOME_PATH.match(start.path) and not start.query
    # "/?p=31228" is an article (WordPress's plain links), not the home page
    end_is_home = _HOME_PATH.match(end.path) and not end.query
    if start_is_home or not end_is_home:
        return None
    return f"the deep link {url} ended on the home page {final_url}"


def _same_site(a: str, b: str) -> bool:
    a, b = _unicode_host(a).removeprefix("www."), _unicode_host(b).removeprefix("www.")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _unicode_host(host: str) -> str:
    """A host as people write it: "xn--stssenseer-fcb.de" and "stössenseer.de" are one site."""
    host = host.lower()
    if not host.isascii() or "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna").lower()
    except UnicodeError:
        return host
