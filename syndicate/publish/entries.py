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
from dataclasses import dataclass, field, replace
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
    # (term, label) pairs: every translation says in every format whether a
    # person reviewed it, so a reader's list view can tell.
    categories: list[tuple[str, str]] = field(default_factory=list)
    marker: str = ""  # a translation's "[Machine translation]"; see feed_summary

    @property
    def reviewed(self) -> bool:
        return any(term == REVIEWED for term, _ in self.categories)

    @property
    def feed_summary(self) -> str:
        """The summary as the feeds carry it: a translation's starts with its
        marker, since a reader's list view shows the summary under the title
        and nothing else there says what it is. Our own pages say it in
        their own words instead (pages.py), so `summary` stays plain."""
        return f"{self.marker} {self.summary}" if self.marker else self.summary


# The category terms are fixed (filters and readers key on them); the
# labels and the summary marker are in the entry's language.
MACHINE, REVIEWED = "machine-translation", "reviewed-translation"
CATEGORY_LABEL = {
    MACHINE: {"en": "Machine translation", "vi": "Bản dịch máy"},
    REVIEWED: {"en": "Reviewed translation", "vi": "Bản dịch đã duyệt"},
}


def summary_marker(kind: str, lang: str) -> str:
    """The short marker a translation's summary starts with: the summary is
    what most readers show under the title in their list view."""
    return f"[{CATEGORY_LABEL[kind][lang]}]"


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
    categories, marker = [], ""
    if item.translation is not None:
        kind = REVIEWED if item.translation.reviewed else MACHINE
        meta["reviewed"] = item.translation.reviewed
        if item.translation.reviewed and item.translation.reviewed_at:
            meta["reviewed_at"] = H.local(item.translation.reviewed_at).isoformat()
        categories.append((kind, CATEGORY_LABEL[kind][item.language]))
        marker = summary_marker(kind, item.language)
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
        marker=marker,
        # Built from escaped text already; sanitizing too means no future
        # change to the HTML builder can put markup from a source in a feed.
        content_html=sanitize_html(H.content_html(item, original_link), link),
        translation=meta,
        categories=categories,
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
