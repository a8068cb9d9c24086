"""WebSub: the daemon pings a real local hub after a publish that changed
feeds; a failed ping is kept on disk and retried on the next cycle."""
from __future__ import annotations

from urllib.parse import parse_qs

import feedparser

import testsite
from syndicate.daemon import Daemon
from syndicate import websub


def _pings(httpserver) -> list[str]:
    out = []
    for req, _resp in httpserver.log:
        form = parse_qs(req.get_data(as_text=True))
        assert form["hub.mode"] == ["publish"]
        out.extend(form["hub.url"])
    return out


def test_pings_changed_feeds_and_retries_failures(tmp_path, httpserver):
    hub = httpserver.url_for("/hub")
    cfg = testsite.load(testsite.make(tmp_path, hub=hub))
    daemon = Daemon(cfg, interval_seconds=60)
    base = cfg.site.base_url
    feeds = {f"{base}{lang}/{name}" for lang in ("en", "vi") for name in ("rss.xml", "atom.xml", "feed.json")}

    # Hub down: nothing is lost, every changed feed is pending on disk.
    httpserver.expect_request("/hub", method="POST").respond_with_data("overloaded", status=503)
    report = daemon.cycle()
    assert set(report["changed_feeds"]) == feeds
    assert set(_pings(httpserver)) == feeds
    assert set(websub.load_pending(cfg.data_dir)) == feeds

    # The feeds announce the hub (rel=hub), so subscribers know where to go.
    atom = feedparser.parse((cfg.feeds_dir / "en" / "atom.xml").read_bytes())
    assert hub in [link.href for link in atom.feed.links if link.rel == "hub"]
    rss = feedparser.parse((cfg.feeds_dir / "vi" / "rss.xml").read_bytes())
    assert hub in [link.href for link in rss.feed.links if link.rel == "hub"]

    # Hub back: the next cycle changes nothing but retries every pending ping.
    httpserver.clear()
    httpserver.expect_request("/hub", method="POST").respond_with_data("", status=204)
    report = daemon.cycle()
    assert report["changed_feeds"] == []
    assert set(_pings(httpserver)) == feeds
    assert websub.load_pending(cfg.data_dir) == []
    assert not websub.pending_path(cfg.data_dir).exists()

    # Nothing changed and nothing pending: no pings at all.
    httpserver.clear()
    httpserver.expect_request("/hub", method="POST").respond_with_data("", status=204)
    daemon.cycle()
    assert _pings(httpserver) == []


def test_unreachable_hub_is_logged_and_kept(tmp_path, caplog):
    data = tmp_path / "data"
    # Port 9 (discard) on loopback: connection refused at once.
    result = websub.notify("http://127.0.0.1:9/hub", data, ["http://example.org/en/rss.xml"])
    assert result["pinged"] == [] and result["pending"] == ["http://example.org/en/rss.xml"]
    assert "ConnectionError" in result["errors"]["http://example.org/en/rss.xml"]
    assert "retrying next cycle" in caplog.text
    # Pending survives a restart (it is a file) and is not duplicated.
    result = websub.notify("http://127.0.0.1:9/hub", data, ["http://example.org/en/rss.xml"])
    assert websub.load_pending(data) == ["http://example.org/en/rss.xml"]


def test_damaged_pending_file_is_reported_not_fatal(tmp_path, caplog):
    websub.pending_path(tmp_path).write_text("{not json")
    assert websub.load_pending(tmp_path) == []
    assert "unreadable" in caplog.text and str(websub.pending_path(tmp_path)) in caplog.text


def test_stop_request_leaves_pings_pending(tmp_path, httpserver):
    import threading

    httpserver.expect_request("/hub", method="POST").respond_with_data("", status=204)
    stop = threading.Event()
    stop.set()
    urls = ["http://example.org/en/rss.xml", "http://example.org/vi/rss.xml"]
    result = websub.notify(httpserver.url_for("/hub"), tmp_path, urls, stop=stop)
    assert result["pending"] == urls and httpserver.log == []
    assert websub.load_pending(tmp_path) == urls
