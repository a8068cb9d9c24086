"""Remote RSS/Atom sources: fetch the feed, fetch each new item's page, extract
the article text, hand Article records to the pipeline.

A source that cannot be read this cycle (timeout, HTTP error, malformed or
hostile XML, oversized body) fails as a whole with one clear reason in
SourceResult.error and in source_state; it never raises, so other sources
go on, and nothing already stored is touched. A single item whose page
cannot be had falls back to the feed's own text for it, or is rejected for
this cycle and tried again next cycle.

The feed's ETag/Last-Modified are kept only when a cycle took every item of
the feed: when max_pages cut the cycle short, a page failed, or an item was
handed to the pipeline but never stored, the next request is unconditional
so no item is hidden behind a 304.
"""
from __future__ import annotations

import calendar
import hashlib
import html as htmllib
import io
import re
import xml.sax
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

import feedparser
import lxml.html

from ..text import normalize
from ..article import TZ, Article, Block, article_id
from ..store import Store, utcnow
from . import Rejected, SourceResult
from .encoding import decode_html, nfc
from .extract import extract
from .fetch import Fetcher, FetchError, FetchOptions
from .state import (
    backing_off, forget_items, load_items, record_failure, record_success, save_item, unconfirmed,
)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_PAGE_ATTEMPTS = 3  # after these, an item keeps its feed text for good
FORGET_AFTER = timedelta(days=30)  # item memory kept this long after it leaves the feed
_WS = re.compile(r"\s+")


class FeedError(Exception):
    """The feed itself is unusable this cycle."""


@dataclass
class _Cycle:
    articles: list[Article] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    complete: bool = True  # every item of the feed was taken


def collect(source, store: Store, *, fetcher: Fetcher | None = None, now: datetime | None = None) -> SourceResult:
    result = SourceResult(name=source.name)
    now = now or utcnow()
    why = backing_off(store, source.name, now)
    if why:
        result.skipped = why
        return result
    own = fetcher is None
    fetcher = fetcher or Fetcher(FetchOptions.from_source(source))
    try:
        cycle, resp = _collect(source, store, fetcher, now)
    except (FetchError, FeedError) as e:
        result.error = str(e)
        record_failure(store, source.name, result.error, now)
        return result
    except Exception as e:  # an unattended daemon must outlive a bug in one source
        result.error = f"{source.url}: internal error {type(e).__name__}: {e}"
        record_failure(store, source.name, result.error, now)
        return result
    finally:
        if own:
            fetcher.close()
    result.articles, result.rejected, result.stats = cycle.articles, cycle.rejected, cycle.stats
    if resp.not_modified:
        st = store.source_state(source.name)
        record_success(store, source.name, etag=st.get("etag"), last_modified=st.get("last_modified"), now=now)
    elif cycle.complete:
        record_success(store, source.name, etag=resp.headers.get("etag"),
                       last_modified=resp.headers.get("last-modified"), now=now)
    else:
        record_success(store, source.name, etag=None, last_modified=None, now=now)
    return result


