"""The pages people read in a browser: one per entry, and each language's
feed as a page (`en/index.html`, `vi/index.html`), the view a browser gets
instead of the feed's XML.

Links between pages are relative, so the folder reads the same opened from
disk, served by `syndicate serve` or by nginx under any path; only the
addresses to subscribe to, and the `<link rel="alternate">` of the head
(what feed readers discover), are the public absolute ones.
"""
from __future__ import annotations

from collections.abc import Mapping
from html import escape

from ..config import LANGUAGES
from ..store import FeedItem
from . import html as H
from .entries import FEED_FILES, MIME, FeedEntry, Urls

# Written in the language of the version it points to, for a reader of that
# language who landed on the other one.
_TRANSLATION_LINK = {"en": "Read in English ({mark})", "vi": "Đọc bằng tiếng Việt ({mark})"}
_VIEW_LINK = {"en": "English news", "vi": "Tin tiếng Việt"}
_HOME_LINK = {"en": "All news", "vi": "Tất cả tin"}
_SUBSCRIBE = {
    "en": "Follow this news in a feed reader: subscribe to one of these addresses.",
    "vi": "Theo dõi tin trong trình đọc tin: đăng ký một trong các địa chỉ sau.",
}
_EMPTY = {"en": "No news yet.", "vi": "Chưa có tin nào."}
FORMAT_LABELS = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}


def page_path(article_id: str, lang: str) -> str:
    """An entry's page, relative to the feeds folder."""
    return f"{lang}/articles/{article_id}.html"


def feed_alternates(title: str, lang: str, urls: Urls) -> str:
    """<link rel="alternate"> for a language's three feeds: feed readers and
    browser extensions find the feeds from any page through these."""
    return "".join(
        f'<link rel="alternate" type="{MIME[kind]}" hreflang="{lang}" '
        f'title="{escape(title)} ({FORMAT_LABELS[kind]})" href="{escape(urls.feed(lang, kind))}">\n'
        for kind in ("atom", "rss", "json")
    )


def _other_versions(item: FeedItem, urls: Urls, translations: Mapping[str, bool]) -> tuple[str, str]:
    """(head links, body links) between an article's language versions."""
    a = item.article
    head, body = "", ""
    if item.translation is not None:
        original = a.url or urls.page(a.id, a.language)
        head += f'<link rel="alternate" hreflang="{a.language}" type="text/html" href="{escape(original)}">\n'
    for tlang in sorted(translations):
        head += f'<link rel="alternate" hreflang="{tlang}" type="text/html" href="{escape(urls.page(a.id, tlang))}">\n'
        label = _TRANSLATION_LINK[tlang].format(mark=H.translation_mark(tlang, translations[tlang]))
        body += (f'<p class="other-language" lang="{tlang}"><a href="../../{page_path(a.id, tlang)}" '
                 f'hreflang="{tlang}">{label}</a></p>\n')
    return head, body


def article_page(item: FeedItem, urls: Urls, translations: Mapping[str, bool] | None = None) -> str:
    """One entry's page. translations: {language: reviewed} of the
    published translations of this original."""
    lang, a = item.language, item.article
    head, others = _other_versions(item, urls, translations or {})
    # A translation links its original: the source's own URL, else our page of it.
    original = (a.url or f"../../{page_path(a.id, a.language)}") if item.translation is not None else None
    small_print = H.translation_details(item) + "\n" if item.translation is not None else ""
    nav = f'<a href="../../index.html">{_HOME_LINK[lang]}</a> · <a href="../index.html">{_VIEW_LINK[lang]}</a>'
    body = (
        f"<article>\n<h1>{escape(item.title)}</h1>\n"
        f"<p>{H.time_html(a.published, lang)}</p>\n"
        + others
        + f"{H.content_html(item, original)}\n{small_print}</article>\n"
        f'<p class="nav">{nav}</p>'
    )
    return H.page(lang, item.title, body, head)


def _entry_html(e: FeedEntry) -> str:
    mark = ""
    if e.translation:
        mark = (f' · <span class="mt">{H.translation_mark(e.lang, e.reviewed)}</span>'
                f' (<a href="{escape(_relative_original(e))}" hreflang="{e.original_lang}">'
                f"{H.FEED_LANG_LABEL[e.original_lang]}</a>)")
    return (
        f'<article class="entry">\n<h2><a href="articles/{escape(e.article_id)}.html">{escape(e.title)}</a></h2>\n'
        f'<p class="meta">{H.time_html(e.published, e.lang)}{mark}</p>\n'
        f"<p>{escape(e.summary, quote=False)}</p>\n</article>"
    )


def _relative_original(e: FeedEntry) -> str:
    # The source's own URL when the article has one (as in the feeds), else our page of it.
    return e.source_url or f"../{page_path(e.article_id, e.original_lang)}"


def feed_view(lang: str, title: str, description: str, entries: list[FeedEntry], urls: Urls) -> str:
    """A language's feed as a page: what it is, the addresses to subscribe
    to, and its entries newest first, each with its date and summary."""
    subscribe = "".join(
        f'<li>{FORMAT_LABELS[kind]}: <a href="{FEED_FILES[kind]}" type="{MIME[kind]}">'
        f"<code>{escape(urls.feed(lang, kind))}</code></a></li>"
        for kind in ("atom", "rss", "json")
    )
    others = " · ".join(
        f'<a href="../{other}/index.html" hreflang="{other}" lang="{other}">{_VIEW_LINK[other]}</a>'
        for other in LANGUAGES if other != lang
    )
    listing = "\n".join(_entry_html(e) for e in entries) or f"<p>{_EMPTY[lang]}</p>"
    body = (
        f"<header>\n<h1>{escape(title)}</h1>\n<p>{escape(description)}</p>\n"
        f'<p class="nav"><a href="../index.html">{_HOME_LINK[lang]}</a> · {others}</p>\n</header>\n'
        f'<section class="subscribe">\n<p>{_SUBSCRIBE[lang]}</p>\n<ul>{subscribe}</ul>\n</section>\n'
        f"<main>\n{listing}\n</main>"
    )
    return H.page(lang, title, body, feed_alternates(title, lang, urls))
