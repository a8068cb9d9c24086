"""Publish: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language, article pages,
an index page and an OPML list.

Output is a pure function of the store: no clock is read here, so
publishing again with nothing new writes byte-identical files and the
server's ETags stay stable. Files are only replaced when their bytes
change, each through a temporary file and a rename, so a reader never
sees half a feed.
"""
from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from lxml import etree

from .. import __version__
from ..article import other_language
from ..config import LANGUAGES, Config
from .sanitize import sanitize_html
from ..store import FeedItem, Store
from . import html as H
from .feedgen_fixes import build_atom, build_rss
from .stylesheet import STYLESHEET_NAME, add_stylesheet, stylesheet_bytes

# A feed with no entries still needs an `updated`; a constant keeps it stable.
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

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


@dataclass
class PublishResult:
    written: list[Path] = field(default_factory=list)  # files whose bytes changed
    unchanged: int = 0
    changed_feeds: list[str] = field(default_factory=list)  # public URLs of changed feed files


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it already holds exactly that."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


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
class Entry:
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


def make_entry(item: FeedItem, urls: Urls) -> Entry:
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
    return Entry(
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
    )


def site_title(cfg: Config, lang: str) -> str:
    return getattr(cfg.site, f"title_{lang}", None) or cfg.site.title


def site_description(cfg: Config, lang: str) -> str:
    return getattr(cfg.site, f"description_{lang}", None) or cfg.site.description


def feed_title(cfg: Config, lang: str) -> str:
    return f"{site_title(cfg, lang)} ({H.FEED_LANG_LABEL[lang]})"


def build_json(cfg: Config, lang: str, entries: list[Entry], urls: Urls) -> bytes:
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
            "summary": e.summary,
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
        if e.translation:
            it["_syndicate"] = e.translation
        items.append(it)
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build_opml(cfg: Config, urls: Urls) -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = cfg.site.title
    body = etree.SubElement(root, "body")
    for lang in LANGUAGES:
        group = etree.SubElement(body, "outline", text=H.FEED_LANG_LABEL[lang], title=H.FEED_LANG_LABEL[lang])
        for kind, label in (("atom", "Atom"), ("rss", "RSS")):
            etree.SubElement(
                group, "outline", type="rss", language=lang,
                text=f"{feed_title(cfg, lang)} {label}", title=f"{feed_title(cfg, lang)} {label}",
                xmlUrl=urls.feed(lang, kind), htmlUrl=urls.index(),
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_index(cfg: Config, per_lang: dict[str, list[Entry]], urls: Urls) -> bytes:
    head = []
    sections = []
    labels = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
    for lang in LANGUAGES:
        for kind in ("atom", "rss", "json"):
            head.append(
                f'<link rel="alternate" type="{MIME[kind]}" hreflang="{lang}" '
                f'title="{escape(feed_title(cfg, lang))} ({labels[kind]})" href="{urls.feed(lang, kind)}">\n'
            )
        links = " · ".join(f'<a href="{urls.feed(lang, k)}">{labels[k]}</a>' for k in ("atom", "rss", "json"))
        mark = f' <small class="mt">({H.MACHINE_TRANSLATION_MARK[lang]})</small>'
        latest = "".join(
            f'<li><a href="{escape(e.link)}">{escape(e.title)}</a>{mark if e.translation else ""}'
            f' <small class="date">{e.published.date().isoformat()}</small></li>'
            for e in per_lang[lang][:10]
        )
        own = ""
        if site_description(cfg, lang) != cfg.site.description:
            own = f"<p>{escape(site_description(cfg, lang))}</p>\n"
        sections.append(
            f'<section lang="{lang}"><h2>{H.FEED_LANG_LABEL[lang]}</h2>\n{own}<p>{links}</p>\n<ul>{latest}</ul></section>'
        )
    body = (
        f"<h1>{escape(cfg.site.title)}</h1>\n<p>{escape(cfg.site.description)}</p>\n"
        + "\n".join(sections)
        + f'\n<p><a href="{urls.base}feeds.opml">OPML</a> · syndicate {__version__}</p>'
    )
    return H.page("en", cfg.site.title, body, "".join(head)).encode("utf-8")


def publish(cfg: Config, store: Store) -> PublishResult:
    urls = Urls(cfg.site.base_url)
    out = cfg.feeds_dir
    result = PublishResult()

    def put(rel: str, data: bytes) -> bool:
        changed = write_if_changed(out / rel, data)
        if changed:
            result.written.append(out / rel)
        else:
            result.unchanged += 1
        return changed

    per_lang: dict[str, list[Entry]] = {}
    items_per_lang = {lang: store.feed_items(lang, cfg.site.max_items) for lang in LANGUAGES}
    # An original's page links each published translation of it.
    translated: dict[str, dict[str, str]] = {}
    for lang, items in items_per_lang.items():
        for it in items:
            if it.translation is not None:
                translated.setdefault(it.article.id, {})[lang] = urls.page(it.article.id, lang)
    for lang in LANGUAGES:
        items = items_per_lang[lang]
        entries = [make_entry(it, urls) for it in items]
        per_lang[lang] = entries
        for it, e in zip(items, entries):
            page = H.article_page(
                it, e.original_link, urls.feed(lang, "atom"), home_url=urls.index(),
                translations=translated.get(it.article.id) if it.translation is None else None,
            )
            put(f"{lang}/articles/{it.article.id}.html", page.encode("utf-8"))
        updated = max((e.updated for e in entries), default=EPOCH)
        common = dict(
            lang=lang, title=feed_title(cfg, lang), description=site_description(cfg, lang),
            home=urls.index(), hub=cfg.websub.hub or None, updated=updated, entries=entries,
            generator_version=__version__,
        )
        for kind, data in (
            ("rss", add_stylesheet(build_rss(self_url=urls.feed(lang, "rss"), **common))),
            ("atom", add_stylesheet(build_atom(self_url=urls.feed(lang, "atom"), publisher=site_title(cfg, lang), **common))),
            ("json", build_json(cfg, lang, entries, urls)),
        ):
            if put(f"{lang}/{FEED_FILES[kind]}", data):
                result.changed_feeds.append(urls.feed(lang, kind))
    put(STYLESHEET_NAME, stylesheet_bytes())
    put("feeds.opml", build_opml(cfg, urls))
    put("index.html", build_index(cfg, per_lang, urls))
    return result


__all__ = ["publish", "PublishResult", "write_if_changed", "entry_id", "other_language"]
