"""HTML for feed content and the pieces every page shares: the page shell,
dates as each language's readers write them, the machine-translation
notice and the byline.

Article text is stored as plain blocks, so HTML is produced here and in
pages.py and site.py only, with every piece of text escaped; no HTML from a
source reaches a feed without passing through this module.
"""
from __future__ import annotations

from datetime import datetime
from html import escape

from ..article import TZ, Block
from ..store import FeedItem
from ..text.vietnamese import fold

LANG_NAMES = {
    "en": {"en": "English", "vi": "Vietnamese"},
    "vi": {"en": "tiếng Anh", "vi": "tiếng Việt"},
}
FEED_LANG_LABEL = {"en": "English", "vi": "Tiếng Việt"}

# What a reader needs to know, in plain words: engine names, model versions
# and glossary hashes stay in the JSON Feed's metadata and the page's small print.
_NOTICE = {
    "en": "Machine translation from {lang}. Names and titles follow the official glossary.",
    "vi": "Bản dịch máy từ {lang}. Tên và chức danh theo bảng thuật ngữ chính thức.",
}
# A translation a person approved or corrected says so instead.
_REVIEWED_NOTICE = {
    "en": "Translated from {lang}; reviewed by an editor on {date}.",
    "vi": "Dịch từ {lang}; đã được biên tập viên duyệt ngày {date}.",
}
_ORIGINAL = {"en": "Read the original", "vi": "Xem bản gốc"}
# The glossary version is left out on purpose: shown on every translated
# page it changed every one of them on any glossary edit. It stays in the
# JSON Feed's _syndicate metadata.
_DETAILS = {
    "en": "Translated automatically with {engine}, model {model}.",
    "vi": "Dịch tự động bằng {engine}, mô hình {model}.",
}
_BYLINE = {"en": "By", "vi": "Tác giả:"}
MACHINE_TRANSLATION_MARK = {"en": "machine translation", "vi": "bản dịch máy"}
REVIEWED_TRANSLATION_MARK = {"en": "reviewed translation", "vi": "bản dịch đã duyệt"}
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def translation_mark(lang: str, reviewed: bool) -> str:
    """The few words listing pages put beside a translation's title."""
    return (REVIEWED_TRANSLATION_MARK if reviewed else MACHINE_TRANSLATION_MARK)[lang]


def local(dt: datetime) -> datetime:
    """The instant in the ministry's time zone, which every date shown or
    published is written in (+07:00)."""
    return dt.astimezone(TZ)


def human_date(dt: datetime, lang: str) -> str:
    """A date as the language's readers write it: 03/04/2024 in Vietnamese
    (day first), 3 April 2024 in English."""
    d = local(dt)
    if lang == "vi":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def time_html(dt: datetime, lang: str) -> str:
    return f'<time datetime="{local(dt).isoformat()}">{human_date(dt, lang)}</time>'


def author_of(item: FeedItem) -> str | None:
    """The byline as this version shows it. English news writes Vietnamese
    names without diacritics, as the translated body does (the glossary's
    rule for names), so an English translation's byline is folded too."""
    author = item.article.author
    if author and item.translation is not None and item.language == "en" and item.article.language == "vi":
        return fold(author)
    return author


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
    lang = item.language
    src_name = LANG_NAMES[lang][item.article.language]
    t = item.translation
    notice = _NOTICE[lang].format(lang=src_name)
    if t is not None and t.reviewed and t.reviewed_at:
        notice = _REVIEWED_NOTICE[lang].format(lang=src_name, date=human_date(t.reviewed_at, lang))
    css = "reviewed-translation" if t is not None and t.reviewed else "machine-translation"
    return (
        f'<p class="{css}"><em>{escape(notice)}</em> '
        f'<a href="{escape(original_url)}" hreflang="{item.article.language}">{_ORIGINAL[lang]}</a></p>'
    )


def translation_details(item: FeedItem) -> str:
    """The page's small print: which engine and model made it."""
    t = item.translation
    assert t is not None
    text = _DETAILS[item.language].format(engine=t.engine or "?", model=t.model or "?")
    return f'<p class="small-print"><small>{escape(text)}</small></p>'


def content_html(item: FeedItem, original_url: str | None) -> str:
    parts = []
    if item.translation is not None and original_url:
        parts.append(translation_notice(item, original_url))
    parts.append(blocks_html(item.blocks))
    author = author_of(item)
    if author:
        parts.append(f'<p class="byline">{_BYLINE[item.language]} {escape(author)}</p>')
    return "\n".join(parts)


def page(lang: str, title: str, body: str, head_extra: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head_extra}"
        "<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.55}.caption{color:#555}.machine-translation{background:#fff6d6;padding:.5rem}"
        ".reviewed-translation{background:#e8f4ea;padding:.5rem}"
        "small.date{white-space:nowrap}.mt{color:#8a6d00}.small-print{color:#666}"
        ".entry h2{font-size:1.15rem;margin:1.5rem 0 .2rem}.subscribe code{word-break:break-all}"
        "</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