def _collect(source, store: Store, fetcher: Fetcher, now: datetime):
    url = source.url
    cycle = _Cycle(stats={"feed_url": url, "not_modified": False, "pages": 0, "unchanged": 0, "left_for_next": 0})
    st = store.source_state(source.name)
    conditional = not unconfirmed(store, source.name)
    resp = fetcher.get(
        url,
        etag=st.get("etag") if conditional else None,
        last_modified=st.get("last_modified") if conditional else None,
        accept=FEED_ACCEPT,
    )
    if resp.not_modified:
        cycle.stats["not_modified"] = True
        return cycle, resp
    parsed = parse_feed(resp.body, resp.url, resp.content_type)
    if parsed.get("bozo"):
        cycle.stats["warning"] = f"feed parsed with a recoverable problem: {parsed.get('bozo_exception')}"
    feed_lang = _lang_code(parsed.feed.get("language"))
    items = load_items(store, source.name)
    max_pages = max(0, int(source.max_pages))
    full_text = bool(source.fetch_full_text)
    seen_links: set[str] = set()

    for entry in _newest_first(parsed.entries):
        link = _entry_link(entry)
        title = _text(entry.get("title"))
        if not link:
            where = f"{url} item {title or entry.get('id') or '?'!r}"
            cycle.rejected.append(Rejected(where, f"{where}: item has no http(s) link"))
            continue
        if link in seen_links:
            continue
        seen_links.add(link)
        ehash = _entry_hash(entry, link)
        aid = article_id(source.name, title or link, now, link)
        stored = store.get_article(aid)
        known = items.get(link)
        retry_page = full_text and known is not None and not known.full_text and known.attempts < MAX_PAGE_ATTEMPTS
        if known is not None and known.entry_hash == ehash:
            if stored is not None and known.content_hash == stored.content_hash and not retry_page:
                cycle.stats["unchanged"] += 1
                continue
            if stored is None and known.content_hash is None and known.attempts >= MAX_PAGE_ATTEMPTS:
                # Rejected MAX_PAGE_ATTEMPTS cycles running; a changed item is tried afresh.
                cycle.stats["given_up"] = cycle.stats.get("given_up", 0) + 1
                continue

        page = None
        page_error = None
        if full_text:
            if cycle.stats["pages"] >= max_pages:
                cycle.stats["left_for_next"] += 1
                cycle.complete = False
                continue
            cycle.stats["pages"] += 1
            try:
                page = _fetch_page(fetcher, link, source.content_selector)
            except (FetchError, _PageError) as e:
                page_error = str(e)

        feed_text = _entry_paragraphs(entry)
        paragraphs = page.paragraphs if page is not None else feed_text
        attempts = (known.attempts if known else 0) + (1 if full_text and page is None else 0)
        if not paragraphs:
            reason = page_error or f"{link}: no article text in the feed item"
            cycle.rejected.append(Rejected(link, reason))
            attempts = (known.attempts if known else 0) + 1
            if attempts < MAX_PAGE_ATTEMPTS:
                cycle.complete = False  # keep asking for the full feed until we give up
            # A stored older version keeps its hash; entry_hash None makes the
            # changed item due again next cycle.
            had = known.content_hash if known else None
            save_item(store, source.name, link, entry_hash=None if had else ehash, content_hash=had,
                      full_text=False, attempts=attempts, last_error=reason, now=now)
            continue
        if page_error:
            cycle.stats.setdefault("page_errors", []).append(f"{page_error} (used the feed's text)")
            if attempts < MAX_PAGE_ATTEMPTS:
                cycle.complete = False

        article = _article(source, entry, link, title, paragraphs, page, feed_lang, now)
        if article is None:
            cycle.rejected.append(Rejected(link, f"{link}: item has neither a title in the feed nor one on its page"))
            continue
        cycle.articles.append(article)
        save_item(store, source.name, link, entry_hash=ehash, content_hash=article.content_hash(),
                  full_text=page is not None, attempts=0 if page is not None else attempts,
                  last_error=page_error, now=now)
    forgotten = forget_items(store, source.name, seen_links, now - FORGET_AFTER)
    if forgotten:
        cycle.stats["forgotten"] = forgotten
    return cycle, resp


# --- feed parsing -------------------------------------------------------------

_ROOT_START = re.compile(rb"<[A-Za-z_:]")


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


def _newest_first(entries: list) -> list:
    def key(e):
        t = _raw(e, "published_parsed") or _raw(e, "updated_parsed")
        return calendar.timegm(t) if t else float("-inf")

    # Stable: entries without a date keep the feed's own order, after dated ones.
    return sorted(entries, key=key, reverse=True)


def _entry_link(entry) -> str | None:
    for cand in (entry.get("link"), entry.get("id")):
        if cand and cand.startswith(("http://", "https://")):
            return cand.strip()
    return None


def _entry_hash(entry, link: str) -> str:
    parts = [link, _raw(entry, "title") or "", _raw(entry, "updated") or "", _raw(entry, "published") or "",
             _raw(entry, "summary") or ""]
    parts += [c.get("value", "") for c in entry.get("content", [])]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _entry_paragraphs(entry) -> list[str]:
    """The item's own text (content:encoded, Atom content, else summary) as
    paragraphs, for feeds read without fetching pages."""
    htmls = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if not htmls and entry.get("summary"):
        htmls = [entry["summary"]]
    out: list[str] = []
    for h in htmls:
        out.extend(html_paragraphs(h))
    return out


_BLOCK_TAGS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption", "td", "br"}


def html_paragraphs(fragment: str) -> list[str]:
    if "<" not in fragment:
        return [p for p in (_norm(x) for x in re.split(r"\n\s*\n", htmllib.unescape(fragment))) if p]
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    for bad in root.xpath(".//script|.//style|.//noscript|.//iframe|.//nav|.//footer|.//button|.//form"):
        bad.drop_tree()
    # Mark block boundaries, then split: nested blocks need no special case.
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n\n" + (el.text or "")
    text = root.text_content()
    return [p for p in (_norm(x) for x in re.split(r"\n\s*\n", text)) if p]


