"""feed.collect end to end against a real local portal (pytest-httpserver)
and a real SQLite store."""
from __future__ import annotations

import time
import unicodedata
from datetime import datetime, timedelta

import pytest
from feed_support import EN_PAGES, Site, article_page, feed_text, make_source, read_testdata
from slow_http import SlowHandler
from werkzeug import Request, Response

from syndicate.config import ConfigError
from syndicate.sources import collect
from syndicate.sources import feed as feed_source
from syndicate.store import parse_iso, utcnow

def en_site(httpserver, etag: str | None = None) -> Site:
    site = Site(httpserver)
    site.put_feed("/en/rss.xml", "rss_en.xml", etag=etag)
    for path, body in EN_PAGES.items():
        site.put(path, body)
    return site


def store_all(store, result) -> list[str]:
    return [store.upsert_article(a) for a in result.articles]


def test_english_rss_pages_extracted_without_chrome(httpserver, store, politeness):
    site = en_site(httpserver)
    src = make_source(site.url("/en/rss.xml"))
    result = collect(src, store, politeness=politeness)

    assert result.error is None and result.rejected == []
    assert [a.title for a in result.articles] == [
        "Police dismantle cross-border drug ring",
        "Minister receives Japanese delegation",
        "Traffic safety campaign launched",
    ]
    first = result.articles[0]
    assert first.url == site.url("/en/news/drug-ring.html")  # relative link resolved against the feed
    assert first.language == "en"
    assert first.author == "Linh Anh"
    assert first.published == datetime.fromisoformat("2019-08-09T08:30:00+07:00")
    text = "\n".join(b.text for b in first.blocks)
    assert first.tag == "MPS"
    assert text.startswith("Police in the northern province of Son La")
    assert "further investigated by the Ministry's Criminal Police Department" in text
    for chrome in ("Home", "Contact us", "Share on Facebook", "Tweet this", "Print article", "Zalo",
                   "Related news", "Copyright", "Injected by a script", "trackEverything", "dataLayer"):
        assert chrome not in text, chrome
    assert result.articles[1].author == "Minh Tam"  # RSS <author> "email (Name)"
    assert store_all(store, result) == ["new", "new", "new"]
    st = store.source_state("portal")
    assert st["failures"] == 0 and st["last_success"] and st["last_error"] is None


def test_vietnamese_atom_with_windows_1258_page_behind_a_lying_header(httpserver, store, politeness):
    site = Site(httpserver)
    site.put_feed("/vi/atom.xml", "atom_vi.xml", content_type="application/atom+xml")
    site.put("/vi/tin/ma-tuy.html", read_testdata("page_vi.html"), "text/html; charset=ISO-8859-1")
    site.put("/vi/tin/nhat-ban.html", read_testdata("page_cp1258.html"), "text/html; charset=utf-8")
    result = collect(make_source(site.url("/vi/atom.xml")), store, politeness=politeness)

    assert result.error is None, result.error
    by_url = {a.url: a for a in result.articles}
    drugs = by_url[site.url("/vi/tin/ma-tuy.html")]
    assert drugs.language == "vi" and drugs.author == "Minh Tâm"
    assert drugs.title == "Triệt phá đường dây ma túy xuyên quốc gia"
    assert drugs.tag == "Bộ Công an"
    assert drugs.blocks[0].text.startswith("Ngày 08/8, Công an tỉnh Sơn La")
    assert not any("Chia sẻ" in b.text or "Bản quyền" in b.text for b in drugs.blocks)

    legacy = by_url[site.url("/vi/tin/nhat-ban.html")]
    text = "\n".join(b.text for b in legacy.blocks)
    assert "Ủy ban nhân dân thành phố" in text and "giữ gìn sức khỏe" in text and "hòa bình" in text
    assert all(unicodedata.is_normalized("NFC", b.text) for b in legacy.blocks)
    assert legacy.title == "Bộ trưởng tiếp đoàn đại biểu Nhật Bản"  # the feed's title wins
    assert legacy.published == datetime.fromisoformat("2019-08-08T10:00:00+07:00")  # <updated> when no <published>


