"""Sanitize HTML bound for the published feeds.

Feed readers render our content:encoded / content HTML, some of them inside
their own origin, so anything that can run is removed: no script, style or
iframe elements, no on* handlers, no style attributes, no javascript:, data:
or vbscript: URLs. Relative links and image sources are made absolute
against the article's own URL, since a reader resolves them against the
feed (or nothing) and they would break.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import nh3

# nh3's defaults minus elements that only make sense in a page layout.
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"nav", "header", "footer", "map", "area"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "acronym": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    # class carries no behaviour and lets readers style captions and notes.
    "*": {"lang", "dir", "class"},
}
# Removed with everything inside them: their content is code or a page of its own.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template",
     "svg", "math", "form", "button", "select", "textarea"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = {"href", "src", "cite"}


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """Return html with everything executable removed and URLs absolute."""

    def absolute(tag: str, attr: str, value: str) -> str | None:
        if attr not in _URL_ATTRIBUTES:
            return value
        v = value.strip()
        if base_url:
            v = urljoin(base_url, v)
        scheme = urlsplit(v).scheme.lower()
        if scheme and scheme not in URL_SCHEMES:
            return None
        if not scheme and base_url:
            return None  # could not be made absolute
        return v

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=absolute,
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
