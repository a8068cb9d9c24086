import json
import time
from datetime import datetime, timezone

import feedparser
import pytest
from lxml import etree

from syndicate.article import TZ, Article, Block
from syndicate.publish import entry_id, publish, write_if_changed
from syndicate.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
TRANSLATED_AT = datetime(2024, 5, 1, 8, 30, tzinfo=timezone.utc)
STORED_AT = datetime(2024, 4, 30, 23, 15, tzinfo=timezone.utc)


def _articles():
    en = Article(
        source="inbox", language="en", title="Minister works with Quang Ninh police",
        published=datetime(2019, 8, 9, tzinfo=TZ),
        blocks=[Block("p", 'Police fight "black credit" & <crime>.'), Block("caption", "The minister speaks."),
                Block("note", "On the same day, a visit.")],
        author="Linh Anh", tag="MPS",
    )
    vi = Article(
        source="inbox", language="vi", title="Công an tỉnh Sơn La diễn tập",
        published=datetime(2020, 10, 9, tzinfo=TZ), blocks=[Block("p", "Nội dung bài viết.")], author="Minh Tâm",
    )
    return en, vi


def _without_byline():
    return Article(
        source="inbox", language="en", title="Border guards patrol in Lang Son",
        published=datetime(2024, 5, 5, tzinfo=TZ), blocks=[Block("p", "Officers patrol every day.")], author=None,
    )


@pytest.fixture
def published(workspace):
    cfg = workspace.config()
    en, vi = _articles()
    with Store(cfg.db_path) as store:
        store.upsert_article(en, STORED_AT)
        store.upsert_article(vi, STORED_AT)
        store.save_translation(
            vi.id, "en", source_hash=vi.content_hash(), title="Son La police hold drill",
            blocks=[Block("p", "Article content.")], engine="ctranslate2", model="translate-vi_en@1.0",
            glossary_version="g123", problems=[], terms={}, now=TRANSLATED_AT,
        )
        result = publish(cfg, store)
    return cfg, result, en, vi


def parse(cfg, rel):
    d = feedparser.parse((cfg.feeds_dir / rel).read_bytes())
    assert not d.bozo, d.get("bozo_exception")
    return d