def test_windows_1258_feed_with_a_utf8_content_type(httpserver, store, politeness):
    site = Site(httpserver)
    site.put("/vi/rss.xml", read_testdata("rss_vi_cp1258.xml").replace(b"{base}", site.base.encode()),
             "text/xml; charset=utf-8")
    result = collect(make_source(site.url("/vi/rss.xml"), fetch_full_text=False), store, politeness=politeness)
    assert result.error is None
    a = result.articles[0]
    assert a.language == "vi"
    assert a.title == "Ủy ban nhân dân thành phố họp về thủy lợi và sức khỏe"
    assert a.blocks[0].text.startswith("Ủy ban nhân dân thành phố đã họp bàn về công tác thủy lợi, hòa bình")
    assert unicodedata.is_normalized("NFC", a.title + a.blocks[0].text)


def test_nfd_page_comes_out_nfc(httpserver, store, politeness):
    site = Site(httpserver)
    site.put_feed("/vi/atom.xml", "atom_vi.xml", content_type="application/atom+xml")
    site.put("/vi/tin/ma-tuy.html", read_testdata("page_nfd.html"))
    site.put("/vi/tin/nhat-ban.html", read_testdata("page_vi.html"))
    result = collect(make_source(site.url("/vi/atom.xml"), language="vi"), store, politeness=politeness)
    nfd = next(a for a in result.articles if a.url.endswith("ma-tuy.html"))
    assert "Ủy ban nhân dân thành phố" in "\n".join(b.text for b in nfd.blocks)
    assert all(unicodedata.is_normalized("NFC", b.text) for b in nfd.blocks)


def test_vietnamese_text_gets_the_inbox_normalization(httpserver, store, politeness):
    site = Site(httpserver)
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Ho\u00e0 bình  và\u00a0thu\u1ef7 lợi</title><link>{site.base}/a.html</link></item></channel></rss>"
    )
    site.put("/feed.xml", feed, "application/rss+xml")
    site.put("/a.html", article_page("Ho\u00e0 bình và thu\u1ef7 lợi", [
        "Bộ Công an - Ủy ban nhân dân tỉnh đã họp bàn về ho\u00e0 bình,thu\u1ef7 lợi và sức kho\u1ebb cộng đồng trong năm nay.",
        "Các đơn vị được yêu cầu báo cáo kết quả trước ngày 15/9, bảo đảm đúng tiến độ đã đề ra.",
    ], lang="vi"))
    a = collect(make_source(site.url("/feed.xml")), store, politeness=politeness).articles[0]
    assert a.language == "vi" and a.tag == "Bộ Công an"
    assert a.title == "Hòa bình và thủy lợi"
    assert a.blocks[0].text == "Ủy ban nhân dân tỉnh đã họp bàn về hòa bình, thủy lợi và sức khỏe cộng đồng trong năm nay."


def test_moved_feed_is_followed_and_links_resolve_against_its_new_place(httpserver, store, politeness):
    site = en_site(httpserver)
    site.redirects["/old/feed"] = "/en/rss.xml"
    result = collect(make_source(site.url("/old/feed")), store, politeness=politeness)
    assert result.error is None and len(result.articles) == 3
    assert result.articles[0].url == site.url("/en/news/drug-ring.html")
    assert "/old/feed" in site.paths()


def test_date_and_author_from_the_page_when_the_item_has_none(httpserver, store, politeness):
    site = Site(httpserver)
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Police dismantle cross-border drug ring</title><link>{site.base}/a.html</link></item>"
        "</channel></rss>"
    )
    site.put("/feed.xml", feed, "application/rss+xml")
    site.put("/a.html", read_testdata("page_en.html"))
    a = collect(make_source(site.url("/feed.xml")), store, politeness=politeness).articles[0]
    # <meta property="article:published_time" content="2019-08-09T08:30:00+07:00">; the extractor keeps the day.
    assert a.published == datetime.fromisoformat("2019-08-09T00:00:00+07:00")
    assert a.author == "Linh Anh"


def test_duplicate_items_across_runs_cost_no_page_fetch(httpserver, store, politeness):
    site = en_site(httpserver)  # no ETag: the feed comes back in full every time
    src = make_source(site.url("/en/rss.xml"))
    assert store_all(store, collect(src, store, politeness=politeness)) == ["new"] * 3
    site.log.clear()
    again = collect(src, store, politeness=politeness)
    assert again.error is None and again.articles == []
    assert again.stats["unchanged"] == 3
    assert site.paths() == ["/en/rss.xml"]


