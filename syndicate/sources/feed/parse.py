"""The feed document: refuse hostile XML, parse RSS/Atom with feedparser,
order the items newest first."""
from __future__ import annotations

import calendar
import io
import re
import xml.sax

import feedparser

_ROOT_START = re.compile(rb"<[A-Za-z_:]")


class FeedError(Exception):
    """The feed itself is unusable this cycle."""


def check_feed_bytes(body: bytes, url: str) -> None:
    """Refuse what no feed needs and what an attacker does: entity
    declarations (billion laughs, external entities). feedparser drops most
    DTD entities and expat >= 2.4 caps amplification, but refusing outright
    gives one clear reason instead of a half-parsed feed. Declarations can
    only stand in the prolog, before the root element, so a CDATA article
    about XML that quotes "<!ENTITY" is not refused."""
    head = body[:262144]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    head = head.replace(b"\x00", b"")  # UTF-16 without a BOM
    m = _ROOT_START.search(head)
    prolog = head[: m.start()] if m else head
    if b"<!ENTITY" in prolog.upper():
        raise FeedError(f"{url}: feed declares XML entities in its DOCTYPE; refused (possible entity-expansion bomb)")


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
