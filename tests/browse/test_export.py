"""`citecheck export`: WACZ packages (py-wacz) and CDXJ indexes (cdxj-indexer) of the archive."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import zipfile

import pytest
from browse_helpers import BRIEF, PRISONS, REPORT, SITE
from warcio.archiveiterator import ArchiveIterator

from citecheck.archive import ArchiveIndex
from citecheck.cli import run_cli
from citecheck.export import ORIGINALS_NAME, export_archive


def captured_urls(archive, runs=None) -> set[str]:
    index = ArchiveIndex.open_readonly(archive)
    try:
        rows = index.db.query("select url, run_id from captures")
        return {row["url"] for row in rows if runs is None or row["run_id"] in runs}
    finally:
        index.close()


def cdxj_lines(text: str) -> list[tuple[str, str, dict]]:
    out = []
    for line in text.splitlines():
        key, stamp, data = line.split(" ", 2)
        out.append((key, stamp, json.loads(data)))
    return out


def wacz_cdxj(path) -> list[tuple[str, str, dict]]:
    with zipfile.ZipFile(path) as package:
        return cdxj_lines(gzip.decompress(package.read("indexes/index.cdx.gz")).decode())


def record_at(folder, filename: str, offset: int):
    with open(folder / filename, "rb") as warc:
        warc.seek(offset)
        return next(iter(ArchiveIterator(warc)))


@pytest.fixture(scope="module")
def whole(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    result = export_archive(built.path, wacz=out / "all.wacz", cdxj=out / "all.cdxj")
    return out, result


def test_wacz_of_the_whole_archive_is_a_valid_package(built, whole):
    out, result = whole
    warcs = sorted(p.name for p in (built.path / "warc").iterdir())
    assert sorted(result.warcs) == warcs and result.skipped == ()
    with zipfile.ZipFile(out / "all.wacz") as package:
        assert package.testzip() is None
        names = set(package.namelist())
        package_info = json.loads(package.read("datapackage.json"))
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    assert {"datapackage.json", "datapackage-digest.json", "indexes/index.cdx.gz",
            "pages/pages.jsonl"} <= names
    assert {f"archive/{name}" for name in warcs} <= names
    assert {r["path"] for r in package_info["resources"]} >= {f"archive/{n}" for n in warcs}
    assert json.loads(pages[0])["format"] == "json-pages-1.0"
    listed = {json.loads(line)["url"] for line in pages[1:]}
    assert f"{SITE}/articles/detention" in listed and PRISONS in listed
    assert result.pages == len(pages) - 1


def test_wacz_validates(whole):
    from wacz.main import main as wacz_main

    out, _ = whole
    assert wacz_main(["validate", "-f", str(out / "all.wacz")]) == 0


def test_the_wacz_index_lists_every_captured_url(built, whole):
    out, _ = whole
    urls = {data["url"] for _, _, data in wacz_cdxj(out / "all.wacz")}
    assert captured_urls(built.path) <= urls


def test_cdxj_points_at_each_record_in_the_archive(built, whole):
    out, _ = whole
    lines = cdxj_lines((out / "all.cdxj").read_text())
    assert [(k, s) for k, s, _ in lines] == sorted((k, s) for k, s, _ in lines)
    assert captured_urls(built.path) <= {data["url"] for _, _, data in lines}
    for _, _, data in lines:
        record = record_at(built.path / "warc", data["filename"], int(data["offset"]))
        assert record.rec_headers.get_header("WARC-Target-URI") == data["url"]
    assert not any(data.get("mime") == "warcinfo" for _, _, data in lines)


def test_one_documents_wacz_carries_its_captures_and_copied_originals(built, tmp_path):
    result = export_archive(built.path, wacz=tmp_path / "report.wacz", document=REPORT.name)
    report_runs = {built.runs["report-1"], built.runs["report-2"]}
    assert result.copied_originals == 1 and ORIGINALS_NAME in result.warcs
    assert built.ref("brief", PRISONS).warc not in result.warcs
    lines = wacz_cdxj(tmp_path / "report.wacz")
    urls = {data["url"] for _, _, data in lines}
    assert captured_urls(built.path, report_runs) <= urls
    assert not any(built.runs["brief"] in url for url in urls)  # no metadata of the brief's run
    original = built.ref("brief", PRISONS)
    with zipfile.ZipFile(tmp_path / "report.wacz") as package:
        copied = package.read(f"archive/{ORIGINALS_NAME}")
    with open(built.path / "warc" / original.warc, "rb") as warc:
        warc.seek(original.offset)
        assert warc.read(original.length) in copied  # the record, byte for byte
    kinds = [r.rec_type for r in ArchiveIterator(io.BytesIO(copied))]
    assert kinds == ["warcinfo", "response"]


def test_one_documents_cdxj_keeps_only_the_originals_line_from_other_files(built, tmp_path):
    export_archive(built.path, cdxj=tmp_path / "report.cdxj", document=REPORT.sha256)
    lines = cdxj_lines((tmp_path / "report.cdxj").read_text())
    original = built.ref("brief", PRISONS)
    foreign = [data for _, _, data in lines if data["filename"] == original.warc]
    assert [(d["url"], int(d["offset"])) for d in foreign] == [(PRISONS, original.offset)]
    assert ORIGINALS_NAME not in {data["filename"] for _, _, data in lines}


def test_export_leaves_out_files_still_being_written(built, tmp_path, capsys):
    archive = tmp_path / "archive"
    shutil.copytree(built.path, archive)
    first = sorted((archive / "warc").iterdir())[0]
    partial = archive / "warc" / "citecheck-20990101T000000Z-abcdef-00000.warc.gz.open"
    partial.write_bytes(first.read_bytes()[:300])
    code = run_cli(["export", "--archive", str(archive), "--cdxj", str(tmp_path / "a.cdxj")])
    assert code == 0
    assert partial.name in capsys.readouterr().err
    assert partial.name not in (tmp_path / "a.cdxj").read_text()


@pytest.mark.parametrize("args, message", [
    ([], "--wacz FILE, --cdxj FILE"),
    (["--cdxj", "x.cdxj", "--document", "nope.docx"],
     "documents: " + ", ".join(sorted([REPORT.name, BRIEF.name]))),
    (["--wacz", "no/such/folder/x.wacz"], "no such folder"),
])
def test_export_input_errors_are_one_line_and_exit_2(built, tmp_path, monkeypatch, capsys, args,
                                                     message):
    monkeypatch.chdir(tmp_path)
    assert run_cli(["export", "--archive", str(built.path), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "x.cdxj").exists()


def test_export_of_an_archive_without_index(tmp_path, capsys):
    assert run_cli(["export", "--archive", str(tmp_path), "--cdxj", str(tmp_path / "a")]) == 2
    assert "no index.db" in capsys.readouterr().err


def test_a_document_whose_files_are_all_open_has_nothing_to_export(built, tmp_path, capsys):
    archive = tmp_path / "archive"
    shutil.copytree(built.path, archive)
    brief = archive / "warc" / built.ref("brief", PRISONS).warc
    brief.rename(brief.with_name(brief.name + ".open"))
    args = ["export", "--archive", str(archive), "--wacz", str(tmp_path / "b.wacz"),
            "--document", BRIEF.name]
    assert run_cli(args) == 2
    assert "no finished WARC file" in capsys.readouterr().err
    assert not (tmp_path / "b.wacz").exists()