def test_item_touched_in_feed_but_page_same_is_unchanged_in_store(httpserver, store, politeness):
    site = en_site(httpserver)
    src = make_source(site.url("/en/rss.xml"))
    store_all(store, collect(src, store, politeness=politeness))
    feed = feed_text("rss_en.xml", site.base).replace(b"Wed, 07 Aug 2019 15:00:00", b"Wed, 07 Aug 2019 15:05:00")
    site.put("/en/rss.xml", feed, "application/rss+xml")
    result = collect(src, store, politeness=politeness)
    assert [a.title for a in result.articles] == ["Traffic safety campaign launched"]
    assert store_all(store, result) == ["unchanged"]


def test_item_whose_page_changed_is_updated_with_same_id(httpserver, store, politeness):
    site = Site(httpserver)
    site.put_feed("/vi/atom.xml", "atom_vi.xml", content_type="application/atom+xml")
    site.put("/vi/tin/ma-tuy.html", read_testdata("page_vi.html"))
    site.put("/vi/tin/nhat-ban.html", read_testdata("page_cp1258.html"), "text/html; charset=windows-1258")
    src = make_source(site.url("/vi/atom.xml"))
    first = collect(src, store, politeness=politeness)
    store_all(store, first)
    old = next(a for a in first.articles if a.url.endswith("ma-tuy.html"))
    stored_before = store.get_article(old.id)

    # The portal corrects the article and bumps the entry's <updated>.
    site.put("/vi/tin/ma-tuy.html", read_testdata("page_vi.html").replace("30 kg heroin".encode(), "32 kg heroin".encode()))
    feed = feed_text("atom_vi.xml", site.base).replace(
        b"<updated>2019-08-09T09:00:00+07:00</updated>\n    <published>",
        b"<updated>2019-08-10T07:00:00+07:00</updated>\n    <published>",
    )
    site.put("/vi/atom.xml", feed, "application/atom+xml")
    second = collect(src, store, politeness=politeness)
    assert [a.id for a in second.articles] == [old.id]
    assert "32 kg heroin" in second.articles[0].blocks[0].text
    assert store_all(store, second) == ["updated"]
    stored_after = store.get_article(old.id)
    assert stored_after.updated > stored_before.updated
    assert store.get_translation(old.id, "en").status == "pending"


def test_items_that_left_the_feed_long_ago_are_forgotten(httpserver, store, politeness):
    site = en_site(httpserver)
    src = make_source(site.url("/en/rss.xml"))
    store_all(store, feed_source.collect(src, store, politeness=politeness))
    count = lambda: store.db.execute("SELECT COUNT(*) FROM source_items").fetchone()[0]  # noqa: E731
    assert count() == 3
    # The portal drops the oldest item from its feed.
    feed = feed_text("rss_en.xml", site.base)
    start = feed.index(b"<item>\n      <title>Traffic")
    site.put("/en/rss.xml", feed[:start] + feed[feed.index(b"</item>", start) + 7:], "application/rss+xml")
    feed_source.collect(src, store, politeness=politeness, now=utcnow() + timedelta(days=10))
    assert count() == 3  # recently seen: kept
    later = feed_source.collect(src, store, politeness=politeness, now=utcnow() + timedelta(days=40))
    assert later.stats["forgotten"] == 1 and count() == 2
    assert len(store.all_articles()) == 3  # the article itself stays


def test_not_modified_feed_costs_one_request(httpserver, store, politeness):
    site = en_site(httpserver, etag='"feed-v1"')
    src = make_source(site.url("/en/rss.xml"))
    store_all(store, collect(src, store, politeness=politeness))
    assert store.source_state("portal")["etag"] == '"feed-v1"'
    site.log.clear()
    again = collect(src, store, politeness=politeness)
    assert again.error is None and again.articles == [] and again.stats["not_modified"]
    assert site.paths() == ["/en/rss.xml"]
    assert site.log[0][1].get("If-None-Match") == '"feed-v1"'


def test_max_pages_leaves_the_rest_for_next_cycle_and_skips_the_etag(httpserver, store, politeness):
    site = en_site(httpserver, etag='"feed-v1"')
    src = make_source(site.url("/en/rss.xml"), max_pages=2)
    first = collect(src, store, politeness=politeness)
    assert len(first.articles) == 2 and first.stats["left_for_next"] == 1
    assert sum(p.startswith("/en/news/") for p in site.paths()) == 2
    # The ETag is not kept: a 304 next time would hide the third item.
    assert store.source_state("portal")["etag"] is None
    store_all(store, first)

    site.log.clear()
    second = collect(src, store, politeness=politeness)
    assert "If-None-Match" not in site.log[0][1]
    assert [a.title for a in second.articles] == ["Traffic safety campaign launched"]
    assert store.source_state("portal")["etag"] == '"feed-v1"'


