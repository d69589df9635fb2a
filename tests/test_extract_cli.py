"""`citecheck extract` as a user runs it: the file it writes, what it prints, its exit codes."""

from __future__ import annotations

import json
import shutil

import pytest
from shared_paths import ROOT, SEED

REPORT = """A report written for these tests.
Article 120 of the Penal Code punishes torture by officials[footnoteRef:1]. [1:  Article 12 of the Penal Code of Freedonia, link: https://short.test/a ]
Detainees were beaten in 2023[footnoteRef:2]. [2:  Detainees describe beatings, Freedonia Monitor, 14 March 2023, link: https://short.test/b ]
The same happened again[footnoteRef:3]. [3:  Ibid ]
"""  # noqa: E501


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


def test_extract_writes_citations_and_flags_the_locator(folder, citecheck_cli):
    proc = citecheck_cli("extract", "report.txt", cwd=folder)
    assert proc.returncode == 1  # the locator mismatch is an error
    out = proc.stdout.decode()
    assert "locator-mismatch" in out
    text = (folder / "citations.yml").read_text(encoding="utf-8")
    assert "id: '2'" in text and "Freedonia Monitor" in text


def test_fail_on_never_exits_zero(folder, citecheck_cli):
    assert citecheck_cli("extract", "report.txt", "--fail-on", "never", cwd=folder).returncode == 0


def test_json_output_has_the_report_shape(folder, citecheck_cli):
    proc = citecheck_cli("extract", "report.txt", "--format", "json", cwd=folder)
    report = json.loads(proc.stdout)
    cites = {c["id"]: c for c in report["citations"]}
    assert set(cites) == {"1", "2", "3"}
    assert [f["code"] for f in cites["1"]["findings"]] == ["locator-mismatch"]
    assert cites["2"]["cited"]["date"] == "2023-03-14"
    assert cites["3"]["same_as"] == "2" and cites["3"]["kind"] == "ibid"


def test_hand_edits_and_comments_survive_a_second_extract(folder, citecheck_cli):
    citecheck_cli("extract", "report.txt", cwd=folder)
    path = folder / "citations.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Detainees describe beatings",
                        "title: Detainees describe beatings in police cells  # checked by hand")
    path.write_text(text, encoding="utf-8")
    report = (folder / "report.txt").read_text(encoding="utf-8")
    report = report.replace("link: https://short.test/b", "link: https://short.test/b2")
    (folder / "report.txt").write_text(report, encoding="utf-8")
    citecheck_cli("extract", "report.txt", cwd=folder)
    text = path.read_text(encoding="utf-8")
    assert "Detainees describe beatings in police cells  # checked by hand" in text
    assert "url: https://short.test/b2" in text
    citecheck_cli("extract", "report.txt", "--force", cwd=folder)
    assert "# checked by hand" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, name, message", [
    (b"", "empty.txt", "empty"),
    (b"\x00\x01\x02\xff" * 400, "garbage.bin", "format"),
    (b"PK\x03\x04 not really a zip", "broken.docx", "docx"),
])
def test_bad_documents_fail_in_one_line_and_write_nothing(tmp_path, citecheck_cli, content, name,
                                                          message):
    (tmp_path / name).write_bytes(content)
    proc = citecheck_cli("extract", name, cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and message in err.lower()
    assert not (tmp_path / "citations.yml").exists()


def test_checked_in_example_is_what_extract_makes(tmp_path, citecheck_cli):
    if not SEED.is_file():
        pytest.skip(f"seed report not found at {SEED} (only present in the dev workspace)")
    shutil.copy(SEED, tmp_path / SEED.name)
    citecheck_cli("extract", SEED.name, cwd=tmp_path)
    made = (tmp_path / "citations.yml").read_text(encoding="utf-8")
    assert made == (ROOT / "citations.yml").read_text(encoding="utf-8"), (
        "citations.yml at the root is stale: run `citecheck extract --force` on the seed")