@pytest.mark.parametrize("rel", ["en/rss.xml", "en/atom.xml", "en/feed.json"])
def test_english_feeds_read_back_with_feedparser(published, rel):
    cfg, _, en, vi = published
    if rel.endswith(".json"):
        feed = json.loads((cfg.feeds_dir / rel).read_text(encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["language"] == "en"
        assert feed["feed_url"] == "http://feeds.example.test/news/en/feed.json"
        items = feed["items"]
        assert [i["title"] for i in items] == ["Son La police hold drill", "Minister works with Quang Ninh police"]
        assert items[0]["_syndicate"]["machine_translated"] is True
        assert items[0]["_syndicate"]["model"] == "translate-vi_en@1.0"
        assert items[0]["external_url"].endswith(f"/vi/articles/{vi.id}.html")
        assert items[1]["authors"] == [{"name": "Linh Anh"}]
        assert items[1]["date_published"] == "2019-08-09T00:00:00+07:00"
        return
    d = parse(cfg, rel)
    assert d.feed.get("language", "en") == "en"
    assert [e.title for e in d.entries] == ["Son La police hold drill", "Minister works with Quang Ninh police"]
    orig = d.entries[1]
    assert orig.author == "Linh Anh"
    assert orig.published_parsed == time.struct_time((2019, 8, 8, 17, 0, 0, 3, 220, 0))  # 9 Aug 00:00 +07:00
    assert orig.id == entry_id(en.id, "en")
    assert orig.link == f"http://feeds.example.test/news/en/articles/{en.id}.html"
    html = orig.content[0].value
    assert "&quot;black credit&quot;" in html or '"black credit"' in html
    assert "&amp; &lt;crime&gt;" in html  # escaped text, not markup
    assert '<p class="caption">' in html and '<ul class="notes">' in html
    tr = d.entries[0]
    assert "Machine translation from Vietnamese" in tr.content[0].value
    # Readers get the notice in plain words; engine, model and glossary
    # version stay in metadata (JSON Feed's _syndicate) and the page's small print.
    for jargon in ("ctranslate2", "translate-vi_en@1.0", "g123"):
        assert jargon not in tr.content[0].value
    # English writes Vietnamese names without diacritics, the byline too.
    assert tr.author == "Minh Tam" and "By Minh Tam" in tr.content[0].value
    # RSS <link> must be the translation's own page (feedgen takes the last link).
    assert tr.link == f"http://feeds.example.test/news/en/articles/{vi.id}.html"


def test_a_glossary_edit_that_changes_no_text_changes_no_visible_byte(published, workspace):
    cfg, _, en, vi = published
    files = ["en/rss.xml", "en/atom.xml", f"en/articles/{vi.id}.html"]
    before = {f: (cfg.feeds_dir / f).read_bytes() for f in files}
    with Store(cfg.db_path) as store:
        store.save_translation(
            vi.id, "en", source_hash=vi.content_hash(), title="Son La police hold drill",
            blocks=[Block("p", "Article content.")], engine="ctranslate2", model="translate-vi_en@1.0",
            glossary_version="g456", problems=[], terms={}, now=TRANSLATED_AT,
        )
        publish(cfg, store)
    assert {f: (cfg.feeds_dir / f).read_bytes() for f in files} == before
    item = json.loads((cfg.feeds_dir / "en/feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["_syndicate"]["glossary_version"] == "g456"  # kept as metadata


def test_vietnamese_feed_language_and_ids_differ_per_language(published):
    cfg, _, en, vi = published
    d = parse(cfg, "vi/atom.xml")
    assert d.feed.language == "vi"
    assert [e.title for e in d.entries] == ["Công an tỉnh Sơn La diễn tập"]
    assert d.entries[0].id == entry_id(vi.id, "vi") != entry_id(vi.id, "en")


def test_atom_entry_links_keep_rel_type_and_hreflang(published):
    cfg, _, _, vi = published
    root = etree.parse(str(cfg.feeds_dir / "en" / "atom.xml")).getroot()
    entry = root.find(f"{ATOM}entry")
    links = [dict(l.attrib) for l in entry.findall(f"{ATOM}link")]
    assert links == [
        {"href": f"http://feeds.example.test/news/en/articles/{vi.id}.html", "rel": "alternate",
         "type": "text/html", "hreflang": "en"},
        {"href": f"http://feeds.example.test/news/vi/articles/{vi.id}.html", "rel": "related",
         "type": "text/html", "hreflang": "vi"},
    ]
    self_links = [l.get("href") for l in root.findall(f"{ATOM}link") if l.get("rel") == "self"]
    assert self_links == ["http://feeds.example.test/news/en/atom.xml"]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_dates_come_from_the_store_not_the_clock(published):
    cfg, *_ = published
    d = parse(cfg, "en/atom.xml")
    assert d.feed.updated == "2024-05-01T15:30:00+07:00"  # the translation's instant, in Hanoi time
    assert d.entries[0].updated_parsed[:6] == (2024, 5, 1, 8, 30, 0)
    assert d.entries[1].updated == "2024-05-01T06:15:00+07:00"  # the original: when it was stored
    r = parse(cfg, "en/rss.xml")
    assert r.feed.updated_parsed[:6] == (2024, 5, 1, 8, 30, 0)  # lastBuildDate
    assert r.feed.link == "http://feeds.example.test/news/index.html"


def test_publishing_again_changes_no_byte(published, workspace):
    cfg, first, *_ = published
    files = {p: p.read_bytes() for p in cfg.feeds_dir.rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in files}
    time.sleep(0.01)
    with Store(cfg.db_path) as store:
        again = publish(cfg, store)
    assert again.written == [] and again.changed_feeds == []
    assert {p: p.read_bytes() for p in files} == files
    assert {p: p.stat().st_mtime_ns for p in files} == mtimes
    assert len(first.changed_feeds) == 6


def test_index_and_opml_link_every_feed(published):
    cfg, *_ = published
    index = (cfg.feeds_dir / "index.html").read_text(encoding="utf-8")
    opml = etree.parse(str(cfg.feeds_dir / "feeds.opml")).getroot()
    urls = {o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")}
    for lang in ("en", "vi"):
        for f in ("rss.xml", "atom.xml", "feed.json"):
            assert f"http://feeds.example.test/news/{lang}/{f}" in index
    # One feed per language: importing the list subscribes to each once.
    assert urls == {f"http://feeds.example.test/news/{lang}/atom.xml" for lang in ("en", "vi")}


def test_article_pages_exist_for_every_entry(published):
    cfg, _, en, vi = published
    for rel in (f"en/articles/{en.id}.html", f"en/articles/{vi.id}.html", f"vi/articles/{vi.id}.html"):
        assert (cfg.feeds_dir / rel).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_write_if_changed_is_atomic_and_leaves_no_temp_files(tmp_path):
    p = tmp_path / "a" / "f.xml"
    assert write_if_changed(p, b"one") is True
    assert write_if_changed(p, b"one") is False
    assert write_if_changed(p, b"two") is True
    assert p.read_bytes() == b"two"
    assert [x.name for x in p.parent.iterdir()] == ["f.xml"]


def test_websub_hub_is_announced_when_configured(workspace):
    cfg = workspace.configure({"websub": {"hub": "https://hub.example.test/"}})
    with Store(cfg.db_path) as store:
        store.upsert_article(_articles()[0])
        publish(cfg, store)
    atom = etree.parse(str(cfg.feeds_dir / "en" / "atom.xml")).getroot()
    assert [l.get("href") for l in atom.findall(f"{ATOM}link") if l.get("rel") == "hub"] == ["https://hub.example.test/"]
    assert json.loads((cfg.feeds_dir / "en" / "feed.json").read_text())["hubs"][0]["url"] == "https://hub.example.test/"


def test_atom_entry_without_a_byline_still_has_an_author(workspace):
    """RFC 4287 4.1.1/4.1.2: an atom:entry needs an atom:author unless the
    feed has one. Articles without a byline (remote items, portal exports
    that leave it off) must not make the Atom feed invalid."""
    cfg = workspace.config()
    anon = _without_byline()
    with Store(cfg.db_path) as store:
        store.upsert_article(anon)
        publish(cfg, store)
    root = etree.parse(str(cfg.feeds_dir / "en" / "atom.xml")).getroot()
    (entry,) = root.findall(f"{ATOM}entry")
    feed_authors = [a.findtext(f"{ATOM}name") for a in root.findall(f"{ATOM}author")]
    entry_authors = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    assert feed_authors or entry_authors, "no atom:author for the entry, nor for the feed"
    assert (entry_authors or feed_authors) == [cfg.site.title]
    # A byline, when there is one, stays the entry's own author.
    d = parse(cfg, "en/atom.xml")
    assert d.entries[0].title == "Border guards patrol in Lang Son"


def test_article_pages_link_the_other_language_version_and_the_site(published):
    """Seen in a browser: the original Vietnamese page gave no way to its
    English translation, no page led back to the site, and the index did not
    say which entries are machine translations."""
    from lxml import html as lhtml

    cfg, _, en, vi = published
    base = "http://feeds.example.test/news/"

    def page(rel):
        return lhtml.fromstring((cfg.feeds_dir / rel).read_bytes())

    original = page(f"vi/articles/{vi.id}.html")
    to_en = [a for a in original.iter("a") if a.get("hreflang") == "en"]
    # Page to page links are relative (the folder works from disk); the head's
    # alternates are the public addresses.
    assert [a.get("href") for a in to_en] == [f"../../en/articles/{vi.id}.html"]
    assert "English" in to_en[0].text_content()
    assert [l.get("href") for l in original.iter("link") if l.get("rel") == "alternate" and l.get("hreflang") == "en"] == [
        f"{base}en/articles/{vi.id}.html"]
    assert "../../index.html" in [a.get("href") for a in original.iter("a")]
    # The page is Vietnamese: its own links say so in Vietnamese.
    assert "Tin tiếng Việt" in original.text_content() and " feed" not in original.text_content()

    translation = page(f"en/articles/{vi.id}.html")
    assert [l.get("href") for l in translation.iter("link") if l.get("rel") == "alternate" and l.get("hreflang") == "vi"] == [
        f"{base}vi/articles/{vi.id}.html"]
    assert "../../index.html" in [a.get("href") for a in translation.iter("a")]

    untranslated = page(f"en/articles/{en.id}.html")
    assert not [a for a in untranslated.iter("a") if a.get("hreflang") == "vi"]

    index = page("index.html")
    (en_section,) = [s for s in index.iter("section") if s.get("lang") == "en"]
    items = {li.cssselect("a")[0].text_content(): li.text_content() for li in en_section.iter("li")}
    assert "machine translation" in items["Son La police hold drill"]
    assert "machine translation" not in items["Minister works with Quang Ninh police"]


def test_self_links_carry_the_feed_type(published):
    """RSS Advisory Board profile: the channel's atom:link rel="self" should
    say type="application/rss+xml" (the W3C validator warns without it);
    RFC 4287 likewise recommends a type on links."""
    cfg, *_ = published
    for lang in ("en", "vi"):
        rss = etree.parse(str(cfg.feeds_dir / lang / "rss.xml")).getroot()
        (self_rss,) = [l for l in rss.find("channel").findall(f"{ATOM}link") if l.get("rel") == "self"]
        assert self_rss.get("type") == "application/rss+xml"
        atom = etree.parse(str(cfg.feeds_dir / lang / "atom.xml")).getroot()
        (self_atom,) = [l for l in atom.findall(f"{ATOM}link") if l.get("rel") == "self"]
        assert self_atom.get("type") == "application/atom+xml"


def test_json_feed_names_the_site_as_default_author(workspace):
    """JSON Feed 1.1: an item without authors takes the feed's; like Atom,
    an article without a byline is credited to the site, not to nobody."""
    cfg = workspace.config()
    anon = _without_byline()
    with Store(cfg.db_path) as store:
        store.upsert_article(anon)
        store.upsert_article(_articles()[0])
        publish(cfg, store)
    feed = json.loads((cfg.feeds_dir / "en" / "feed.json").read_text(encoding="utf-8"))
    assert feed["authors"] == [{"name": cfg.site.title}]
    by_title = {i["title"]: i for i in feed["items"]}
    assert "authors" not in by_title["Border guards patrol in Lang Son"]
    assert by_title["Minister works with Quang Ninh police"]["authors"] == [{"name": "Linh Anh"}]


def test_opml_feed_names_read_as_words(published):
    """A reader importing feeds.opml lists each feed by its text: 'ATOM'
    (the format's name upper-cased) read like an acronym."""
    cfg, *_ = published
    opml = etree.parse(str(cfg.feeds_dir / "feeds.opml")).getroot()
    names = sorted(o.get("text") for o in opml.iter("outline") if o.get("xmlUrl"))
    assert names == ["Test News (English)", "Test News (Tiếng Việt)"]


def test_vietnamese_feeds_can_have_a_vietnamese_title_and_description(workspace):
    """A Vietnamese reader subscribed to /vi/ saw the feed named and
    described in English ('Ministry News', 'News from the ministry's
    portal ...'). [site] title_vi / description_vi name the Vietnamese feeds;
    left out, the English ones are used."""
    cfg = workspace.configure({"site": {"title_vi": "Tin tức Bộ", "description_vi": "Tin từ cổng thông tin của Bộ"}})
    with Store(cfg.db_path) as store:
        for a in _articles():
            store.upsert_article(a)
        publish(cfg, store)
    for rel in ("vi/rss.xml", "vi/atom.xml"):
        d = parse(cfg, rel)
        assert d.feed.title == "Tin tức Bộ (Tiếng Việt)"
        assert d.feed.get("subtitle") == "Tin từ cổng thông tin của Bộ"
    vi_json = json.loads((cfg.feeds_dir / "vi" / "feed.json").read_text(encoding="utf-8"))
    assert (vi_json["title"], vi_json["description"]) == ("Tin tức Bộ (Tiếng Việt)", "Tin từ cổng thông tin của Bộ")
    assert vi_json["authors"] == [{"name": "Tin tức Bộ"}]
    en = parse(cfg, "en/atom.xml")
    assert en.feed.title == "Test News (English)"
    assert "Tin" not in (en.feed.get("subtitle") or "")
    index = (cfg.feeds_dir / "index.html").read_text(encoding="utf-8")
    assert "Tin từ cổng thông tin của Bộ" in index