def test_articles_collected_but_never_stored_are_collected_again(httpserver, store, politeness):
    # A run that stops between collect and store must not lose the items
    # behind the feed's 304.
    site = en_site(httpserver, etag='"feed-v1"')
    src = make_source(site.url("/en/rss.xml"))
    lost = collect(src, store, politeness=politeness)
    assert len(lost.articles) == 3  # ... and never stored
    site.log.clear()
    again = collect(src, store, politeness=politeness)
    assert "If-None-Match" not in site.log[0][1]
    assert len(again.articles) == 3
    assert store_all(store, again) == ["new"] * 3


def test_without_full_text_the_feed_text_is_used_and_no_page_fetched(httpserver, store, politeness):
    site = en_site(httpserver)
    result = collect(make_source(site.url("/en/rss.xml"), fetch_full_text=False), store, politeness=politeness)
    assert not any(p.startswith("/en/news/") for p in site.paths())
    by_title = {a.title: a for a in result.articles}
    assert [b.text for b in by_title["Minister receives Japanese delegation"].blocks] == [
        "The Minister received a delegation from Japan."
    ]
    assert by_title["Police dismantle cross-border drug ring"].blocks[0].text.startswith(
        "Police in Son La dismantled a cross-border drug ring & seized"
    )


def test_robots_disallowed_pages_fall_back_to_feed_text(httpserver, store, politeness):
    site = en_site(httpserver)
    site.put("/robots.txt", "User-agent: syndicate\nDisallow: /en/news/\n", "text/plain")
    result = collect(make_source(site.url("/en/rss.xml"), respect_robots=True), store, politeness=politeness)
    assert result.error is None and len(result.articles) == 3
    assert not any(p.startswith("/en/news/") for p in site.paths())
    assert all("disallowed by robots.txt" in line for line in result.stats["page_errors"])
    assert not any("alert" in b.text for a in result.articles for b in a.blocks)


def test_page_error_without_feed_text_rejects_item_and_retries_next_cycle(httpserver, store, politeness):
    site = Site(httpserver)
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f'<item><title>Only a link</title><link>{site.base}/gone.html</link>'
        "<pubDate>Fri, 09 Aug 2019 08:30:00 +0700</pubDate></item></channel></rss>"
    )
    site.put("/feed.xml", feed, "application/rss+xml")
    src = make_source(site.url("/feed.xml"))
    first = collect(src, store, politeness=politeness)
    assert first.error is None and first.articles == []
    assert [(r.origin, r.reason) for r in first.rejected] == [(site.url("/gone.html"), f"{site.url('/gone.html')}: HTTP 404 NOT FOUND")]
    site.put("/gone.html", article_page("Only a link", ["MPS - The page is back now, with enough words to count as an article body."]))
    second = collect(src, store, politeness=politeness)
    assert [a.title for a in second.articles] == ["Only a link"]


def test_item_without_any_text_is_given_up_after_three_cycles(httpserver, store, politeness):
    site = Site(httpserver)
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f'<item><title>Empty</title><link>{site.base}/empty.html</link></item></channel></rss>'
    )
    site.put("/feed.xml", feed, "application/rss+xml", etag='"f1"')
    src = make_source(site.url("/feed.xml"), fetch_full_text=False)
    rejected = [len(collect(src, store, politeness=politeness).rejected) for _ in range(4)]
    assert rejected == [1, 1, 1, 0]
    # Once given up, the cycle counts as complete and the feed's ETag is kept.
    assert store.source_state("portal")["etag"] == '"f1"'


