import copy
import json

import pytest

from citecheck.errors import EXIT_INPUT, UsageError
from citecheck.report import FORMATS, render


def test_unknown_format_is_a_usage_error(run):
    with pytest.raises(UsageError) as caught:
        render(run, "yaml")
    assert caught.value.exit_code == EXIT_INPUT
    assert "yaml" in str(caught.value) and "markdown" in str(caught.value)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_is_pure_and_repeatable(run, fmt):
    before = copy.deepcopy(run)
    first = render(run, fmt)
    assert render(run, fmt) == first
    assert run == before
    assert first.endswith("\n") or first == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_extract_run_with_nothing_fetched(make_run, run, fmt):
    bare = tuple(item.__class__(item.citation) for item in run.results)
    text = render(make_run(command="extract", results=bare, findings=()), fmt)
    if fmt == "github":
        assert text == ""
    elif fmt == "junit":
        assert text.count("<skipped") == len(bare)
    elif fmt == "json":
        assert json.loads(text)["summary"]["status"]["not-checked"] == len(bare)
    elif fmt == "text":  # extract's table shows what each note cites, by kind
        assert "10 web, 1 ibid, 1 no-link" in text and "✗ dead" not in text
    else:
        assert "not-checked" in text and "✗ dead" not in text
