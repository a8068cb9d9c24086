"""A feed opened in a browser renders as a page: the served feeds point at
the served XSLT, and applying it (lxml's libxslt, the engine family browsers
use) gives a page listing every entry."""
from __future__ import annotations

from urllib.parse import urljoin

import pytest
import requests
from lxml import etree, html

import feedserver
import testsite
from syndicate.pipeline import run_cycle
from syndicate.serve import app_for
from syndicate.store import Store


@pytest.fixture
def served(tmp_path):
    cfg = testsite.load(testsite.make(tmp_path))
    with Store(cfg.db_path) as store:
        run_cycle(cfg, store=store)
        titles = {lang: [it.title for it in store.feed_items(lang, 50)] for lang in ("en", "vi")}
    with feedserver.running(app_for(cfg)) as url:
        yield url, titles, cfg.site.base_url


@pytest.mark.parametrize("path", ["en/rss.xml", "en/atom.xml", "vi/rss.xml", "vi/atom.xml"])
def test_feed_renders_as_a_page(served, path):
    url, titles, base = served
    lang = path[:2]
    feed = requests.get(url + path)
    doc = etree.fromstring(feed.content)
    pi = doc.getprevious()
    assert isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-stylesheet"
    href = pi.get("href")
    xsl = requests.get(urljoin(url + path, href))
    assert xsl.status_code == 200
    assert xsl.headers["Content-Type"].startswith("text/xsl")
    transform = etree.XSLT(etree.fromstring(xsl.content))
    page = html.fromstring(str(transform(etree.ElementTree(doc))))
    assert page.get("lang") == lang
    assert [a.text_content() for a in page.cssselect("article h2 a")] == titles[lang]
    assert all(a.get("href").startswith(base + lang + "/articles/") for a in page.cssselect("article h2 a"))
    about = page.cssselect(".about")[0].text_content()
    assert (base + path) in about  # the address to subscribe to
    assert ("trình đọc tin" in about) == (lang == "vi")


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize("path", ["en/rss.xml", "vi/atom.xml"])
def test_a_browser_gets_the_feed_as_xml_so_it_applies_the_stylesheet(served, path):
    """Chromium and Firefox show application/rss+xml and application/atom+xml
    as plain text (or download them) and never run their xml-stylesheet:
    checked with headless Chromium 150, which rendered /vi/rss.xml as raw
    markup. A browser navigation (text/html accepted, no feed type named)
    gets the same bytes as application/xml, which browsers style; feed
    readers keep the registered types."""
    url, _, _ = served
    reader = requests.get(url + path, headers={"Accept": feedparser_accept()})
    browser = requests.get(url + path, headers={"Accept": BROWSER_ACCEPT})
    assert reader.headers["Content-Type"].startswith(
        "application/rss+xml" if path.endswith("rss.xml") else "application/atom+xml")
    assert browser.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert browser.content == reader.content
    for r in (reader, browser):
        assert "Accept" in [v.strip() for v in r.headers["Vary"].split(",")]
    # No Accept header at all (curl, many readers): the feed's own type.
    assert requests.get(url + path, headers={"Accept": None}).headers["Content-Type"] == reader.headers["Content-Type"]
    assert requests.get(url + path, headers={"Accept": "*/*"}).headers["Content-Type"] == reader.headers["Content-Type"]
    # A 304 to the browser's revalidation still works.
    again = requests.get(url + path, headers={"Accept": BROWSER_ACCEPT, "If-None-Match": browser.headers["ETag"]})
    assert again.status_code == 304


def feedparser_accept() -> str:
    import feedparser

    return feedparser.http.ACCEPT_HEADER


@pytest.mark.parametrize("path", ["en/atom.xml", "vi/rss.xml"])
def test_the_feed_page_marks_machine_translations(tmp_path, path, copy_packages):
    """The browser view listed translated entries exactly like originals:
    nothing said they were machine translations."""
    cfg = testsite.load(testsite.make(tmp_path, models=copy_packages))
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store)
        lang = path[:2]
        kinds = {it.title: it.translation is not None for it in store.feed_items(lang, 50)}
    assert report.translated == 4 and any(kinds.values()) and not all(kinds.values())
    with feedserver.running(app_for(cfg)) as url:
        doc = etree.fromstring(requests.get(url + path).content)
        xsl = etree.XSLT(etree.fromstring(requests.get(url + "feed.xsl").content))
    page = html.fromstring(str(xsl(etree.ElementTree(doc))))
    mark = "Bản dịch máy" if lang == "vi" else "Machine translation"
    for art in page.cssselect("article"):
        title = art.cssselect("h2 a")[0].text_content()
        assert (mark in art.text_content()) == kinds[title], title
    if path.endswith("atom.xml"):
        # Atom names the original (rel=related): the page links it.
        marked = [a for a in page.cssselect("article .mt a") if a.get("hreflang") == "vi"]
        assert len(marked) == sum(kinds.values())
        assert all("/vi/articles/" in a.get("href") for a in marked)


@pytest.mark.parametrize("path", ["en/atom.xml", "vi/rss.xml"])
def test_the_feed_page_links_the_site(served, path):
    """The browser view of a feed was a dead end: no way to the site's
    index (and from there the other language)."""
    url, _, base = served
    doc = etree.fromstring(requests.get(url + path).content)
    xsl = etree.XSLT(etree.fromstring(requests.get(url + "feed.xsl").content))
    page = html.fromstring(str(xsl(etree.ElementTree(doc))))
    nav = [a for a in page.cssselect(".nav a") if a.get("href") == base + "index.html"]
    assert nav and nav[0].text_content().strip()
    assert ("Tất cả" in nav[0].text_content()) == path.startswith("vi")
