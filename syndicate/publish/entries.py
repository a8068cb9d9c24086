"""One feed entry per stored item, computed once for all formats: its
permanent id, its links (its own page, the original for a translation), its
dates and its sanitized HTML content.

Dates are written in Asia/Ho_Chi_Minh (+07:00), the ministry's own time.
`published` is the article's dateline; `updated` is a real instant, when
readers' version last changed (the original stored or edited, the
translation made), never midnight of the dateline: two entries of one feed
must not share it (the W3C validator warns, and readers use it to order and
to spot edits).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..store import FeedItem
from . import html as H
from .sanitize import sanitize_html

FEED_FILES = {
    "rss": "rss.xml",
    "atom": "atom.xml",
    "json": "feed.json",
}
MIME = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


def entry_id(article_id: str, lang: str) -> str:
    """Distinct, permanent ids for the en and vi versions of one article,
    independent of base_url so moving the site does not duplicate items."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"syndicate:{article_id}:{lang}"))


@dataclass
class Urls:
    base: str

    def feed(self, lang: str, kind: str) -> str:
        return f"{self.base}{lang}/{FEED_FILES[kind]}"

    def page(self, article_id: str, lang: str) -> str:
        return f"{self.base}{lang}/articles/{article_id}.html"

    def index(self) -> str:
        return f"{self.base}index.html"


@dataclass
class FeedEntry:
    """Everything the three formats need for one item, computed once."""

    id: str
    article_id: str
    lang: str
    title: str
    link: str  # this version's page
    original_link: str | None  # for a translation: the original's page or URL
    original_lang: str | None
    source_url: str | None  # the article's own URL at its source, if any
    published: datetime
    updated: datetime
    author: str | None
    summary: str
    content_html: str
    translation: dict | None


def make_entry(item: FeedItem, urls: Urls) -> FeedEntry:
    a = item.article
    link = urls.page(a.id, item.language)
    original_link = None
    original_lang = None
    meta = None
    if item.translation is not None:
        original_lang = a.language
        original_link = a.url or urls.page(a.id, a.language)
        t = item.translation
        meta = {
            "machine_translated": True,
            "translated_from": a.language,
            "original_url": original_link,
            "engine": t.engine,
            "model": t.model,
            "glossary_version": t.glossary_version,
        }
    first = next((b.text for b in item.blocks if b.kind == "p"), item.title)
    published = H.local(a.published)
    return FeedEntry(
        id=entry_id(a.id, item.language),
        article_id=a.id,
        lang=item.language,
        title=item.title,
        link=link,
        original_link=original_link,
        original_lang=original_lang,
        source_url=a.url,
        published=published,
        updated=H.local(max(item.updated, a.published)),
        author=H.author_of(item),
        summary=first,
        # Built from escaped text already; sanitizing too means no future
        # change to the HTML builder can put markup from a source in a feed.
        content_html=sanitize_html(H.content_html(item, original_link), link),
        translation=meta,
    )


def distinct_updated(entries: list[FeedEntry]) -> list[FeedEntry]:
    """The entries, in their order, with no two sharing `updated`.

    The store keeps instants to the second, and one run stores several
    articles within a second. Ties are told apart by microseconds, in
    (instant, id) order, so the result depends on the store alone and
    republishing stays byte-identical; an entry's time moves by at most a
    few microseconds from the real instant.
    """
    taken: set[datetime] = set()
    fixed: dict[str, datetime] = {}
    for e in sorted(entries, key=lambda e: (e.updated, e.id)):
        t = e.updated
        while t in taken:
            t += timedelta(microseconds=1)
        taken.add(t)
        fixed[e.id] = t
    return [e if fixed[e.id] == e.updated else replace(e, updated=fixed[e.id]) for e in entries]
