"""The three feed formats of one language: RSS 2.0 and Atom 1.0 through
feedgen (with feedgen_fixes' workarounds), and JSON Feed 1.1 written
directly; plus the feeds' names in each language.

The feed files are for feed readers only: no xml-stylesheet, nothing for
browsers (they get the language's page, pages.feed_view)."""
from __future__ import annotations

import json
from datetime import datetime

from .. import __version__
from ..config import Config
from . import html as H
from .entries import FeedEntry, Urls
from .feedgen_fixes import build_atom, build_rss


def site_title(cfg: Config, lang: str) -> str:
    return getattr(cfg.site, f"title_{lang}", None) or cfg.site.title


def site_description(cfg: Config, lang: str) -> str:
    return getattr(cfg.site, f"description_{lang}", None) or cfg.site.description


def feed_title(cfg: Config, lang: str) -> str:
    return f"{site_title(cfg, lang)} ({H.FEED_LANG_LABEL[lang]})"


def build_json(cfg: Config, lang: str, entries: list[FeedEntry], urls: Urls) -> bytes:
    feed: dict = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed_title(cfg, lang),
        "home_page_url": urls.index(),
        "feed_url": urls.feed(lang, "json"),
        "description": site_description(cfg, lang),
        "language": lang,
        # The default for items without a byline, as the Atom feed's author.
        "authors": [{"name": site_title(cfg, lang)}],
    }
    if cfg.websub.hub:
        feed["hubs"] = [{"type": "WebSub", "url": cfg.websub.hub}]
    items = []
    for e in entries:
        it: dict = {
            "id": e.id,
            "url": e.link,
            "title": e.title,
            "content_html": e.content_html,
            "summary": e.feed_summary,
            "date_published": e.published.isoformat(),
            "date_modified": e.updated.isoformat(),
            "language": lang,
        }
        if e.original_link:
            it["external_url"] = e.original_link
        elif e.source_url:
            it["external_url"] = e.source_url
        if e.author:
            it["authors"] = [{"name": e.author}]
        if e.categories:
            it["tags"] = [term for term, _ in e.categories]
        if e.translation:
            it["_syndicate"] = e.translation
        items.append(it)
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build_feeds(cfg: Config, lang: str, entries: list[FeedEntry], urls: Urls, updated: datetime,
                deleted=()) -> dict[str, bytes]:
    """{kind: bytes} for "rss", "atom" and "json". deleted: (entry id,
    when, comment) of withdrawn entries, announced in Atom (RFC 6721);
    RSS and JSON Feed have no such element, so there they simply go."""
    common = dict(
        lang=lang, title=feed_title(cfg, lang), description=site_description(cfg, lang),
        home=urls.index(), hub=cfg.websub.hub or None, updated=updated, entries=entries,
        generator_version=__version__,
    )
    return {
        "rss": build_rss(self_url=urls.feed(lang, "rss"), **common),
        "atom": build_atom(self_url=urls.feed(lang, "atom"), publisher=site_title(cfg, lang), deleted=deleted,
                           **common),
        "json": build_json(cfg, lang, entries, urls),
    }
