"""An item's article page: fetched politely, decoded, its main text
extracted and normalized like the inbox's."""
from __future__ import annotations

from ..encoding import decode_html
from ..extract import Extracted, extract
from ..fetch import Deadline, Fetcher
from .items import clean

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class PageError(Exception):
    """The page was had but holds no article text; str(e) says why."""


def fetch_page(fetcher: Fetcher, link: str, selector: str, deadline: Deadline | None = None) -> Extracted:
    """The page's article text; FetchError or PageError when there is none.
    `deadline`: the source's, when it comes before the request's own."""
    resp = fetcher.get(link, accept=PAGE_ACCEPT, deadline=deadline)
    ctype = resp.content_type.split(";")[0].strip().lower()
    if ctype and ctype not in _PAGE_TYPES:
        raise PageError(f"{link}: not an HTML page (Content-Type {ctype})")
    decoded = decode_html(resp.body, resp.content_type)
    page = extract(decoded.text, resp.url, selector)
    page.paragraphs = [p for p in (clean(x) for x in page.paragraphs) if p]
    if not page.paragraphs:
        raise PageError(f"{link}: no article text found on the page")
    return page
