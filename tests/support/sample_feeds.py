"""Small hand-written feeds for the server tests (the publisher has its own
tests; here only the serving matters). Vietnamese titles are NFC."""
from __future__ import annotations

from pathlib import Path

EN_TITLES = ["Minister receives Lao delegation", "Police seize 3,489 fake goods"]
VI_TITLES = ["Bộ trưởng tiếp đoàn đại biểu Lào", "Công an tỉnh Thanh Hóa thu giữ hàng giả"]


def _atom(lang: str, titles: list[str], base: str) -> str:
    entries = "".join(
        f"""<entry><id>urn:syndicate:{lang}:{i}</id><title>{t}</title>
<updated>2024-0{i + 1}-02T03:04:05+07:00</updated><author><name>Linh Anh</name></author>
<link rel="alternate" href="{base}{lang}/{i}.html"/><content type="html">&lt;p&gt;{t}&lt;/p&gt;</content></entry>
"""
        for i, t in enumerate(titles)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}"><id>{base}{lang}/atom.xml</id>
<title>syndicate {lang}</title><updated>2024-03-01T00:00:00+07:00</updated>
<link rel="self" href="{base}{lang}/atom.xml"/>
{entries}</feed>
"""


def _rss(lang: str, titles: list[str], base: str) -> str:
    items = "".join(
        f"""<item><title>{t}</title><link>{base}{lang}/{i}.html</link><guid isPermaLink="false">urn:syndicate:{lang}:{i}</guid>
<pubDate>Tue, 0{i + 2} Jan 2024 03:04:05 +0700</pubDate><description>&lt;p&gt;{t}&lt;/p&gt;</description></item>
"""
        for i, t in enumerate(titles)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>syndicate {lang}</title>
<link>{base}</link><description>news</description><language>{lang}</language>
<atom:link rel="self" href="{base}{lang}/rss.xml" type="application/rss+xml"/>
{items}</channel></rss>
"""


def write(feeds: Path, base: str = "http://localhost/") -> Path:
    for lang, titles in (("en", EN_TITLES), ("vi", VI_TITLES)):
        d = feeds / lang
        d.mkdir(parents=True, exist_ok=True)
        (d / "atom.xml").write_text(_atom(lang, titles, base), encoding="utf-8")
        (d / "rss.xml").write_text(_rss(lang, titles, base), encoding="utf-8")
        (d / "feed.json").write_text(
            '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}\n', encoding="utf-8"
        )
    (feeds / "index.html").write_text("<!doctype html><title>feeds</title><a href='en/rss.xml'>en</a>\n" * 10,
                                      encoding="utf-8")
    (feeds / "feeds.opml").write_text('<?xml version="1.0"?><opml version="2.0"><body/></opml>\n', encoding="utf-8")
    return feeds
