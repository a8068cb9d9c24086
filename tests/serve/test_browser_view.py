"""A browser opening a feed gets the language's page; feed readers get the
feed (issue 12, item 8).

The XSLT view is going away: Chromium shows a banner on XSLT pages, and a
feed opened from disk was a blank page. The publisher writes each
language's feed as a page (en/index.html, vi/index.html) and the embedded
server sends it to a browser that opens a feed's URL, at that URL, so the
address bar still shows the address to subscribe to. Also here: the
folder's README.md is not served (item 12).
"""
from __future__ import annotations

import shutil
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import requests
from lxml import html

import feedserver
import testsite
from syndicate.pipeline import run_cycle
from syndicate.serve import app_for
from syndicate.store import Store

# What Chromium and Firefox send when the user opens an address.
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
           "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
FEED_TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml",
              "feed.json": "application/feed+json"}


@pytest.fixture(scope="module")
def served(tmp_path_factory, copy_packages):
    """The sample articles, translated with the copy models, published and
    served; the repository's feeds/README.md sits in the folder as it does
    in a clone."""
    root = tmp_path_factory.mktemp("browser")
    cfg = testsite.load(testsite.make(root, models=copy_packages))
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store)
        assert report.translated == len(testsite.SAMPLES)
        titles = {lang: [(it.title, it.translation is not None) for it in store.feed_items(lang, 50)]
                  for lang in ("en", "vi")}
    shutil.copy(testsite.REPO / "feeds" / "README.md", cfg.feeds_dir / "README.md")
    with feedserver.running(app_for(cfg)) as url:
        yield url, cfg, titles


def feedparser_accept() -> str:
    return feedparser.http.ACCEPT_HEADER


@pytest.mark.parametrize("path", ["en/rss.xml", "vi/atom.xml", "vi/feed.json"])
def test_a_browser_opening_a_feed_gets_the_languages_page(served, path):
    url, cfg, titles = served
    lang, name = path.split("/")
    page = requests.get(url + path, headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.content == (cfg.feeds_dir / lang / "index.html").read_bytes()
    doc = html.fromstring(page.content)
    assert doc.get("lang") == lang
    entries = doc.cssselect("article.entry")
    assert [e.cssselect("h2 a")[0].text_content() for e in entries] == [t for t, _ in titles[lang]]
    mark = "bản dịch máy" if lang == "vi" else "machine translation"
    assert [mark in e.text_content() for e in entries] == [mt for _, mt in titles[lang]]
    # Served at the feed's own URL, its relative links still lead to pages.
    for a in doc.iter("a"):
        href = a.get("href")
        if not urlsplit(href).scheme:
            assert requests.get(urljoin(url + path, href), headers=BROWSER).status_code == 200, href


@pytest.mark.parametrize("path", ["en/rss.xml", "vi/atom.xml", "en/feed.json"])
def test_feed_readers_and_scripts_get_the_feed(served, path):
    url, cfg, _ = served
    lang, name = path.split("/")
    feed_bytes = (cfg.feeds_dir / lang / name).read_bytes()
    for headers in ({"Accept": feedparser_accept()}, {"Accept": None}, {"Accept": "*/*"},
                    {"Accept": "application/json"} if name.endswith("json") else {"Accept": "application/xml"},
                    # A page's script fetching the feed is not a page load.
                    {**BROWSER, "Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors"}):
        r = requests.get(url + path, headers=headers)
        assert r.headers["Content-Type"] == f"{FEED_TYPES[name]}; charset=utf-8", headers
        assert r.content == feed_bytes
        assert "Accept" in [v.strip() for v in r.headers["Vary"].split(",")]


def test_each_answer_revalidates_with_its_own_etag(served):
    url, *_ = served
    page = requests.get(url + "vi/rss.xml", headers=BROWSER)
    feed = requests.get(url + "vi/rss.xml", headers={"Accept": feedparser_accept()})
    assert page.headers["ETag"] != feed.headers["ETag"]
    again = requests.get(url + "vi/rss.xml", headers={**BROWSER, "If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304
    # The page's ETag does not validate the feed for a reader, nor the other way.
    r = requests.get(url + "vi/rss.xml", headers={"Accept": feedparser_accept(), "If-None-Match": page.headers["ETag"]})
    assert r.status_code == 200 and r.content == feed.content


def test_feedparser_still_reads_every_feed(served):
    url, _, titles = served
    for path in ("en/atom.xml", "vi/rss.xml", "vi/feed.json"):
        lang = path[:2]
        if path.endswith("json"):
            assert [i["title"] for i in requests.get(url + path).json()["items"]] == [t for t, _ in titles[lang]]
            continue
        d = feedparser.parse(url + path)
        assert d.status == 200 and not d.bozo
        assert [e.title for e in d.entries] == [t for t, _ in titles[lang]]


@pytest.mark.parametrize("path", ["README.md", "en/notes.md", "feed.xsl~"])
def test_files_the_publisher_does_not_write_are_not_served(served, path):
    url, cfg, _ = served
    target = cfg.feeds_dir / path
    if not target.exists():
        target.write_text("private\n", encoding="utf-8")
    for method in (requests.get, requests.head):
        assert method(url + path, headers=BROWSER).status_code == 404
    assert requests.get(url + "index.html").status_code == 200
