import pytest

from citecheck.errors import InputError, UsageError
from citecheck.models import Severity
from citecheck.settings import load_settings, parse_duration, parse_size


@pytest.mark.parametrize("text, size", [
    ("50MB", 50_000_000), ("1 GiB", 2**30), (1234, 1234), ("10kb", 10_000), ("3", 3),
])
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("5m", 300), ("3d", 259200), (2.5, 2.5)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["lots", "-5MB", "5 parsecs", True])
def test_bad_sizes(bad):
    with pytest.raises(UsageError):
        parse_size(bad)


def test_file_then_flags(tmp_path):
    (tmp_path / "citecheck.toml").write_text('deadline = "12s"\nworkers = 3\nfail_on = "info"\n')
    settings = load_settings(tmp_path, {"workers": 5, "deadline": None})
    assert (settings.deadline, settings.workers, settings.fail_on) == (12, 5, Severity.INFO)


def test_pyproject_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.citecheck]\nretries = 0\n')
    assert load_settings(tmp_path).retries == 0


@pytest.mark.parametrize("body, message", [
    ("colour = 'red'\n", "unknown key 'colour'"),
    ("allow_private = true\n", "--allow-private"),
    ("workers = -1\n", "workers"),
    ("deadline = 'soon'\n", "not a duration"),
    ("exclude = ['(']\n", "not a regular expression"),
    ("[domains.'x.org']\nspeed = 1\n", "unknown key 'speed'"),
    ("this is not toml", "not valid TOML"),
])
def test_bad_files_name_the_file(tmp_path, body, message):
    (tmp_path / "citecheck.toml").write_text(body)
    with pytest.raises(InputError) as info:
        load_settings(tmp_path)
    assert message in str(info.value) and "citecheck.toml" in str(info.value)


def test_domain_rules_match_subdomains(tmp_path):
    (tmp_path / "citecheck.toml").write_text('[domains."*.news.test"]\nuser_agent = "X"\n')
    settings = load_settings(tmp_path)
    assert settings.rule_for("news.test").user_agent == "X"
    assert settings.rule_for("www.news.test").user_agent == "X"
    assert settings.rule_for("othernews.test") is None
