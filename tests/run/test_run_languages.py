"""Pages in other languages answered all at once, in a fresh `citecheck` process, are all read.

The first non-English page makes the extractor import dateparser's locale data. When several
worker threads did that at the same moment, Python's import locks could deadlock on
dateparser's circular imports (`_DeadlockError`), and those pages lost their title and dates.
Only a fresh process shows it: in the test process the module is long imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from fetch_loopback import respond
from runkit import assert_valid_archive, cite, write_project

SRC = Path(__file__).resolve().parents[2] / "src"
PAGES = {
    "de": ("Gericht verbietet die Räumung des Flüchtlingslagers", "14. März 2023"),
    "fr": ("Le tribunal suspend l'expulsion des familles", "3 février 2022"),
    "es": ("La fiscalía abre una investigación sobre las detenciones", "9 de mayo de 2021"),
    "it": ("Il tribunale ordina la scarcerazione dei giornalisti", "21 giugno 2020"),
    "pt": ("Tribunal manda libertar os manifestantes detidos", "5 de outubro de 2023"),
    "nl": ("Rechter verbiedt de uitzetting van de gezinnen", "12 januari 2024"),
}


def article(lang: str) -> bytes:
    title, date = PAGES[lang]
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1><p>{date}</p><p>{title}. " * 20
            + "</p></body></html>").encode()


def test_pages_in_other_languages_at_once_are_all_read(raw_server, tmp_path):
    meet = threading.Barrier(len(PAGES), timeout=10)

    def handler(lang: str):
        def answer(request, conn):
            meet.wait()  # every page is answered at the same moment
            respond(conn, 200, article(lang), [("Content-Type", "text/html; charset=utf-8")])
        return answer

    server = raw_server({f"/{lang}": handler(lang) for lang in PAGES})
    # two host names, three pages each: within the per-host limit (4), all six at once
    hosts = ["127.0.0.1", "localhost"]
    write_project(tmp_path, [cite(str(n), server.url(f"/{lang}", host=hosts[n % 2]),
                                  PAGES[lang][0]) for n, lang in enumerate(PAGES, 1)])

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run([sys.executable, "-m", "citecheck", "run", "--allow-private",
                           "--format", "json", "-o", "report.json"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)

    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    found = {c["url"].rsplit("/", 1)[1]: (c["found"] or {}).get("title")
             for c in report["citations"]}
    assert found == {lang: title for lang, (title, _) in PAGES.items()}
    assert_valid_archive(tmp_path / "archive")
