"""What readers see in a browser and in their feed reader (issue 12, items 8
and 10): each language's feed as a page that works from disk, Vietnamese
pages in Vietnamese (titles, dd/mm/yyyy dates), every date in +07:00, the
machine-translation notice in plain words, English bylines without
diacritics, feed files with nothing but the feed."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree
from lxml import html as lhtml

from syndicate import config
from syndicate.article import TZ, Article, Block
from syndicate.publish import publish
from syndicate.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
REPO = Path(__file__).resolve().parents[2]
STORED = datetime(2024, 4, 30, 23, 15, tzinfo=timezone.utc)
TRANSLATED = datetime(2024, 5, 1, 8, 30, tzinfo=timezone.utc)


def _articles():
    en = Article(source="inbox", language="en", title="Minister works with Quang Ninh police",
                 published=datetime(2019, 8, 9, tzinfo=TZ), blocks=[Block("p", "The minister met officers.")],
                 author="Linh Anh")
    vi = Article(source="inbox", language="vi", title="Công an tỉnh Sơn La diễn tập",
                 published=datetime(2020, 10, 9, tzinfo=TZ), blocks=[Block("p", "Nội dung bài viết.")],
                 author="Nguyễn Hòa")
    return en, vi


def _translate(store, a, lang, title, text):
    store.save_translation(
        a.id, lang, source_hash=a.content_hash(), title=title, blocks=[Block("p", text)], engine="ctranslate2",
        model=f"translate-{a.language}_{lang}@1.0", glossary_version="g-6a1621959af0", problems=[], terms={},
        now=TRANSLATED,
    )


@pytest.fixture
def site(workspace):
    cfg = workspace.config()
    en, vi = _articles()
    with Store(cfg.db_path) as store:
        store.upsert_article(en, STORED)
        store.upsert_article(vi, STORED)
        _translate(store, vi, "en", "Son La police hold drill", "Article content.")
        _translate(store, en, "vi", "Bộ trưởng làm việc với Công an Quảng Ninh", "Bộ trưởng gặp cán bộ.")
        publish(cfg, store)
    return cfg, en, vi


def page(cfg, rel):
    return lhtml.fromstring((cfg.feeds_dir / rel).read_bytes())


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_language_has_its_feed_as_a_page(site, lang):
    cfg, *_ = site
    feed = feedparser.parse((cfg.feeds_dir / lang / "atom.xml").read_bytes())
    view = page(cfg, f"{lang}/index.html")
    assert view.get("lang") == lang
    assert view.findtext(".//h1") == feed.feed.title
    entries = view.cssselect("article.entry")
    # The feed's entries, in its order, each linking its own page.
    assert [a.cssselect("h2 a")[0].text_content() for a in entries] == [e.title for e in feed.entries]
    assert [a.cssselect("h2 a")[0].get("href") for a in entries] == [
        urlsplit(e.link).path.rsplit(f"/{lang}/", 1)[1] for e in feed.entries]
    # The addresses to subscribe to, in full, and discoverable from the head.
    subscribe = view.cssselect(".subscribe")[0].text_content()
    for name in ("atom.xml", "rss.xml", "feed.json"):
        assert f"{cfg.site.base_url}{lang}/{name}" in subscribe
    alternates = {l.get("type"): l.get("href") for l in view.iter("link") if l.get("rel") == "alternate"}
    assert alternates["application/atom+xml"] == f"{cfg.site.base_url}{lang}/atom.xml"
    # A translated entry says so, in the page's language, and links its original.
    mark = "bản dịch máy" if lang == "vi" else "machine translation"
    marked = [a for a in entries if mark in a.text_content()]
    assert len(marked) == 1
    other = "en" if lang == "vi" else "vi"
    assert marked[0].cssselect(f'a[hreflang="{other}"]')[0].get("href").startswith(f"../{other}/articles/")


def test_every_page_works_from_disk(site):
    """Opened as files (no server), every link between pages must lead to a
    file: no absolute http://localhost links, no bare folders."""
    cfg, *_ = site
    pages = sorted(cfg.feeds_dir.rglob("*.html"))
    assert len(pages) == 1 + 2 + 4  # the index, two feed pages, four article pages
    checked = 0
    for p in pages:
        doc = lhtml.fromstring(p.read_bytes())
        for a in doc.iter("a"):
            href = a.get("href")
            # No absolute link (these articles have no source URL of their own).
            assert not urlsplit(href).scheme, (p.relative_to(cfg.feeds_dir), href)
            target = (p.parent / href).resolve()
            assert target.is_file(), (p.relative_to(cfg.feeds_dir), href)
            checked += 1
    assert checked > 20


