"""Replay and record download: sandboxed, inert, from the archive only, byte-exact downloads."""

from __future__ import annotations

import gzip
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from browse_helpers import HOSTILE_HEADERS, MAX_DECODED, PNG_1PX, SITE
from warcio.archiveiterator import ArchiveIterator


def slug(ref) -> str:
    return ref.record_id.strip("<>")


def replay(client, ref, url: str | None = None):
    path = f"/replay/{slug(ref)}/" + (f"res?url={quote(url, safe='')}" if url else "")
    return client.get(path)


def target(link: str) -> str:
    """The archived URL a replay link asks for."""
    return parse_qs(urlsplit(link).query)["url"][0]


def assert_sandboxed(response):
    csp = response.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "allow-same-origin" not in csp
    assert "allow-scripts" not in csp and "script-src" not in csp  # default-src 'none' holds
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers
    assert "Refresh" not in response.headers and "Link" not in response.headers


def test_a_replayed_page_is_sandboxed_and_its_headers_renamed(client, built):
    ref = built.ref("report-1", f"{SITE}/articles/detention")
    response = replay(client, ref)
    assert response.status_code == 200
    assert_sandboxed(response)
    headers = response.headers
    for name, value in HOSTILE_HEADERS:
        if name in ("Content-Language", "Last-Modified"):
            assert headers[name] == value
        else:
            assert headers[f"X-Archive-Orig-{name}"] == value
            assert headers.get(name) != value
    assert "Strict-Transport-Security" not in headers and "Clear-Site-Data" not in headers
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "X-Frame-Options" in headers and headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_replayed_page_links_only_into_the_archive(client, built):
    ref = built.ref("report-1", f"{SITE}/articles/detention")
    html = replay(client, ref).get_data(as_text=True)
    targets = [target(link) for link in _attribute_values(html, ("src", "href"))]
    assert f"{SITE}/static/site.css" in targets
    assert f"{SITE}/articles/img/photo.png" in targets
    assert f"{SITE}/articles/prisons" in targets
    for link in _attribute_values(html, ("src", "href")):
        assert link.startswith(f"/replay/{slug(ref)}/res?url="), link
    assert not re.search(r'\shttp-equiv="refresh"', html)  # the archived refresh is disarmed
    assert "Detainees" in html


def _attribute_values(html: str, names: tuple[str, ...]) -> list[str]:
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    return [el.get(name) for name in names for el in doc.xpath(f"//*[@{name}]")]


def test_sub_resources_come_from_the_archive_nearest_in_time(client, built):
    ref = built.ref("report-1", f"{SITE}/articles/detention")
    css = replay(client, ref, f"{SITE}/static/site.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert_sandboxed(css)
    text = css.get_data(as_text=True)
    assert "#123456" in text
    links = re.findall(r'url\("([^"]+)"\)', text)
    assert [link.startswith(f"/replay/{slug(ref)}/res?url=") for link in links] == [True, True]
    assert [target(link) for link in links] == [f"{SITE}/img/bg.png", f"{SITE}/static/print.css"]
    image = replay(client, ref, f"{SITE}/articles/img/photo.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data == PNG_1PX  # a revisit in the second run; the nearest is the original
    assert_sandboxed(image)


@pytest.mark.parametrize("url", [f"{SITE}/img/bg.png", "http://127.0.0.1:9/img",
                                 "https://tracker.example/pixel.gif", ""])
def test_what_was_never_archived_is_404_and_never_fetched(client, built, url):
    ref = built.ref("report-1", f"{SITE}/articles/detention")
    response = replay(client, ref, url) if url else client.get(f"/replay/{slug(ref)}/res")
    assert response.status_code == 404
    assert_sandboxed(response)


def test_an_archived_redirect_leads_into_the_archive(client, built):
    ref = built.ref("report-1", f"{SITE}/s/1")
    response = replay(client, ref)
    assert response.status_code == 302
    assert_sandboxed(response)
    location = response.headers["Location"]
    assert location.startswith(f"/replay/{slug(ref)}/res?url=")
    assert target(location) == f"{SITE}/articles/detention"
    assert response.headers["X-Archive-Orig-Location"] == f"{SITE}/articles/detention"
    assert client.get(location).status_code == 200


def test_content_encoding_is_decoded_and_not_passed_on(client, built):
    ref = built.ref("report-1", f"{SITE}/articles/removed")
    response = replay(client, ref)
    assert response.status_code == 404  # the archived status
    assert "Content-Encoding" not in response.headers
    assert response.headers["X-Archive-Orig-Content-Encoding"] == "gzip"
    assert "Not found" in response.get_data(as_text=True)
    assert_sandboxed(response)


def test_a_gzip_bomb_is_cut_at_the_bound(client, built):
    ref = built.ref("report-1", f"{SITE}/bomb")
    response = replay(client, ref)
    assert response.status_code == 200
    assert len(response.data) == MAX_DECODED
    assert set(response.data) == {0}
    assert_sandboxed(response)


def test_a_revisit_replays_its_originals_body(client, built):
    ref = built.ref("report-2", f"{SITE}/articles/prisons")
    assert ref.revisit_of is not None
    response = replay(client, ref)
    assert response.status_code == 200
    assert "140 per cent" in response.get_data(as_text=True)


def test_an_unknown_record_is_404(client):
    response = client.get("/replay/urn:uuid:00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert_sandboxed(response)


@pytest.mark.parametrize("key", ["report-1:" + f"{SITE}/articles/detention",
                                 "report-2:" + f"{SITE}/articles/removed",
                                 "brief:" + f"{SITE}/articles/prisons"])
def test_the_record_download_is_the_record_as_stored(client, built, key):
    ref = built.refs[key]
    response = client.get(f"/records/{slug(ref)}/download")
    assert response.status_code == 200
    assert response.mimetype == "application/warc"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"-{ref.offset}.warc.gz" in disposition
    assert "Content-Encoding" not in response.headers
    with open(built.path / "warc" / ref.warc, "rb") as warc:
        warc.seek(ref.offset)
        assert response.data == warc.read(ref.length)
    records = list(ArchiveIterator(io.BytesIO(response.data)))
    assert [r.rec_headers.get_header("WARC-Record-ID") for r in records] == [ref.record_id]
    assert gzip.decompress(response.data).startswith(b"WARC/1.1")
