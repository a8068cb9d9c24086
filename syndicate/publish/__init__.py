"""Publish: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language, article pages,
an index page and an OPML list.

Owns everything under the feeds folder. Output is a pure function of the
store: no clock is read here, so publishing again with nothing new writes
byte-identical files and the server's ETags stay stable. Files are only
replaced when their bytes change, each through a temporary file and a
rename, so a reader never sees half a feed.

entries.py builds one FeedEntry per stored item; formats.py turns a
language's entries into the three feeds; html.py writes the pages; site.py
the index and OPML; feedgen_fixes.py works around feedgen 1.0.0's bugs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..config import LANGUAGES, Config
from ..store import FeedItem, Store
from . import html as H
from .entries import FEED_FILES, FeedEntry, Urls, entry_id, make_entry
from .files import write_if_changed
from .formats import build_feeds
from .site import build_index, build_opml
from .stylesheet import STYLESHEET_NAME, stylesheet_bytes

# A feed with no entries still needs an `updated`; a constant keeps it stable.
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class PublishResult:
    written: list[Path] = field(default_factory=list)  # files whose bytes changed
    unchanged: int = 0
    changed_feeds: list[str] = field(default_factory=list)  # public URLs of changed feed files
    removed: list[Path] = field(default_factory=list)  # pages of withdrawn or withheld versions

    def put(self, root: Path, rel: str, data: bytes) -> bool:
        changed = write_if_changed(root / rel, data)
        if changed:
            self.written.append(root / rel)
        else:
            self.unchanged += 1
        return changed


def _translation_pages(items_per_lang: dict[str, list[FeedItem]], urls: Urls) -> dict[str, dict[str, str]]:
    """{article id: {language: page}} of the published translations, so an
    original's page can link each of them."""
    out: dict[str, dict[str, str]] = {}
    for lang, items in items_per_lang.items():
        for it in items:
            if it.translation is not None:
                out.setdefault(it.article.id, {})[lang] = urls.page(it.article.id, lang)
    return out


# RFC 6721's at:comment, in the feed's language; the editor's reason stays
# in the store (`syndicate review log`), it may not be for the public.
WITHDRAWN_COMMENT = {"en": "This article was withdrawn.", "vi": "Bài viết này đã được gỡ bỏ."}


def _deleted(store: Store, limit: int) -> dict[str, list[tuple[str, datetime, str]]]:
    """{language: [(entry id, when, comment)]} for withdrawn articles: both
    the original's entry and its translation's, which readers may hold."""
    out: dict[str, list[tuple[str, datetime, str]]] = {lang: [] for lang in LANGUAGES}
    for s in store.withdrawn(limit):
        for lang in LANGUAGES:
            assert s.withdrawn_at is not None
            out[lang].append((entry_id(s.article.id, lang), s.withdrawn_at, WITHDRAWN_COMMENT[lang]))
    return out


def _remove_pages(out: Path, store: Store, result: PublishResult) -> None:
    """Take down the page of every version that must not be read: a
    withdrawn article's, a held or rejected translation's."""
    for aid, lang in store.unpublished():
        page = out / lang / "articles" / f"{aid}.html"
        try:
            page.unlink()
        except FileNotFoundError:
            continue
        result.removed.append(page)


def publish(cfg: Config, store: Store) -> PublishResult:
    urls = Urls(cfg.site.base_url)
    out = cfg.feeds_dir
    result = PublishResult()
    items_per_lang = {lang: store.feed_items(lang, cfg.site.max_items) for lang in LANGUAGES}
    translated = _translation_pages(items_per_lang, urls)
    deleted = _deleted(store, cfg.site.max_items)
    per_lang: dict[str, list[FeedEntry]] = {}
    for lang in LANGUAGES:
        items = items_per_lang[lang]
        entries = per_lang[lang] = [make_entry(it, urls) for it in items]
        for it, e in zip(items, entries):
            page = H.article_page(
                it, e.original_link, urls.feed(lang, "atom"), home_url=urls.index(),
                translations=translated.get(it.article.id) if it.translation is None else None,
            )
            result.put(out, f"{lang}/articles/{it.article.id}.html", page.encode("utf-8"))
        updated = max([e.updated for e in entries] + [when for _, when, _ in deleted[lang]], default=EPOCH)
        for kind, data in build_feeds(cfg, lang, entries, urls, updated, deleted[lang]).items():
            if result.put(out, f"{lang}/{FEED_FILES[kind]}", data):
                result.changed_feeds.append(urls.feed(lang, kind))
    _remove_pages(out, store, result)
    result.put(out, STYLESHEET_NAME, stylesheet_bytes())
    result.put(out, "feeds.opml", build_opml(cfg, urls))
    result.put(out, "index.html", build_index(cfg, per_lang, urls))
    return result


__all__ = ["publish", "PublishResult", "write_if_changed", "entry_id"]