@pytest.mark.parametrize(
    "name, body, content_type, message",
    [
        ("malformed", read_testdata("malformed.xml"), "application/rss+xml",
         r"malformed feed XML: line 10, column \d+: mismatched tag"),
        ("bomb", read_testdata("billion_laughs.xml"), "application/rss+xml",
         r"feed declares XML entities in its DOCTYPE; refused \(possible entity-expansion bomb\)"),
        ("xxe", b'<?xml version="1.0"?><!DOCTYPE rss [<!ELEMENT rss ANY><!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                b'<rss version="2.0"><channel><title>&xxe;</title></channel></rss>', "application/rss+xml",
         r"feed declares XML entities in its DOCTYPE; refused"),
        # A comment holding "<a>" in the DOCTYPE once ended a text scan for
        # the prolog early, so the declaration after it went unseen.
        ("doctype_comment", b'<?xml version="1.0"?>\n<!DOCTYPE rss [ <!-- <a> --> <!ENTITY x "boom"> ]>\n'
                            b'<rss version="2.0"><channel><title>&x;</title></channel></rss>', "application/rss+xml",
         r"feed declares XML entities in its DOCTYPE; refused"),
        ("parameter_entity", b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p "<!ENTITY x \'boom\'>"> %p;]>'
                             b'<rss version="2.0"><channel><title>&x;</title></channel></rss>', "application/rss+xml",
         r"feed declares XML entities in its DOCTYPE; refused"),
        ("utf16_entity", '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!-- <a> --><!ENTITY x "boom">]>'
                         '<rss version="2.0"><channel><title>&x;</title></channel></rss>'.encode("utf-16"),
         "application/rss+xml", r"feed declares XML entities in its DOCTYPE; refused"),
        ("html", b"<html><body><h1>Welcome</h1><p>No feed here.</p></body></html>", "text/html",
         r"not an RSS or Atom feed \(text/html\)"),
        ("empty", b"", "application/rss+xml", r"empty response, not a feed"),
    ],
)
def test_bad_feeds_fail_the_source_with_a_clear_reason(httpserver, store, name, body, content_type, message, politeness):
    site = en_site(httpserver)
    src = make_source(site.url("/en/rss.xml"))
    store_all(store, collect(src, store, politeness=politeness))
    before = store.all_articles()

    site.put("/en/rss.xml", body, content_type)
    result = collect(src, store, politeness=politeness)
    assert result.articles == []
    assert result.error is not None
    assert result.error.startswith(site.url("/en/rss.xml") + ": ")
    import re

    assert re.search(message, result.error), result.error
    st = store.source_state("portal")
    assert st["failures"] == 1 and st["last_error"] == result.error and st["last_success"]
    assert [a.id for a in store.all_articles()] == [a.id for a in before]  # nothing stored is lost


def test_rss091_doctype_and_quoted_entity_text_are_fine(httpserver, store, politeness):
    site = Site(httpserver)
    feed = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>T</title>'
        f'<link>{site.base}/</link><description>d</description><language>en</language>'
        f'<item><title>XML tips</title><link>{site.base}/a.html</link>'
        "<description><![CDATA[Never accept <!ENTITY declarations from strangers.]]></description></item>"
        "</channel></rss>"
    )
    site.put("/feed.xml", feed, "application/rss+xml")
    result = collect(make_source(site.url("/feed.xml"), fetch_full_text=False), store, politeness=politeness)
    assert result.error is None
    assert [b.text for b in result.articles[0].blocks] == ["Never accept <!ENTITY declarations from strangers."]


def test_bomb_is_refused_fast(httpserver, store, politeness):
    site = Site(httpserver)
    site.put("/bomb.xml", read_testdata("billion_laughs.xml"), "application/rss+xml")
    started = time.monotonic()
    result = collect(make_source(site.url("/bomb.xml")), store, politeness=politeness)
    assert "entity-expansion bomb" in result.error
    assert time.monotonic() - started < 2


def test_huge_feed_is_refused_without_reading_it_all(httpserver, store, politeness):
    def endless(request: Request) -> Response:
        def body():
            yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
            for _ in range(16384):  # 1 GiB if anyone read it all
                yield b"x" * 65536

        return Response(body(), content_type="application/rss+xml", direct_passthrough=True)

    httpserver.expect_request("/huge.xml").respond_with_handler(endless)
    result = collect(make_source(httpserver.url_for("/huge.xml"), max_bytes=2_000_000, timeout=5,
                                        respect_robots=False), store, politeness=politeness)
    assert result.error.endswith("body larger than max_bytes=2000000; stopped reading")


def test_slow_feed_times_out(httpserver, store, politeness):
    slow = SlowHandler(0.5)
    httpserver.expect_request("/slow.xml").respond_with_handler(slow)
    result = collect(make_source(httpserver.url_for("/slow.xml"), timeout=0.2, retries=0,
                                        respect_robots=False), store, politeness=politeness)
    assert result.error == f"{httpserver.url_for('/slow.xml')}: timed out (timeout=0.2s)"
    slow.settle(httpserver, "/slow.xml")


