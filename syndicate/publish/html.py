"""HTML for feed content, per-article pages and the index page.

Article text is stored as plain blocks, so HTML is produced here and only
here, with every piece of text escaped; no HTML from a source reaches a
feed without passing through this module.
"""
from __future__ import annotations

from html import escape

from ..article import Block
from ..store import FeedItem

LANG_NAMES = {
    "en": {"en": "English", "vi": "Vietnamese"},
    "vi": {"en": "tiếng Anh", "vi": "tiếng Việt"},
}
FEED_LANG_LABEL = {"en": "English", "vi": "Tiếng Việt"}

_NOTICE = {
    "en": "Machine-translated from {lang} by syndicate. Names and titles follow the official glossary.",
    "vi": "Bản dịch máy từ {lang} do syndicate thực hiện. Tên và chức danh theo bảng thuật ngữ chính thức.",
}
# A translation a person approved or corrected says so instead.
_REVIEWED_NOTICE = {
    "en": "Translated from {lang}; reviewed by an editor on {date}.",
    "vi": "Dịch từ {lang}; đã được biên tập viên duyệt ngày {date}.",
}
_ORIGINAL = {"en": "Read the original", "vi": "Xem bản gốc"}
_DETAILS = {"en": "engine {engine}, model {model}, glossary {glossary}", "vi": "công cụ {engine}, mô hình {model}, thuật ngữ {glossary}"}


def blocks_html(blocks: list[Block]) -> str:
    out: list[str] = []
    notes: list[str] = []
    for b in blocks:
        if b.kind == "note":
            notes.append(f"<li>{escape(b.text, quote=False)}</li>")
            continue
        if notes:
            out.append('<ul class="notes">' + "".join(notes) + "</ul>")
            notes = []
        if b.kind == "caption":
            out.append(f'<p class="caption"><em>{escape(b.text, quote=False)}</em></p>')
        else:
            out.append(f"<p>{escape(b.text, quote=False)}</p>")
    if notes:
        out.append('<ul class="notes">' + "".join(notes) + "</ul>")
    return "\n".join(out)


def translation_notice(item: FeedItem, original_url: str) -> str:
    t = item.translation
    assert t is not None
    lang = item.language
    src_name = LANG_NAMES[lang][item.article.language]
    details = _DETAILS[lang].format(
        engine=escape(t.engine or "?"), model=escape(t.model or "?"), glossary=escape(t.glossary_version or "?")
    )
    notice = _NOTICE[lang].format(lang=src_name)
    if t.reviewed and t.reviewed_at:
        d = t.reviewed_at.date()
        notice = _REVIEWED_NOTICE[lang].format(
            lang=src_name, date=d.isoformat() if lang == "en" else f"{d.day:02d}/{d.month:02d}/{d.year}")
    css = "reviewed-translation" if t.reviewed else "machine-translation"
    return (
        f'<p class="{css}"><em>{escape(notice)}</em> '
        f'<a href="{escape(original_url)}" hreflang="{item.article.language}">{_ORIGINAL[lang]}</a> '
        f"<small>({details})</small></p>"
    )


def content_html(item: FeedItem, original_url: str | None) -> str:
    parts = []
    if item.translation is not None and original_url:
        parts.append(translation_notice(item, original_url))
    parts.append(blocks_html(item.blocks))
    if item.article.author:
        label = "By" if item.language == "en" else "Tác giả:"
        parts.append(f'<p class="byline">{label} {escape(item.article.author)}</p>')
    return "\n".join(parts)


def page(lang: str, title: str, body: str, head_extra: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head_extra}"
        "<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.55}.caption{color:#555}.machine-translation{background:#fff6d6;padding:.5rem}"
        "small.date{white-space:nowrap}.mt{color:#8a6d00}"
        "</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


# Written in the language of the version it points to, for a reader of that
# language who landed on the other one.
_TRANSLATION_LINK = {"en": "Read in English (machine translation)", "vi": "Đọc bằng tiếng Việt (bản dịch máy)"}
_FEED_LINK = {"en": "English feed", "vi": "Nguồn tin tiếng Việt"}
_HOME_LINK = {"en": "All news", "vi": "Tất cả tin"}
MACHINE_TRANSLATION_MARK = {"en": "machine translation", "vi": "bản dịch máy"}


def article_page(item: FeedItem, original_url: str | None, feed_url: str, *,
                 home_url: str = "", translations: dict[str, str] | None = None) -> str:
    """One entry's page. translations: language -> page URL of this
    article's published translations (for an original)."""
    lang = item.language
    date = item.article.published.date().isoformat()
    head = ""
    others = []
    if original_url and item.translation is not None:
        head += (f'<link rel="alternate" hreflang="{item.article.language}" type="text/html" '
                 f'href="{escape(original_url)}">\n')
    for tlang, url in sorted((translations or {}).items()):
        head += f'<link rel="alternate" hreflang="{tlang}" type="text/html" href="{escape(url)}">\n'
        others.append(f'<p class="other-language" lang="{tlang}"><a href="{escape(url)}" hreflang="{tlang}">'
                      f"{_TRANSLATION_LINK[tlang]}</a></p>\n")
    nav = [f'<a href="{escape(feed_url)}">{_FEED_LINK[lang]}</a>']
    if home_url:
        nav.insert(0, f'<a href="{escape(home_url)}">{_HOME_LINK[lang]}</a>')
    body = (
        f"<article>\n<h1>{escape(item.title)}</h1>\n"
        f'<p><time datetime="{item.article.published.isoformat()}">{date}</time></p>\n'
        + "".join(others)
        + f"{content_html(item, original_url)}\n</article>\n"
        f'<p class="nav">{" · ".join(nav)}</p>'
    )
    return page(lang, item.title, body, head)
