"""The site-wide files: the index page linking every feed and the latest
entries, and the OPML list of the feeds."""
from __future__ import annotations

from html import escape

from lxml import etree

from .. import __version__
from ..config import LANGUAGES, Config
from . import html as H
from .entries import MIME, FeedEntry, Urls
from .formats import feed_title, site_description


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


def build_index(cfg: Config, per_lang: dict[str, list[FeedEntry]], urls: Urls) -> bytes:
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
