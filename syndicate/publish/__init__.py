"""Publish: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language, each
language's feed as a page, article pages, an index page and an OPML list.

Owns everything under the feeds folder. Output is a pure function of the
store: no clock is read here, so publishing again with nothing new writes
byte-identical files and the server's ETags stay stable. Files are only
replaced when their bytes change, each through a temporary file and a
rename, so a reader never sees half a feed.

entries.py builds one FeedEntry per stored item; formats.py turns a
language's entries into the three feeds; pages.py writes the pages (html.py
holds what they share with feed content); site.py the index and OPML;
feedgen_fixes.py works around feedgen 1.0.0's bugs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..config import LANGUAGES, Config
from ..store import FeedItem, Store
from . import html as H
from .entries import FEED_FILES, FeedEntry, Urls, distinct_updated, entry_id, make_entry
from .files import remove_stale_temp_files, write_if_changed
from .formats import build_feeds, feed_title, site_description
from .pages import article_page, feed_view, page_path
from .site import build_index, build_opml

# A feed with no entries still needs an `updated`; a constant keeps it stable.
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class PublishResult:
    written: list[Path] = field(default_factory=list)  # files whose bytes changed
    unchanged: int = 0
    changed_feeds: list[str] = field(default_factory=list)  # public URLs of changed feed files
    stale_removed: list[Path] = field(default_factory=list)  # temp files a killed publish left

    def put(self, root: Path, rel: str, data: bytes) -> bool:
        changed = write_if_changed(root / rel, data)
        if changed:
            self.written.append(root / rel)
        else:
            self.unchanged += 1
        return changed


def _translated_into(items_per_lang: dict[str, list[FeedItem]]) -> dict[str, list[str]]:
    """{article id: languages} of the published translations, so an
    original's page can link each of them."""
    out: dict[str, list[str]] = {}
    for lang, items in items_per_lang.items():
        for it in items:
            if it.translation is not None:
                out.setdefault(it.article.id, []).append(lang)
    return out


def _publish_language(cfg: Config, lang: str, items: list[FeedItem], translated: dict[str, list[str]],
                      urls: Urls, result: PublishResult) -> list[FeedEntry]:
    out = cfg.feeds_dir
    entries = distinct_updated([make_entry(it, urls) for it in items])
    for it in items:
        page = article_page(it, urls, translated.get(it.article.id, []) if it.translation is None else [])
        result.put(out, page_path(it.article.id, lang), page.encode("utf-8"))
    updated = H.local(max((e.updated for e in entries), default=EPOCH))
    for kind, data in build_feeds(cfg, lang, entries, urls, updated).items():
        if result.put(out, f"{lang}/{FEED_FILES[kind]}", data):
            result.changed_feeds.append(urls.feed(lang, kind))
    view = feed_view(lang, feed_title(cfg, lang), site_description(cfg, lang), entries, urls)
    result.put(out, f"{lang}/index.html", view.encode("utf-8"))
    return entries


def publish(cfg: Config, store: Store) -> PublishResult:
    urls = Urls(cfg.site.base_url)
    result = PublishResult(stale_removed=remove_stale_temp_files(cfg.feeds_dir))
    items_per_lang = {lang: store.feed_items(lang, cfg.site.max_items) for lang in LANGUAGES}
    translated = _translated_into(items_per_lang)
    per_lang = {lang: _publish_language(cfg, lang, items_per_lang[lang], translated, urls, result)
                for lang in LANGUAGES}
    result.put(cfg.feeds_dir, "feeds.opml", build_opml(cfg, urls))
    result.put(cfg.feeds_dir, "index.html", build_index(cfg, per_lang, urls))
    return result


__all__ = ["publish", "PublishResult", "write_if_changed", "entry_id"]