# --- pages -------------------------------------------------------------------


class _PageError(Exception):
    pass


def _fetch_page(fetcher: Fetcher, link: str, selector: str):
    resp = fetcher.get(link, accept=PAGE_ACCEPT)
    ctype = resp.content_type.split(";")[0].strip().lower()
    if ctype and ctype not in ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml"):
        raise _PageError(f"{link}: not an HTML page (Content-Type {ctype})")
    decoded = decode_html(resp.body, resp.content_type)
    page = extract(decoded.text, resp.url, selector)
    page.paragraphs = [p for p in (_norm(x) for x in page.paragraphs) if p]
    if not page.paragraphs:
        raise _PageError(f"{link}: no article text found on the page")
    return page


# --- article -------------------------------------------------------------------


def _article(source, entry, link, title, paragraphs, page, feed_lang, now) -> Article | None:
    title = title or (page.title if page else None)
    if not title:
        return None
    author = _entry_author(entry) or (page.author if page else None)
    published = _entry_date(entry)
    if published is None and page is not None and page.date is not None:
        published = datetime.combine(page.date, time(0, 0), tzinfo=TZ)
    if published is None:
        published = now.astimezone(TZ)
    lang = source.language
    if lang not in ("en", "vi"):
        hint = _lang_code(entry.get("language")) or (page.language if page else None) or feed_lang
        lang = detect_language(title + "\n" + "\n".join(paragraphs[:5]), hint)
    texts = [_norm(p, lang) for p in paragraphs]
    # The portal's conventions, as the inbox reads them: a closing "By
    # Name" line is the author, a leading "MPS - " is the agency tag.
    # (normalize's patterns, shared so both sources agree.)
    if len(texts) > 1 and (m := normalize.BYLINE_EN.match(texts[-1])):
        author = author or m.group(1).strip()
        texts.pop()
    tag = None
    if texts and (m := normalize.LEAD_TAG.match(texts[0])):
        tag = m.group(1)
        texts[0] = texts[0][m.end():]
    blocks = [
        Block("note", normalize.NOTE_MARK.sub("", t, count=1)) if normalize.NOTE_MARK.match(t) else Block("p", t)
        for t in texts if t
    ]
    return Article(
        source=source.name,
        language=lang,
        title=_norm(title, lang),
        published=published,
        blocks=blocks,
        url=link,
        author=_norm(author, lang) if author else None,
        tag=tag,
        origin=link,
        extra={"feed": source.url, "full_text": page is not None},
    )


def _raw(entry, key: str):
    # dict.get, not FeedParserDict.get: that one maps "updated" to
    # "published" with a DeprecationWarning, which would blur the two.
    return dict.get(entry, key)


_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")


def _entry_author(entry) -> str | None:
    raw = _raw(entry, "author")
    if raw:
        # RSS <author> is "email (Name)" (feedparser 6 splits it wrongly);
        # a bare address names nobody.
        m = _RSS_AUTHOR.match(raw)
        if m:
            return _text(m.group(1))
        if "@" in raw and " " not in raw.strip():
            return None
        return _text(raw)
    detail = _raw(entry, "author_detail") or {}
    return _text(detail.get("name")) if isinstance(detail, dict) else None


def _entry_date(entry) -> datetime | None:
    t = _raw(entry, "published_parsed") or _raw(entry, "updated_parsed")
    if not t:
        return None
    # feedparser gives UTC struct_time.
    return datetime.fromtimestamp(calendar.timegm(t), tz=timezone.utc).astimezone(TZ)


def _text(value) -> str | None:
    """Feed text fields may carry markup and entities."""
    if not value:
        return None
    if "<" in value:
        try:
            value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
        except (lxml.etree.ParserError, ValueError):
            pass
    return _norm(htmllib.unescape(value)) or None


def _lang_code(value) -> str | None:
    if not value:
        return None
    code = str(value).strip().lower().replace("_", "-").split("-")[0]
    return code if code in ("en", "vi") else None


def detect_language(text: str, hint: str | None = None) -> str:
    """en or vi, by the shared detector; a page or feed language hint
    decides only when the text has no letters to judge by."""
    if hint and not any(c.isalpha() for c in text):
        return hint
    return normalize.detect_language(text)


def _norm(s: str, lang: str | None = None) -> str:
    """The inbox's normalization: NFC, one tone-mark convention (for
    Vietnamese or unknown text), no invisible or doubled spaces."""
    return normalize.normalize_text(_WS.sub(" ", nfc(s)), lang)
