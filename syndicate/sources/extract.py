"""Main-text extraction from an article page with trafilatura.

trafilatura scores the page's blocks and drops navigation, footers, share
bars, comments and scripts. A source may name a CSS `content_selector` for a
portal whose layout fools the scorer; then only that element is scored, with
the obvious chrome cut out first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import lxml.html

# Cut from a selected element before scoring: never article text.
_CHROME = "script, style, noscript, template, nav, footer, aside, form, button, iframe"
_WS = re.compile(r"\s+")


@dataclass
class Extracted:
    paragraphs: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: date | None = None
    language: str | None = None  # from <html lang>, when the page says


def extract(html: str, url: str, selector: str = "") -> Extracted:
    import trafilatura  # heavy; config validation imports this module without it

    meta = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, favor_precision=True,
    )
    out = Extracted()
    if meta is not None:
        out.title = _clean(meta.title) or None
        out.author = _clean(meta.author) or None
        if meta.date:
            try:
                out.date = date.fromisoformat(meta.date[:10])
            except ValueError:
                pass
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        tree = None
    if tree is not None:
        lang = (tree.get("lang") or "").strip().lower()
        out.language = lang.split("-")[0] or None
    text = meta.text if meta is not None else None
    if selector and tree is not None:
        text = _extract_selected(tree, url, selector)
    paragraphs = [_clean(p) for p in (text or "").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    # trafilatura keeps the page's <h1>; the title is carried separately.
    if paragraphs and out.title and paragraphs[0].casefold() == out.title.casefold():
        paragraphs = paragraphs[1:]
    out.paragraphs = paragraphs
    return out


def _extract_selected(tree, url: str, selector: str) -> str | None:
    from lxml.cssselect import CSSSelector

    found = CSSSelector(selector)(tree)
    if not found:
        return None
    parts = []
    for el in found:
        for junk in CSSSelector(_CHROME)(el):
            junk.drop_tree()
        parts.append(lxml.html.tostring(el, encoding="unicode"))
    fragment = "<html><body><article>" + "".join(parts) + "</article></body></html>"
    import trafilatura

    doc = trafilatura.bare_extraction(
        fragment, url=url, include_comments=False, include_tables=False, favor_recall=True,
    )
    return doc.text if doc is not None else None


def _clean(s: str | None) -> str:
    return _WS.sub(" ", s or "").strip()
