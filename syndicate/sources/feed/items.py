"""Feed items -> Articles: an item's link, identity hash, own text (HTML
paragraphs), author and date, and the Article built from them by the same
portal rules the inbox applies (text/portal.py)."""
from __future__ import annotations

import calendar
import hashlib
import html as htmllib
import re
from datetime import datetime, time, timezone

import lxml.html

from ...article import TZ, Article
from ...text import normalize, portal
from ..encoding import nfc
from ..extract import Extracted
from .parse import lang_code, raw

_WS = re.compile(r"\s+")
_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_BLOCK_TAGS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption", "td", "br"}


def clean(s: str, lang: str | None = None) -> str:
    """The inbox's normalization: NFC, one tone-mark convention (for
    Vietnamese or unknown text), no invisible or doubled spaces."""
    return normalize.normalize_text(_WS.sub(" ", nfc(s)), lang)


def text_field(value) -> str | None:
    """Feed text fields may carry markup and entities."""
    if not value:
        return None
    if "<" in value:
        try:
            value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
        except (lxml.etree.ParserError, ValueError):
            pass
    return clean(htmllib.unescape(value)) or None


def entry_link(entry) -> str | None:
    for cand in (entry.get("link"), entry.get("id")):
        if cand and cand.startswith(("http://", "https://")):
            return cand.strip()
    return None


def entry_hash(entry, link: str) -> str:
    parts = [link, raw(entry, "title") or "", raw(entry, "updated") or "", raw(entry, "published") or "",
             raw(entry, "summary") or ""]
    parts += [c.get("value", "") for c in entry.get("content", [])]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def entry_paragraphs(entry) -> list[str]:
    """The item's own text (content:encoded, Atom content, else summary) as
    paragraphs, for feeds read without fetching pages."""
    htmls = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if not htmls and entry.get("summary"):
        htmls = [entry["summary"]]
    out: list[str] = []
    for h in htmls:
        out.extend(html_paragraphs(h))
    return out


def html_paragraphs(fragment: str) -> list[str]:
    if "<" not in fragment:
        return [p for p in (clean(x) for x in re.split(r"\n\s*\n", htmllib.unescape(fragment))) if p]
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
    return [p for p in (clean(x) for x in re.split(r"\n\s*\n", text)) if p]


def entry_author(entry) -> str | None:
    value = raw(entry, "author")
    if value:
        # RSS <author> is "email (Name)" (feedparser 6 splits it wrongly);
        # a bare address names nobody.
        m = _RSS_AUTHOR.match(value)
        if m:
            return text_field(m.group(1))
        if "@" in value and " " not in value.strip():
            return None
        return text_field(value)
    detail = raw(entry, "author_detail") or {}
    return text_field(detail.get("name")) if isinstance(detail, dict) else None


def entry_date(entry) -> datetime | None:
    t = raw(entry, "published_parsed") or raw(entry, "updated_parsed")
    if not t:
        return None
    # feedparser gives UTC struct_time.
    return datetime.fromtimestamp(calendar.timegm(t), tz=timezone.utc).astimezone(TZ)


def detect_language(text: str, hint: str | None = None) -> str:
    """en or vi, by the shared detector; a page or feed language hint
    decides only when the text has no letters to judge by."""
    if hint and not any(c.isalpha() for c in text):
        return hint
    return normalize.detect_language(text)


def _published(entry, page: Extracted | None, now: datetime) -> datetime:
    published = entry_date(entry)
    if published is None and page is not None and page.date is not None:
        published = datetime.combine(page.date, time(0, 0), tzinfo=TZ)
    return published if published is not None else now.astimezone(TZ)


def build_article(entry, *, source: str, language: str, link: str, title: str | None, paragraphs: list[str],
                  page: Extracted | None, feed_lang: str | None, now: datetime) -> Article | None:
    """The item as an Article, or None when it has no title anywhere.
    `language` is the source's ("en", "vi" or "auto")."""
    title = title or (page.title if page else None)
    if not title:
        return None
    author = entry_author(entry) or (page.author if page else None)
    lang = language
    if lang not in ("en", "vi"):
        hint = lang_code(entry.get("language")) or (page.language if page else None) or feed_lang
        lang = detect_language(title + "\n" + "\n".join(paragraphs[:5]), hint)
    texts = [clean(p, lang) for p in paragraphs]
    byline, body = portal.split_byline(texts, lang)
    if body:  # a lone byline-like paragraph is all the text there is: keep it
        author, texts = author or byline, body
    blocks, tag = portal.body_blocks(texts, lang)
    return Article(
        source=source,
        language=lang,
        title=clean(title, lang),
        published=_published(entry, page, now),
        blocks=[b for b in blocks if b.text],
        url=link,
        author=clean(author, lang) if author else None,
        tag=tag,
        origin=link,
    )
