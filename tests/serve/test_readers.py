"""Real feed readers against the real server serving real published feeds:
newsboat subscribes to the English Atom and Vietnamese RSS feeds, and
feedparser revalidates with the validators it was given."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import unicodedata

import feedparser
import pytest

import feedserver
import testsite
from syndicate.pipeline import run_cycle
from syndicate.serve import app_for
from syndicate.store import Store
from syndicate.text.vietnamese import fold


@pytest.fixture
def published(tmp_path, copy_packages):
    port = testsite.free_port()
    cfg = testsite.load(testsite.make(tmp_path / "site", port=port, models=copy_packages))
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store)
        assert report.translated == len(testsite.SAMPLES)  # each feed: originals and translations
        items = {lang: store.feed_items(lang, 50) for lang in ("en", "vi")}
    expected = {lang: [it.title for it in its] for lang, its in items.items()}
    # English news writes Vietnamese names without diacritics: so does the
    # byline of an English translation ("By Nguyễn Hòa" was left as is).
    authors = {(lang, it.title): fold(it.article.author)
               if lang == "en" and it.translation and it.article.language == "vi" and it.article.author
               else it.article.author for lang, its in items.items() for it in its}
    assert any(authors["en", it.title] != it.article.author for it in items["en"])  # a Vietnamese byline is folded
    assert expected["en"] and expected["vi"]
    return cfg, expected, authors


def _serve_on_config_port(cfg):
    from syndicate.serve import create_server, server_url, start_in_thread, stop_server

    server = create_server(app_for(cfg), "127.0.0.1", cfg.server.port)
    thread = start_in_thread(server)
    return server_url(server), lambda: stop_server(server, thread)


def test_newsboat_reads_english_atom_and_vietnamese_rss(published, tmp_path):
    exe = shutil.which("newsboat")
    if exe is None:
        pytest.skip("newsboat is not installed (.ci/run installs it with apt-get)")
    cfg, expected, authors = published
    url, stop = _serve_on_config_port(cfg)
    try:
        en, vi = url + "en/atom.xml", url + "vi/rss.xml"
        home = tmp_path / "home"
        home.mkdir()
        (tmp_path / "urls").write_text(f"{en}\n{vi}\n")
        (tmp_path / "config").write_text("reload-threads 2\n")
        cache = tmp_path / "cache.db"
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home),
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        r = subprocess.run([exe, "-u", str(tmp_path / "urls"), "-c", str(cache), "-C", str(tmp_path / "config"),
                            "-x", "reload"], env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        db = sqlite3.connect(cache)
        feeds = {u: t for u, t in db.execute("SELECT rssurl, title FROM rss_feed")}
        assert set(feeds) == {en, vi}
        for feed_url, lang in ((en, "en"), (vi, "vi")):
            rows = db.execute("SELECT title, author, url FROM rss_item WHERE feedurl = ? ORDER BY pubDate DESC",
                              (feed_url,)).fetchall()
            titles = [t for t, _, _ in rows]
            # Every item, newest first, with its exact title (Vietnamese stays NFC).
            assert titles == expected[lang], lang
            assert all(unicodedata.is_normalized("NFC", t) for t in titles)
            assert all(a == authors[lang, t] for t, a, _ in rows)
            assert all(u.startswith(url + lang + "/") for _, _, u in rows)
        db.close()
    finally:
        stop()


def test_feedparser_revalidates_published_feeds(published):
    cfg, expected, _ = published
    with feedserver.running(app_for(cfg)) as url:
        for path, lang in (("en/atom.xml", "en"), ("vi/rss.xml", "vi"), ("en/rss.xml", "en"), ("vi/atom.xml", "vi")):
            first = feedparser.parse(url + path)
            assert first.status == 200 and not first.bozo, (path, first.get("bozo_exception"))
            assert [e.title for e in first.entries] == expected[lang]
            assert first.feed.get("language", lang).startswith(lang)
            again = feedparser.parse(url + path, etag=first.etag, modified=first.modified)
            assert again.status == 304, path
