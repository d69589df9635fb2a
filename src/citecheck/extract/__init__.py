"""Page bytes become PageMetadata: titles, dates, site names, text; soft 404s and walls."""

from citecheck.extract.page import extract_page
from citecheck.extract.soft404 import home_page_redirect

__all__ = ["extract_page", "home_page_redirect"]
