"""The feed document: refuse hostile XML, parse RSS/Atom with feedparser,
order the items newest first."""
from __future__ import annotations

import calendar
import io
import xml.sax

import feedparser
import lxml.etree

# Parse the prolog (and the rest) without ever expanding an entity, reading
# a DTD or touching the network; recover past errors in the body (an HTML
# entity such as &nbsp; that feedparser tolerates), since only the DOCTYPE
# matters here.
_PROLOG_PARSER = dict(resolve_entities=False, load_dtd=False, no_network=True, recover=True, huge_tree=False)


class FeedError(Exception):
    """The feed itself is unusable this cycle."""


def check_feed_bytes(body: bytes, url: str) -> None:
    """Refuse what no feed needs and what an attacker does: entity
    declarations (billion laughs, external entities, text that turns into a
    published title). feedparser's expat would expand an internal entity,
    so any declared one refuses the feed with one clear reason. The DOCTYPE
    is read by an XML parser with entities off, not by scanning text: a
    comment or a quoted string inside the DOCTYPE cannot hide a declaration,
    and a CDATA article about XML that quotes "<!ENTITY" is not refused."""
    try:
        tree = lxml.etree.parse(io.BytesIO(body), lxml.etree.XMLParser(**_PROLOG_PARSER))
    except lxml.etree.XMLSyntaxError:
        tree = None
    if tree is None or tree.getroot() is None:
        # Not XML lxml can read at all; feedparser will say why. Declarations
        # still cannot pass unseen: refuse any before it gets the bytes.
        if b"<!ENTITY" in body[:262144].replace(b"\x00", b"").upper():
            raise FeedError(_ENTITIES.format(url=url))
        return
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FeedError(_ENTITIES.format(url=url))


_ENTITIES = "{url}: feed declares XML entities in its DOCTYPE; refused (possible entity-expansion bomb)"


def parse_feed(body: bytes, url: str, content_type: str = "") -> feedparser.FeedParserDict:
    if not body.strip():
        raise FeedError(f"{url}: empty response, not a feed")
    check_feed_bytes(body, url)
    # A stream, never bytes or str: feedparser would treat a str as a URL or path to open.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": content_type or "application/xml", "content-location": url},
        sanitize_html=True,
    )
    exc = parsed.get("bozo_exception")
    if isinstance(exc, xml.sax.SAXParseException) and "undefined entity" not in str(exc):
        # Not well-formed XML: the loose fallback parser guesses, and guessed
        # items (a half item from a truncated feed) are worse than none.
        raise FeedError(f"{url}: malformed feed XML: {_sax_where(exc, body)}")
    if not parsed.get("version"):
        kind = (content_type or "no Content-Type").split(";")[0]
        raise FeedError(f"{url}: not an RSS or Atom feed ({kind})")
    return parsed


def _sax_where(exc: xml.sax.SAXParseException, body: bytes) -> str:
    line, col = exc.getLineNumber(), exc.getColumnNumber()
    # feedparser prepends an XML declaration line when the document has none.
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        line -= 1
    return f"line {line}, column {col}: {exc.getMessage()}"


def raw(entry, key: str):
    # dict.get, not FeedParserDict.get: that one maps "updated" to
    # "published" with a DeprecationWarning, which would blur the two.
    return dict.get(entry, key)


def newest_first(entries: list) -> list:
    def key(e):
        t = raw(e, "published_parsed") or raw(e, "updated_parsed")
        return calendar.timegm(t) if t else float("-inf")

    # Stable: entries without a date keep the feed's own order, after dated ones.
    return sorted(entries, key=key, reverse=True)


def lang_code(value) -> str | None:
    """"en" or "vi" from a feed's or item's language field, else None."""
    if not value:
        return None
    code = str(value).strip().lower().replace("_", "-").split("-")[0]
    return code if code in ("en", "vi") else None
