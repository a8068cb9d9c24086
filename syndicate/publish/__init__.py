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
    removed: list[Path] = field(default_factory=list)  # pages of withdrawn or withheld versions

    def put(self, root: Path, rel: str, data: bytes) -> bool:
        changed = write_if_changed(root / rel, data)
        if changed:
            self.written.append(root / rel)
        else:
            self.unchanged += 1
        return changed


def _translated_into(items_per_lang: dict[str, list[FeedItem]]) -> dict[str, dict[str, bool]]:
    """{article id: {language: reviewed}} of the published translations, so
    an original's page can link each of them and say what it is."""
    out: dict[str, dict[str, bool]] = {}
    for lang, items in items_per_lang.items():
        for it in items:
            if it.translation is not None:
                out.setdefault(it.article.id, {})[lang] = it.translation.reviewed
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
            out[lang].append((entry_id(s.article.id, lang), H.local(s.withdrawn_at), WITHDRAWN_COMMENT[lang]))
    return out


def _remove_pages(out: Path, store: Store, result: PublishResult) -> None:
    """Take down the page of every version that must not be read: a
    withdrawn article's, a held or rejected translation's."""
    for aid, lang in store.unpublished():
        page = out / page_path(aid, lang)
        try:
            page.unlink()
        except FileNotFoundError:
            continue
        result.removed.append(page)


def _publish_language(cfg: Config, lang: str, items: list[FeedItem], translated: dict[str, dict[str, bool]],
                      deleted: list[tuple[str, datetime, str]], urls: Urls, result: PublishResult
                      ) -> list[FeedEntry]:
    out = cfg.feeds_dir
    entries = distinct_updated([make_entry(it, urls) for it in items])
    for it in items:
        page = article_page(it, urls, translated.get(it.article.id) if it.translation is None else None)
        result.put(out, page_path(it.article.id, lang), page.encode("utf-8"))
    # A withdrawal changes the feed too: its tombstone is its latest news.
    updated = H.local(max([e.updated for e in entries] + [when for _, when, _ in deleted], default=EPOCH))
    for kind, data in build_feeds(cfg, lang, entries, urls, updated, deleted).items():
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
    deleted = _deleted(store, cfg.site.max_items)
    per_lang = {lang: _publish_language(cfg, lang, items_per_lang[lang], translated, deleted[lang], urls, result)
                for lang in LANGUAGES}
    _remove_pages(cfg.feeds_dir, store, result)
    result.put(cfg.feeds_dir, "feeds.opml", build_opml(cfg, urls))
    result.put(cfg.feeds_dir, "index.html", build_index(cfg, per_lang, urls))
    return result


__all__ = ["publish", "PublishResult", "write_if_changed", "entry_id"]
