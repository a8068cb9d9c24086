"""The site-wide files: the index page linking every language's page, feeds
and latest entries, and the OPML list of the feeds."""
from __future__ import annotations

from html import escape

from lxml import etree

from .. import __version__
from ..config import LANGUAGES, Config
from . import html as H
from .entries import FEED_FILES, FeedEntry, Urls
from .formats import feed_title, site_description
from .pages import FORMAT_LABELS, feed_alternates

# One feed per language in the OPML: a reader importing it subscribes to
# each language once. Atom, because it carries what RSS cannot (each
# entry's language and the link to a translation's original).
OPML_FORMAT = "atom"


def build_opml(cfg: Config, urls: Urls) -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = cfg.site.title
    body = etree.SubElement(root, "body")
    for lang in LANGUAGES:
        title = feed_title(cfg, lang)
        etree.SubElement(
            body, "outline", type="rss", language=lang, text=title, title=title,
            xmlUrl=urls.feed(lang, OPML_FORMAT), htmlUrl=f"{urls.base}{lang}/index.html",
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _mark(e: FeedEntry) -> str:
    return f' <small class="mt">({H.translation_mark(e.lang, e.reviewed)})</small>' if e.translation else ""


def _section(cfg: Config, lang: str, entries: list[FeedEntry]) -> str:
    links = " · ".join(f'<a href="{lang}/{FEED_FILES[k]}">{FORMAT_LABELS[k]}</a>' for k in ("atom", "rss", "json"))
    latest = "".join(
        f'<li><a href="{lang}/articles/{escape(e.article_id)}.html">{escape(e.title)}</a>{_mark(e)}'
        f' <small class="date">{H.human_date(e.published, lang)}</small></li>'
        for e in entries[:10]
    )
    own = ""
    if site_description(cfg, lang) != cfg.site.description:
        own = f"<p>{escape(site_description(cfg, lang))}</p>\n"
    return (
        f'<section lang="{lang}"><h2><a href="{lang}/index.html">{escape(feed_title(cfg, lang))}</a></h2>\n'
        f"{own}<p>{links}</p>\n<ul>{latest}</ul></section>"
    )


def build_index(cfg: Config, per_lang: dict[str, list[FeedEntry]], urls: Urls) -> bytes:
    head = "".join(feed_alternates(feed_title(cfg, lang), lang, urls) for lang in LANGUAGES)
    body = (
        f"<h1>{escape(cfg.site.title)}</h1>\n<p>{escape(cfg.site.description)}</p>\n"
        + "\n".join(_section(cfg, lang, per_lang[lang]) for lang in LANGUAGES)
        + f'\n<p><a href="feeds.opml">OPML</a> · syndicate {__version__}</p>'
    )
    return H.page("en", cfg.site.title, body, head).encode("utf-8")
