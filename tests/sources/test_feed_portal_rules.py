"""A feed item reads the portal's conventions (agency tag, byline, notes,
captions) by the same rules as an inbox export, so one article comes out the
same whichever way it arrives."""
from __future__ import annotations

from html import escape

from feed_support import Site, article_page, make_source

from syndicate.sources import collect
from syndicate.store import Store

VI_PARAS = [
    "Bộ Công an - Sáng 08/8, Công an tỉnh Sơn La đã triệt phá một đường dây ma túy xuyên quốc gia, "
    "bắt giữ năm đối tượng và thu giữ nhiều tang vật.",
    "Lực lượng chức năng đang tiếp tục điều tra, mở rộng vụ án để xử lý nghiêm các đối tượng liên quan "
    "theo quy định của pháp luật. Vụ án đang được điều tra.",
    "Tang vật thu giữ tại hiện trường.",
    "* Người dân phát hiện dấu hiệu tội phạm ma túy xin báo ngay cho cơ quan công an gần nhất.",
    "Minh Tâm",
]
VI_TITLE = "Triệt phá đường dây ma túy xuyên quốc gia"

EN_PARAS = [
    "MPS - Police in the northern province of Son La on Thursday dismantled a cross-border drug ring "
    "and arrested five suspects. The case is being investigated.",
    "The suspects were caught with 30 kg of heroin. They face charges of illegal drug trafficking.",
    "Seized drugs at the scene.",
    "By Linh Anh",
]
EN_TITLE = "Police dismantle cross-border drug ring"


def one_item_feed(site: Site, title: str, description: str = "") -> str:
    desc = f"<description>{escape(description)}</description>" if description else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><link>{site.base}/a.html</link>"
        f"<pubDate>Fri, 09 Aug 2019 08:30:00 +0700</pubDate>{desc}</item></channel></rss>"
    )


def inbox_article(workspace, title: str, dateline: str, paras: list[str]):
    workspace.add("a.txt", text=f"{title}\n\n{dateline}\n\n" + "\n\n".join(paras) + "\n")
    with Store(workspace.root / "data" / "inbox.sqlite") as store:
        result = collect(workspace.config().sources[0], store)
    assert result.rejected == [] and len(result.articles) == 1
    return result.articles[0]


def same_reading(feed_article, inbox_article) -> None:
    assert feed_article.language == inbox_article.language
    assert feed_article.title == inbox_article.title
    assert feed_article.author == inbox_article.author
    assert feed_article.tag == inbox_article.tag
    assert feed_article.blocks == inbox_article.blocks


def test_page_with_vietnamese_bare_name_byline_and_lead_tag_reads_like_the_inbox(httpserver, store, politeness,
                                                                                 workspace):
    site = Site(httpserver)
    site.put("/feed.xml", one_item_feed(site, VI_TITLE), "application/rss+xml")
    site.put("/a.html", article_page(VI_TITLE, VI_PARAS, lang="vi"))
    result = collect(make_source(site.url("/feed.xml")), store, politeness=politeness)
    assert result.error is None and result.rejected == []
    article = result.articles[0]

    assert article.author == "Minh Tâm" and article.tag == "Bộ Công an"
    assert [b.kind for b in article.blocks] == ["p", "p", "caption", "note"]
    assert article.blocks[0].text.startswith("Sáng 08/8, Công an tỉnh Sơn La")
    same_reading(article, inbox_article(workspace, VI_TITLE, "09/08/2019", VI_PARAS))


def test_feed_text_with_english_byline_and_caption_reads_like_the_inbox(httpserver, store, politeness, workspace):
    site = Site(httpserver)
    description = "".join(f"<p>{escape(p)}</p>" for p in EN_PARAS)
    site.put("/feed.xml", one_item_feed(site, EN_TITLE, description), "application/rss+xml")
    result = collect(make_source(site.url("/feed.xml"), fetch_full_text=False), store, politeness=politeness)
    article = result.articles[0]

    assert article.author == "Linh Anh" and article.tag == "MPS"
    assert [b.kind for b in article.blocks] == ["p", "p", "caption"]
    same_reading(article, inbox_article(workspace, EN_TITLE, "August, 09 2019", EN_PARAS))


def test_the_feeds_own_author_wins_over_a_byline_which_is_still_taken_off(httpserver, store, politeness):
    site = Site(httpserver)
    feed = one_item_feed(site, VI_TITLE).replace("<pubDate>", "<author>tin@portal.example (Hải Yến)</author><pubDate>")
    site.put("/feed.xml", feed, "application/rss+xml")
    site.put("/a.html", article_page(VI_TITLE, VI_PARAS, lang="vi"))
    article = collect(make_source(site.url("/feed.xml")), store, politeness=politeness).articles[0]
    assert article.author == "Hải Yến"
    assert all("Minh Tâm" not in b.text for b in article.blocks)


def test_a_lone_byline_like_paragraph_stays_the_body(httpserver, store, politeness):
    site = Site(httpserver)
    site.put("/feed.xml", one_item_feed(site, "Short", "By the river"), "application/rss+xml")
    article = collect(make_source(site.url("/feed.xml"), fetch_full_text=False), store,
                      politeness=politeness).articles[0]
    assert [b.text for b in article.blocks] == ["By the river"]
    assert article.author is None
