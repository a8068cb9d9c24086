"""One feed entry per stored item, computed once for all formats: its
permanent id, its links (its own page, the original for a translation), its
dates and its sanitized HTML content."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

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
    categories = []
    if item.translation is not None:
        kind = REVIEWED if item.translation.reviewed else MACHINE
        meta["reviewed"] = item.translation.reviewed
        if item.translation.reviewed and item.translation.reviewed_at:
            meta["reviewed_at"] = item.translation.reviewed_at.isoformat()
        categories.append((kind, CATEGORY_LABEL[kind][item.language]))
        first = f"{summary_marker(kind, item.language)} {first}"
    return FeedEntry(
        id=entry_id(a.id, item.language),
        lang=item.language,
        title=item.title,
        link=link,
        original_link=original_link,
        original_lang=original_lang,
        source_url=a.url,
        published=a.published,
        updated=max(item.updated, a.published),
        author=a.author,
        summary=first,
        # Built from escaped text already; sanitizing too means no future
        # change to the HTML builder can put markup from a source in a feed.
        content_html=sanitize_html(H.content_html(item, original_link), link),
        translation=meta,
        categories=categories,
    )
