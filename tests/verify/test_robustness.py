"""Any strings in, findings out: verify_page never raises and always quotes the cited side."""

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.models import (
    Candidate,
    Citation,
    Context,
    DateCandidate,
    DatePrecision,
    Kind,
    PageMetadata,
)
from citecheck.verify.page import verify_page

texts = st.text(max_size=80)
candidates = st.lists(st.builds(Candidate, texts, st.sampled_from(["og:title", "h1", "title"])),
                      max_size=4)
dates = st.lists(st.builds(DateCandidate, st.one_of(texts, st.dates().map(str)),
                           st.sampled_from(["published", "modified", "other", "?"]), texts),
                 max_size=4)


@settings(max_examples=150, deadline=None)
@given(title=st.one_of(st.none(), texts), publisher=st.one_of(st.none(), texts),
       date=st.one_of(st.none(), texts, st.dates().map(str)),
       precision=st.one_of(st.none(), st.sampled_from(DatePrecision)),
       context=st.one_of(st.none(), texts), titles=candidates, site_names=candidates,
       page_dates=dates, text=st.text(max_size=300),
       url=st.one_of(texts, st.builds("http://{}/{}".format, texts, texts)))
def test_verify_page_takes_any_values(title, publisher, date, precision, context, titles,
                                      site_names, page_dates, text, url):
    citation = Citation(id="1", text="", kind=Kind.WEB, title=title, publisher=publisher,
                        date=date, date_precision=precision,
                        context=Context(context) if context is not None else None)
    page = PageMetadata(content_type="text/html", size=0, titles=tuple(titles),
                        site_names=tuple(site_names), dates=tuple(page_dates), text=text)
    for finding in verify_page(citation, page, final_url=url):
        assert finding.evidence["cited"] in finding.message
        assert finding.evidence["found"] in finding.message
