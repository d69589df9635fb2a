"""The accuracy floors on the real-page corpus (../shared/corpus); skipped when it is absent.

Floors are the figures benchmarks/accuracy_eval.py measured (docs/benchmarks.md, ## Accuracy)
minus a small margin. The default tier verifies in-process (extract_page + verify_page, no
link errors); the slow tier (--slow) goes through `citecheck run` behind the proxy.
"""

from __future__ import annotations

import pytest
from accuracy_notes import PLANTED
from accuracy_report import planted_total

pytestmark = pytest.mark.corpus

MAX_FALSE_SHARE = 1.0  # per cent of correct notes with a warning or an error (target)
MIN_CAUGHT_SHARE = 98.0  # per cent of each kind of planted error (target; measured 99.6-100)
EXTRACTION_FLOORS = {  # per cent of pages; measured 95.7, 100, 91.8, 99.6
    "date found": 94.0, "date in candidates": 99.0, "title found": 90.0,
    "title in candidates": 98.5,
}


@pytest.fixture
def accuracy_eval(shared_corpus):
    """benchmarks/accuracy_eval.py, once the corpus is known to be there."""
    import accuracy_eval

    return accuracy_eval


def check_floors(evaluation, kinds) -> None:
    scores = evaluation.scores["all"]
    assert scores.notes_correct.share <= MAX_FALSE_SHARE, scores.notes_correct.wrong
    for kind in kinds:
        counts = scores.planted[kind]
        assert counts.n > 0 and counts.share >= MIN_CAUGHT_SHARE, (kind, counts.wrong)
    assert planted_total(scores).share >= MIN_CAUGHT_SHARE
    for key, floor in EXTRACTION_FLOORS.items():
        assert evaluation.extraction["all"][key] >= floor, key


def test_corpus_floors_in_process(accuracy_eval, shared_corpus):
    evaluation = accuracy_eval.evaluate(shared_corpus, end_to_end=False)
    assert evaluation.pages >= 250  # trust high/medium pages with a title
    check_floors(evaluation, [kind for kind in PLANTED if not kind.startswith("link:")])


@pytest.mark.slow
def test_corpus_floors_end_to_end(accuracy_eval, shared_corpus, tmp_path):
    evaluation = accuracy_eval.evaluate(shared_corpus, work=tmp_path)
    check_floors(evaluation, list(PLANTED))
