"""Time limits on fetching: one request (headers included), one source's
collection, one cycle's fetching; and a stop request between items.

Only the header-dribbling test uses real time (a real slow server, and the
assertion is that the fetch was cut at its deadline, not how long it took);
the others run on an injected clock that moves when a page is served."""
from __future__ import annotations

import threading

import pytest
from feed_support import Site, article_page, local_allow, make_source
from slow_http import DribblingServer

from syndicate.config import ConfigError
from syndicate.pipeline import run_cycle
from syndicate.sources import Politeness, collect
from syndicate.sources.fetch import Deadline, DeadlineError, Fetcher, FetchOptions
from syndicate.store import Store


class Clock:
    """A monotonic clock that moves only when told to (or slept on)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def politeness(self) -> Politeness:
        return Politeness(clock=self, sleep=self.sleep)


def options(**kw) -> FetchOptions:
    return FetchOptions(**{"timeout": 0.5, "retries": 2, "retry_backoff": 0.01, "host_delay": 0.0,
                            "respect_robots": False, **kw})


def test_headers_dribbled_a_byte_at_a_time_are_cut_at_the_request_deadline():
    """Every byte arrives well within the read timeout, so only a deadline
    on the whole request ends it; retries do not start past it."""
    with DribblingServer(interval=0.1, seconds=8.0) as server:
        with Fetcher(options(request_deadline=1.0, allow_internal=(f"127.0.0.1:{server.port}",))) as f:
            with pytest.raises(DeadlineError) as e:
                f.get(server.url)
        assert str(e.value) == f"{server.url}: no complete response by the deadline (request_deadline=1s); cut off"
        assert server.connections == 1 and server.finished == 0


def test_retries_stop_when_the_next_wait_would_pass_the_deadline(httpserver):
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    clock = Clock()
    f = Fetcher(options(retries=5, retry_backoff=4.0, request_deadline=10.0, allow_internal=local_allow(httpserver)),
                politeness=clock.politeness(), sleep=clock.sleep)
    with f, pytest.raises(Exception, match=r"HTTP 503 SERVICE UNAVAILABLE after 2 attempts"):
        f.get(httpserver.url_for("/busy"))
    # Waited 4 s after the first attempt; 8 more would pass the 10 s deadline.
    assert len(httpserver.log) == 2 and clock.now == 1004.0


def test_a_deadline_already_passed_sends_nothing(httpserver):
    httpserver.expect_request("/x").respond_with_data("x")
    clock = Clock()
    with Fetcher(options(allow_internal=local_allow(httpserver)), politeness=clock.politeness()) as f:
        with pytest.raises(DeadlineError, match=r"not started: source_deadline=5s already reached"):
            f.get(httpserver.url_for("/x"), deadline=Deadline(clock() - 1, 5.0, "source_deadline"))
    assert httpserver.log == []


def slow_portal(httpserver, clock: Clock, items: int, seconds_per_page: float, on_page=None) -> Site:
    """A feed of `items` items whose every page costs `seconds_per_page` on
    the clock (the server moves it while answering)."""
    site = Site(httpserver)
    entries = "".join(
        f"<item><title>Story {i}</title><link>{site.base}/news/{i}.html</link>"
        f"<pubDate>Fri, {10 + i:02d} Aug 2019 08:00:00 +0700</pubDate></item>"
        for i in range(items)
    )
    site.put("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{entries}</channel></rss>',
             "application/rss+xml", etag='"v1"')
    for i in range(items):
        site.put(f"/news/{i}.html", article_page(f"Story {i}", [f"MPS - The text of story number {i}, long enough."]))

    def timed(request):
        if request.path.startswith("/news/"):
            clock.now += seconds_per_page
            if on_page:
                on_page(request.path)

    site.hooks.append(timed)
    return site


def test_a_source_stops_at_its_deadline_and_the_rest_waits_for_the_next_cycle(httpserver, store):
    clock = Clock()
    site = slow_portal(httpserver, clock, items=5, seconds_per_page=20.0)
    src = make_source(site.url("/feed.xml"), source_deadline=50.0)
    first = collect(src, store, politeness=clock.politeness())
    # Pages at 0-20 and 20-40 s are taken; the third is cut at 50 s and,
    # with the two not reached, waits.
    assert first.error is None and first.rejected == []
    assert [a.title for a in first.articles] == ["Story 4", "Story 3"]
    assert first.stats["cut_short"] == "source_deadline=50s reached" and first.stats["left_for_next"] == 3
    assert store.source_state("portal")["etag"] is None  # the next cycle must see the whole feed again
    taken = [[store.upsert_article(a) for a in first.articles]]
    for _ in range(2):
        taken.append([store.upsert_article(a) for a in collect(src, store, politeness=clock.politeness()).articles])
    assert taken == [["new"] * 2, ["new"] * 2, ["new"]]
    assert store.source_state("portal")["etag"] == '"v1"'


def test_a_stop_request_ends_collection_between_items(httpserver, store):
    clock = Clock()
    stop = threading.Event()
    site = slow_portal(httpserver, clock, items=4, seconds_per_page=1.0, on_page=lambda path: stop.set())
    result = collect(make_source(site.url("/feed.xml")), store, politeness=clock.politeness(), stop=stop)
    assert [a.title for a in result.articles] == ["Story 3"]
    assert result.stats["cut_short"] == "stop requested" and result.stats["left_for_next"] == 3
    assert [p for p in site.paths() if p.startswith("/news/")] == ["/news/3.html"]


def test_the_cycle_deadline_leaves_later_sources_for_the_next_cycle(httpserver, make_workspace):
    clock = Clock()
    site = slow_portal(httpserver, clock, items=3, seconds_per_page=20.0)
    feed = {"type": "feed", "url": site.url("/feed.xml"), "language": "en", "timeout": 2.0, "retries": 0,
            "host_delay": 0.0, "allow_internal": list(local_allow(httpserver))}
    ws = make_workspace({"schedule": {"fetch_deadline": 30.0},
                         "sources": [{"name": "first", **feed}, {"name": "second", **feed}]})
    cfg = ws.config()
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store, politeness=clock.politeness())
    first, second = report.sources
    assert first.new == 1 and first.rejected == []
    assert first.stats["cut_short"] == "schedule.fetch_deadline=30s reached"
    assert second.skipped == "schedule.fetch_deadline=30s reached by the sources before it; read next cycle"
    lines = report.lines()
    assert "source first: stopped early (schedule.fetch_deadline=30s reached); 2 item(s) left for the next cycle" in lines
    assert f"source second: skipped: {second.skipped}" in lines


def test_a_stop_request_during_collection_stops_the_cycle(httpserver, make_workspace):
    clock = Clock()
    stop = threading.Event()
    site = slow_portal(httpserver, clock, items=3, seconds_per_page=1.0, on_page=lambda path: stop.set())
    feed = {"type": "feed", "url": site.url("/feed.xml"), "language": "en", "allow_internal": list(local_allow(httpserver)),
            "host_delay": 0.0}
    cfg = make_workspace({"sources": [{"name": "portal", **feed}, {"name": "later", **feed}]}).config()
    with Store(cfg.db_path) as store:
        report = run_cycle(cfg, store=store, politeness=clock.politeness(), stop=stop)
    assert report.stopped
    assert [s.name for s in report.sources] == ["portal"]


@pytest.mark.parametrize("key, value, message", [
    ("request_deadline", 0, r"sources\[0\]\.request_deadline: must be at least"),
    ("source_deadline", -1.0, r"sources\[0\]\.source_deadline: must be at least"),
])
def test_bad_deadlines_name_the_key(key, value, message):
    with pytest.raises(ConfigError, match=message):
        make_source("https://portal.example/feed.xml", **{key: value})


def test_a_finished_fetch_leaves_no_watchdog_behind(httpserver):
    """A fetch that ends within its deadline is untouched by its watchdog,
    and so is the next fetch on the same kept-alive connection after the
    first one's deadline has passed."""
    httpserver.expect_request("/a").respond_with_data("a")
    with Fetcher(options(request_deadline=0.5, allow_internal=local_allow(httpserver))) as f:
        assert f.get(httpserver.url_for("/a")).body == b"a"
        threading.Event().wait(0.7)  # past the first fetch's deadline
        assert f.get(httpserver.url_for("/a")).body == b"a"
