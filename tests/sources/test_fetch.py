"""fetch.Fetcher against a real local HTTP server."""
from __future__ import annotations

import gzip
import time

import pytest
from feed_support import local_allow
from slow_http import SlowHandler
from werkzeug import Request, Response

from syndicate import __version__
from syndicate.sources.fetch import DeadlineError, Fetcher, FetchError, FetchOptions, user_agent
from syndicate.sources.politeness import ROBOTS_TTL, Politeness


DEFAULTS = dict(timeout=0.5, retries=2, retry_backoff=0.01, host_delay=0.0, respect_robots=False,
                user_agent=user_agent("https://feeds.example.org/"))


@pytest.fixture(autouse=True)
def _allow_the_test_server(httpserver, monkeypatch):
    """The test server listens on loopback, which a fetcher refuses unless
    allowed: allow its port (by both names), and no other loopback port."""
    monkeypatch.setitem(DEFAULTS, "allow_internal", local_allow(httpserver))


def fetcher(politeness: Politeness | None = None, **kw) -> Fetcher:
    return Fetcher(FetchOptions(**{**DEFAULTS, **kw}), politeness=politeness)


class FakeClock:
    """A monotonic clock that moves only when slept on (or told to)."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def politeness(self) -> Politeness:
        return Politeness(clock=self, sleep=self.sleep)


def test_user_agent_names_version_and_site(httpserver):
    httpserver.expect_request("/x").respond_with_data("ok")
    with fetcher() as f:
        f.get(httpserver.url_for("/x"))
    req, _ = httpserver.log[0]
    assert req.headers["User-Agent"] == f"syndicate/{__version__} (+https://feeds.example.org/)"


def test_follows_redirects_and_reports_final_url(httpserver):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/mid"})
    httpserver.expect_request("/mid").respond_with_data("", status=302, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("here")
    with fetcher() as f:
        r = f.get(httpserver.url_for("/old"))
    assert r.body == b"here"
    assert r.url == httpserver.url_for("/new")


def test_too_many_redirects_is_a_clear_error(httpserver):
    for i in range(10):
        httpserver.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    with fetcher(max_redirects=3) as f, pytest.raises(FetchError, match=r"too many redirects \(more than max_redirects=3\)"):
        f.get(httpserver.url_for("/r0"))
    assert len(httpserver.log) == 4  # the first request and three redirects, not ten


def test_conditional_get_sends_validators_and_returns_304(httpserver):
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"' and request.headers.get(
            "If-Modified-Since"
        ) == "Fri, 09 Aug 2019 01:00:00 GMT":
            return Response(status=304)
        return Response("full", headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed").respond_with_handler(handler)
    with fetcher() as f:
        first = f.get(httpserver.url_for("/feed"))
        again = f.get(httpserver.url_for("/feed"), etag='"v1"', last_modified="Fri, 09 Aug 2019 01:00:00 GMT")
    assert first.status == 200 and first.headers["etag"] == '"v1"'
    assert again.not_modified and again.body == b""


def test_500_then_success_is_retried_with_backoff(httpserver):
    calls = []

    def handler(request: Request) -> Response:
        calls.append(request.path)
        return Response("busy", status=500) if len(calls) < 3 else Response("finally")

    httpserver.expect_request("/flaky").respond_with_handler(handler)
    slept = []
    with fetcher(retries=2, retry_backoff=0.05) as f:
        f.sleep = slept.append
        r = f.get(httpserver.url_for("/flaky"))
    assert r.body == b"finally" and r.attempts == 3
    assert slept == [0.05, 0.1]  # exponential


def test_500_every_time_gives_up_after_retries(httpserver):
    httpserver.expect_request("/down").respond_with_data("no", status=503)
    with fetcher(retries=2) as f, pytest.raises(FetchError, match=r"HTTP 503 SERVICE UNAVAILABLE after 3 attempts") as e:
        f.get(httpserver.url_for("/down"))
    assert e.value.status == 503
    assert len(httpserver.log) == 3


def test_404_is_not_retried(httpserver):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with fetcher(retries=3) as f, pytest.raises(FetchError, match=r"HTTP 404"):
        f.get(httpserver.url_for("/gone"))
    assert len(httpserver.log) == 1


def test_slow_response_times_out_and_is_retried(httpserver):
    slow = SlowHandler(0.6)
    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with fetcher(timeout=0.2, retries=1) as f, pytest.raises(FetchError, match=r"timed out \(timeout=0.2s\) after 2 attempts"):
        f.get(httpserver.url_for("/slow"))
    assert time.monotonic() - started < 3
    assert slow.calls == 2
    slow.settle(httpserver, "/slow")


def _endless(chunk: bytes, count: int):
    def handler(request: Request) -> Response:
        def body():
            for _ in range(count):
                yield chunk

        return Response(body(), content_type="application/xml", direct_passthrough=True)

    return handler


def test_huge_body_is_cut_while_streaming(httpserver):
    # The server would send 1 GiB (64 KiB chunks, generated lazily); the
    # client stops after max_bytes and never holds more than that.
    httpserver.expect_request("/huge").respond_with_handler(_endless(b"x" * 65536, 16384))
    with fetcher(max_bytes=1_000_000, timeout=5) as f, pytest.raises(
        FetchError, match=r"body larger than max_bytes=1000000; stopped reading"
    ):
        f.get(httpserver.url_for("/huge"))


def test_declared_huge_body_is_refused_before_reading(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000, headers={"Content-Length": "5000"})
    with fetcher(max_bytes=4096) as f, pytest.raises(FetchError, match=r"5000 bytes \(Content-Length\) exceeds max_bytes=4096"):
        f.get(httpserver.url_for("/big"))


def test_gzip_bomb_counts_decompressed_bytes(httpserver):
    bomb = gzip.compress(b"\0" * 20_000_000)  # ~20 KB on the wire, 20 MB inflated
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with fetcher(max_bytes=1_000_000) as f, pytest.raises(FetchError, match=r"body larger than max_bytes=1000000"):
        f.get(httpserver.url_for("/bomb"))


def test_robots_disallow_is_respected(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n\nUser-agent: syndicate\nDisallow: /news/secret\n"
    )
    httpserver.expect_request("/news/open").respond_with_data("open")
    with fetcher(respect_robots=True) as f:
        assert f.get(httpserver.url_for("/news/open")).body == b"open"
        with pytest.raises(FetchError, match=r"disallowed by robots.txt for user agent 'syndicate'"):
            f.get(httpserver.url_for("/news/secret"))
    paths = [req.path for req, _ in httpserver.log]
    assert paths == ["/robots.txt", "/news/open"]  # robots read once, the page never requested


def test_robots_ignored_when_configured_off(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
    httpserver.expect_request("/p").respond_with_data("fine")
    with fetcher(respect_robots=False) as f:
        assert f.get(httpserver.url_for("/p")).body == b"fine"


def test_missing_robots_allows_all(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("nope", status=404)
    httpserver.expect_request("/p").respond_with_data("fine")
    with fetcher(respect_robots=True) as f:
        assert f.get(httpserver.url_for("/p")).body == b"fine"


def test_robots_server_error_disallows_all(httpserver):
    # RFC 9309: an unreachable robots.txt means "assume complete disallow".
    httpserver.expect_request("/robots.txt").respond_with_data("err", status=500)
    with fetcher(respect_robots=True, retries=0) as f, pytest.raises(FetchError, match="disallowed by robots.txt"):
        f.get(httpserver.url_for("/p"))


def test_host_delay_spaces_requests_to_one_host(httpserver):
    httpserver.expect_request("/a").respond_with_data("a")
    httpserver.expect_request("/b").respond_with_data("b")
    clock = FakeClock()
    with fetcher(clock.politeness(), host_delay=0.3) as f:
        f.get(httpserver.url_for("/a"))
        clock.now += 0.1  # the caller spends 0.1 s on something else
        f.get(httpserver.url_for("/b"))
        f.get(httpserver.url_for("/b"))
    assert clock.slept == pytest.approx([0.2, 0.3])  # waited after /a, then a full delay
    assert [req.path for req, _ in httpserver.log] == ["/a", "/b", "/b"]


def test_no_wait_once_the_delay_has_passed_or_for_another_host(httpserver):
    httpserver.expect_request("/a").respond_with_data("a")
    clock = FakeClock()
    with fetcher(clock.politeness(), host_delay=0.3) as f:
        f.get(httpserver.url_for("/a"))
        clock.now += 0.5
        f.get(httpserver.url_for("/a"))
        f.get(httpserver.url_for("/a").replace("//localhost:", "//127.0.0.1:"))  # another host name
    assert clock.slept == []
    assert len(httpserver.log) == 3


def test_fetchers_sharing_a_politeness_share_the_host_delay(httpserver):
    # Two sources on one portal: their requests are spaced as one stream.
    httpserver.expect_request("/a").respond_with_data("a")
    clock = FakeClock()
    shared = clock.politeness()
    with fetcher(shared, host_delay=0.3) as one, fetcher(shared, host_delay=0.3) as two:
        one.get(httpserver.url_for("/a"))
        two.get(httpserver.url_for("/a"))
    assert clock.slept == pytest.approx([0.3])


def test_fetchers_with_their_own_politeness_do_not_wait_on_each_other(httpserver):
    httpserver.expect_request("/a").respond_with_data("a")
    clock = FakeClock()
    with fetcher(clock.politeness(), host_delay=0.3) as one, fetcher(clock.politeness(), host_delay=0.3) as two:
        one.get(httpserver.url_for("/a"))
        two.get(httpserver.url_for("/a"))
    assert clock.slept == []


def test_robots_read_once_per_politeness_until_it_expires(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/p").respond_with_data("fine")
    clock = FakeClock()
    shared = clock.politeness()
    with fetcher(shared, respect_robots=True) as one, fetcher(shared, respect_robots=True) as two:
        one.get(httpserver.url_for("/p"))
        two.get(httpserver.url_for("/p"))
        clock.now += ROBOTS_TTL - 1
        one.get(httpserver.url_for("/p"))
        assert [req.path for req, _ in httpserver.log].count("/robots.txt") == 1
        clock.now += 2  # past the TTL: asked again
        two.get(httpserver.url_for("/p"))
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt", "/p", "/p", "/p", "/robots.txt", "/p"]


def test_body_dripping_slower_than_the_total_deadline_is_cut(httpserver):
    # Each chunk arrives within the read timeout, but the whole body would
    # take far longer than the request's deadline.
    def drip(request: Request) -> Response:
        def body():
            for _ in range(80):  # 8 s in all
                time.sleep(0.1)
                yield b"x" * 100

        return Response(body(), direct_passthrough=True)

    httpserver.expect_request("/drip").respond_with_handler(drip)
    started = time.monotonic()
    with fetcher(timeout=0.3, request_deadline=0.9, retries=0) as f, pytest.raises(
        DeadlineError, match=r"no complete response by the deadline \(request_deadline=0.9s\)"
    ):
        f.get(httpserver.url_for("/drip"))
    assert time.monotonic() - started < 4  # roughly 0.9 s; far from the 8 s of the whole body


def test_stall_in_the_middle_of_the_body_is_a_timeout(httpserver):
    def stall(request: Request) -> Response:
        def body():
            yield b"<rss>"
            time.sleep(2.5)
            yield b"</rss>"

        return Response(body(), direct_passthrough=True)

    httpserver.expect_request("/stall").respond_with_handler(stall)
    # A timeout generous enough that headers always arrive in time on a busy
    # CI machine, so the stall is what times out.
    with fetcher(timeout=1.0, retries=0) as f, pytest.raises(FetchError, match=r"timed out while reading the body \(timeout=1s\)"):
        f.get(httpserver.url_for("/stall"))


def test_redirect_into_a_robots_disallowed_path_is_refused(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/open").respond_with_data("", status=302, headers={"Location": "/private/x"})
    httpserver.expect_request("/private/x").respond_with_data("secret")
    with fetcher(respect_robots=True) as f, pytest.raises(FetchError, match=r"redirected to .*/private/x, which robots.txt disallows"):
        f.get(httpserver.url_for("/open"))
    assert "/private/x" not in [req.path for req, _ in httpserver.log]


def test_redirect_to_a_non_http_scheme_is_refused(httpserver):
    httpserver.expect_request("/ftp").respond_with_data("", status=301, headers={"Location": "ftp://example.invalid/feed"})
    with fetcher() as f, pytest.raises(FetchError, match=r"redirected to a non-HTTP URL 'ftp://example.invalid/feed'"):
        f.get(httpserver.url_for("/ftp"))
