"""The accuracy floor on the real-page corpus (skipped where the corpus is absent).

The floors are the figures measured with benchmarks/extract_accuracy.py minus a small margin;
the benchmark defines what counts as a match, so test and benchmark cannot drift apart.
"""

import importlib.util
import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.corpus


def load_benchmark():
    spec = importlib.util.spec_from_file_location(
        "extract_accuracy", ROOT / "benchmarks" / "extract_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_results(request):
    corpus = request.getfixturevalue("shared_corpus")
    benchmark = load_benchmark()
    return benchmark.measure(corpus, benchmark.load_rows(corpus))


def share(results, key):
    return sum(1 for r in results if r[key]) / len(results)


def test_corpus_has_the_trusted_pages(corpus_results):
    assert len(corpus_results) >= 250


@pytest.mark.parametrize(("key", "floor"), [
    ("date_ok", 0.93),  # measured 95.7 %
    ("date_in", 0.98),  # measured 100 %
])
def test_date_accuracy_floor(corpus_results, key, floor):
    assert share(corpus_results, key) >= floor


@pytest.mark.parametrize(("key", "floor"), [
    ("title_fuzzy", 0.89),  # measured 91.8 %
    ("title_in", 0.97),  # measured 99.6 %
])
def test_title_accuracy_floor(corpus_results, key, floor):
    titled = [r for r in corpus_results if r["gold_title"]]
    assert share(titled, key) >= floor


def test_no_real_article_is_flagged(corpus_results):
    assert [r["file"] for r in corpus_results if r["soft404"] or r["blocked"]] == []


def test_every_corpus_page_is_read_without_error(shared_corpus, caplog):
    benchmark = load_benchmark()
    rows = benchmark.load_rows(shared_corpus)[:60]
    with caplog.at_level(logging.ERROR, logger="citecheck"):
        benchmark.measure(shared_corpus, rows)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