def test_repeated_failures_back_off_then_skip_and_recover(httpserver, store, politeness):
    site = en_site(httpserver)
    site.put("/en/rss.xml", b"oops", "text/plain")
    del site.files["/en/rss.xml"]  # 404 from now on
    src = make_source(site.url("/en/rss.xml"), retries=0)

    first = collect(src, store, politeness=politeness)
    assert first.error.endswith("HTTP 404 NOT FOUND")
    assert store.source_state("portal")["backoff_until"] is None  # one failure: just try next cycle

    second = collect(src, store, politeness=politeness)
    assert second.error.endswith("HTTP 404 NOT FOUND")
    st = store.source_state("portal")
    assert st["failures"] == 2
    wait = parse_iso(st["backoff_until"]) - utcnow()
    assert timedelta(minutes=4) < wait <= timedelta(minutes=5)

    site.log.clear()
    third = collect(src, store, politeness=politeness)
    assert third.skipped and "backing off until" in third.skipped and "2 consecutive failures" in third.skipped
    assert site.log == []  # not even tried

    states = store.all_source_states()
    assert [s["name"] for s in states] == ["portal"]
    st = states[0]
    assert st["failures"] == 2 and st["last_success"] is None and st["last_error_at"]
    assert "HTTP 404" in st["last_error"] and parse_iso(st["backoff_until"]) > utcnow()

    # Four failures: 5, 10, 20 minutes...
    later = utcnow() + timedelta(hours=1)
    feed_source.collect(src, store, politeness=politeness, now=later)
    st = store.source_state("portal")
    assert st["failures"] == 3
    assert parse_iso(st["backoff_until"]) - later == timedelta(minutes=10)

    # The portal comes back: one success clears the failure count.
    site.put_feed("/en/rss.xml", "rss_en.xml")
    ok = feed_source.collect(src, store, politeness=politeness, now=later + timedelta(hours=1))
    assert ok.error is None and len(ok.articles) == 3
    st = store.source_state("portal")
    assert st["failures"] == 0 and st["backoff_until"] is None
    assert st["last_success"]


def test_one_failing_source_does_not_touch_another(httpserver, store, politeness):
    site = en_site(httpserver)
    good = make_source(site.url("/en/rss.xml"), name="good")
    bad = make_source(site.url("/missing.xml"), name="bad", retries=0)
    results = [collect(s, store, politeness=politeness) for s in (bad, good)]
    assert results[0].error and not results[1].error
    assert len(results[1].articles) == 3
    assert store.source_state("good")["failures"] == 0
    assert store.source_state("bad")["failures"] == 1


def test_content_selector_narrows_extraction(httpserver, store, politeness):
    site = Site(httpserver)
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Selected</title><link>{site.base}/a.html</link></item></channel></rss>"
    )
    site.put("/feed.xml", feed, "application/rss+xml")
    site.put(
        "/a.html",
        "<html><body><div class='promo'><p>Subscribe to our newsletter for the latest updates from the portal, every day of the week.</p>"
        "<p>Download our mobile application today and never miss an announcement from the ministry.</p></div>"
        "<div id='story'><p>MPS - The selected story text is the only text that should be taken from this page.</p>"
        "<button>Share</button></div></body></html>",
    )
    result = collect(make_source(site.url("/feed.xml"), content_selector="#story"), store, politeness=politeness)
    assert [b.text for b in result.articles[0].blocks] == [
        "The selected story text is the only text that should be taken from this page."
    ]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"extractor": "magic"}, r"sources\[0\]\.extractor: must be one of trafilatura"),
        ({"content_selector": "div[["}, r"sources\[0\]\.content_selector: not a valid CSS selector"),
        ({"max_pages": -1}, r"sources\[0\]\.max_pages: must not be negative"),
        ({"timeout": 0}, r"sources\[0\]\.timeout: must be at least"),
        ({"max_bytes": 10}, r"sources\[0\]\.max_bytes: must be at least 1024"),
        ({"retries": "3"}, r"sources\[0\]\.retries: expected int"),
    ],
)
def test_bad_source_options_name_the_key(options, message):
    with pytest.raises(ConfigError, match=message):
        make_source("https://portal.example/feed.xml", **options)


def test_default_user_agent_names_the_site():
    src = make_source("https://portal.example/feed.xml")
    assert src.user_agent.startswith("syndicate/")
    assert src.user_agent.endswith(" (+https://feeds.example.org/)")
