"""Helpers for the remote-source tests (tests/sources): test data and
sources built through the real config parser."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from syndicate import config as config_mod

TESTDATA = Path(__file__).resolve().parent.parent / "sources" / "testdata"

# Short bounds so faults show up in milliseconds, not minutes.
FAST = {"timeout": 0.5, "retries": 2, "retry_backoff": 0.01, "host_delay": 0.0}


def read_testdata(name: str) -> bytes:
    return (TESTDATA / name).read_bytes()


def feed_text(name: str, base: str) -> bytes:
    """A testdata feed with {base} replaced by the local server's URL."""
    return read_testdata(name).decode("utf-8").replace("{base}", base.rstrip("/")).encode("utf-8")


def local_allow(httpserver) -> tuple[str, ...]:
    """allow_internal for the loopback test server's port, by both of its
    names; any other loopback port stays refused."""
    return (f"localhost:{httpserver.port}", f"127.0.0.1:{httpserver.port}")


def make_source(url: str, name: str = "portal", language: str = "auto", **options):
    """A feed source through the real config parser. Its own host:port is
    in allow_internal (the test servers are on loopback) unless the test
    says otherwise."""
    options.setdefault("allow_internal", [urlsplit(url).netloc])
    raw = {
        "site": {"base_url": "https://feeds.example.org/"},
        "sources": [{"name": name, "type": "feed", "url": url, "language": language, **{**FAST, **options}}],
    }
    return config_mod.parse(raw, Path("/nonexistent/config.toml")).sources[0]


class Site:
    """A small portal on pytest-httpserver: files that tests change between
    cycles, ETag support, and a log of (path, request headers)."""

    def __init__(self, httpserver):
        import re

        self.server = httpserver
        self.files: dict[str, tuple[bytes, str, str | None]] = {}
        self.log: list[tuple[str, dict]] = []
        self.redirects: dict[str, str] = {}  # path -> Location (301)
        self.hooks: list = []  # called with each request before it is answered
        httpserver.expect_request(re.compile(r"/.*")).respond_with_handler(self._handle)

    @property
    def base(self) -> str:
        return self.server.url_for("/").rstrip("/")

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
            etag: str | None = None) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.files[path] = (body, content_type, etag)

    def put_feed(self, path: str, name: str, content_type: str = "application/rss+xml",
                 etag: str | None = None) -> None:
        self.put(path, feed_text(name, self.base), content_type, etag)

    def paths(self) -> list[str]:
        return [p for p, _ in self.log]

    def _handle(self, request):
        from werkzeug import Response

        self.log.append((request.path, dict(request.headers)))
        for hook in self.hooks:
            hook(request)
        if request.path in self.redirects:
            return Response("moved", status=301, headers={"Location": self.redirects[request.path]})
        if request.path not in self.files:
            return Response("not found", status=404)
        body, ctype, etag = self.files[request.path]
        if etag and request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag} if etag else {}
        return Response(body, headers={"Content-Type": ctype, **headers})


def article_page(title: str, paragraphs: list[str], lang: str = "en") -> str:
    """An article page with the usual chrome around the text."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '<script>track()</script></head><body>'
        '<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/contact/">Contact</a></nav>'
        f'<article><h1>{title}</h1>{body}'
        '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div></article>'
        '<footer><p>Copyright 2019 Ministry of Public Security</p></footer></body></html>'
    )


# The pages behind rss_en.xml.
EN_PAGES = {
    "/en/news/drug-ring.html": read_testdata("page_en.html"),
    "/en/news/delegation.html": article_page(
        "Minister receives Japanese delegation",
        ["MPS - The Minister on Thursday received a delegation of the Japanese National Police Agency in Hanoi.",
         "Both sides agreed to strengthen cooperation against cybercrime and transnational crime in the coming years."],
    ),
    "/en/news/traffic.html": article_page(
        "Traffic safety campaign launched",
        ["MPS - A nationwide campaign on traffic safety began on Wednesday, focusing on drink driving and speeding.",
         "Traffic police will set up checkpoints on national highways throughout the month of August."],
    ),
}