def test_vietnamese_pages_show_day_first_dates_and_english_pages_words(site):
    cfg, en, vi = site
    vi_pages = [page(cfg, "vi/index.html"), page(cfg, f"vi/articles/{vi.id}.html"),
                page(cfg, f"vi/articles/{en.id}.html")]
    for doc in vi_pages:
        text = doc.text_content()
        assert re.search(r"\b(09/10/2020|09/08/2019)\b", text)
        assert not re.search(r"\b\d{4}-\d\d-\d\d\b|\b(Aug|Oct|Mon|Wed|Fri)\b", text)
    assert "9 August 2019" in page(cfg, f"en/articles/{en.id}.html").text_content()
    index = page(cfg, "index.html")
    (vi_section,) = [s for s in index.iter("section") if s.get("lang") == "vi"]
    assert "09/10/2020" in vi_section.text_content()


def test_every_date_is_in_hanoi_time(site):
    cfg, *_ = site
    for lang in ("en", "vi"):
        atom = etree.parse(str(cfg.feeds_dir / lang / "atom.xml")).getroot()
        stamps = [el.text for el in atom.iter(f"{ATOM}published", f"{ATOM}updated")]
        assert stamps and all(s.endswith("+07:00") for s in stamps), stamps
        rss = etree.parse(str(cfg.feeds_dir / lang / "rss.xml")).getroot()
        dates = [el.text for el in rss.iter("pubDate", "lastBuildDate")]
        assert dates and all(d.endswith("+0700") for d in dates), dates
        items = json.loads((cfg.feeds_dir / lang / "feed.json").read_text(encoding="utf-8"))["items"]
        assert all(i[k].endswith("+07:00") for i in items for k in ("date_published", "date_modified"))
        for p in (cfg.feeds_dir / lang).rglob("*.html"):
            times = [t.get("datetime") for t in lhtml.fromstring(p.read_bytes()).iter("time")]
            assert times and all(t.endswith("+07:00") for t in times), p


def test_the_notice_speaks_plainly_and_the_details_are_small_print(site):
    cfg, en, vi = site
    vi_feed = (cfg.feeds_dir / "vi" / "atom.xml").read_text(encoding="utf-8")
    for jargon in ("công cụ", "ctranslate2", "translate-en_vi@1.0", "g-6a1621959af0"):
        assert jargon not in vi_feed
    assert "Bản dịch máy từ tiếng Anh" in vi_feed
    meta = json.loads((cfg.feeds_dir / "vi" / "feed.json").read_text(encoding="utf-8"))["items"]
    (translated,) = [i for i in meta if "_syndicate" in i]
    assert translated["_syndicate"]["model"] == "translate-en_vi@1.0"
    assert translated["_syndicate"]["glossary_version"] == "g-6a1621959af0"
    assert "ctranslate2" not in translated["content_html"]
    doc = page(cfg, f"vi/articles/{en.id}.html")
    assert "translate-en_vi@1.0" not in doc.cssselect(".machine-translation")[0].text_content()
    small = doc.cssselect(".small-print small")[0].text_content()
    # The glossary version is metadata only: on the page it would change
    # every translated page on any glossary edit.
    assert "translate-en_vi@1.0" in small and "g-6a1621959af0" not in small


def test_english_translation_bylines_drop_diacritics(site):
    cfg, en, vi = site
    feed = feedparser.parse((cfg.feeds_dir / "en" / "atom.xml").read_bytes())
    by_title = {e.title: e for e in feed.entries}
    assert by_title["Son La police hold drill"].author == "Nguyen Hoa"
    rss = feedparser.parse((cfg.feeds_dir / "en" / "rss.xml").read_bytes())
    assert {e.title: e.author for e in rss.entries}["Son La police hold drill"] == "Nguyen Hoa"
    items = json.loads((cfg.feeds_dir / "en" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert {i["title"]: i.get("authors") for i in items}["Son La police hold drill"] == [{"name": "Nguyen Hoa"}]
    assert "By Nguyen Hoa" in page(cfg, f"en/articles/{vi.id}.html").text_content()
    # The original keeps its diacritics; an English name stays as written.
    vi_feed = feedparser.parse((cfg.feeds_dir / "vi" / "atom.xml").read_bytes())
    assert {e.title: e.author for e in vi_feed.entries}["Công an tỉnh Sơn La diễn tập"] == "Nguyễn Hòa"
    assert "Tác giả: Linh Anh" in page(cfg, f"vi/articles/{en.id}.html").text_content()


def test_feed_files_carry_only_the_feed(site):
    """The XSLT browser view is going away (Chromium warns on it); browsers
    get the feed's page instead, and the feed files stay what readers need."""
    cfg, *_ = site
    for lang in ("en", "vi"):
        for name in ("rss.xml", "atom.xml"):
            assert b"xml-stylesheet" not in (cfg.feeds_dir / lang / name).read_bytes()
    assert not (cfg.feeds_dir / "feed.xsl").exists()


def test_the_shipped_config_names_the_vietnamese_feeds_in_vietnamese(tmp_path):
    cfg = config.load(REPO / "config.toml")
    assert cfg.site.title_vi and cfg.site.description_vi
    assert cfg.site.title_vi != cfg.site.title and cfg.site.description_vi != cfg.site.description
    # Written in Vietnamese: letters only Vietnamese has.
    assert re.search("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                     cfg.site.title_vi + cfg.site.description_vi, re.I)
