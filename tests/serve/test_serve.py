"""The feeds server, run for real (waitress on a loopback port) and fetched
with requests, raw sockets and feedparser."""
from __future__ import annotations

import gzip
import json
import os
import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

import feedparser
import pytest
import requests

import feedserver
import sample_feeds
from syndicate.serve import HealthPolicy, make_app
from syndicate.store import Store


@pytest.fixture
def site(tmp_path):
    feeds = sample_feeds.write(tmp_path / "feeds")
    (tmp_path / "secret.txt").write_text("outside the feeds folder\n")
    app = make_app(feeds, cache_max_age=123)
    with feedserver.running(app) as url:
        yield url, feeds, tmp_path


def raw_request(url: str, request_target: str, method: str = "GET") -> tuple[int, bytes]:
    """Send a request line exactly as written: requests would normalize `..`."""
    u = urlsplit(url)
    with socket.create_connection((u.hostname, u.port), timeout=5) as s:
        s.sendall(f"{method} {request_target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("en/rss.xml", "application/rss+xml"),
        ("en/atom.xml", "application/atom+xml"),
        ("vi/feed.json", "application/feed+json"),
        ("index.html", "text/html"),
        ("feeds.opml", "text/x-opml"),
    ],
)
def test_content_types(site, path, ctype):
    url, feeds, _ = site
    r = requests.get(url + path)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == f"{ctype}; charset=utf-8"
    assert r.content == (feeds / path).read_bytes()
    assert r.headers["Cache-Control"] == "public, max-age=123"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_head_has_headers_and_no_body(site):
    url, feeds, _ = site
    g = requests.get(url + "vi/rss.xml", headers={"Accept-Encoding": "identity"})
    h = requests.head(url + "vi/rss.xml", headers={"Accept-Encoding": "identity"})
    assert h.status_code == 200
    assert h.content == b""
    assert h.headers["Content-Length"] == str(len((feeds / "vi/rss.xml").read_bytes()))
    for k in ("ETag", "Last-Modified", "Content-Type", "Cache-Control"):
        assert h.headers[k] == g.headers[k]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405_with_allow(site, method):
    url, _, _ = site
    r = requests.request(method, url + "en/rss.xml", data=b"x")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD"


def test_conditional_get_with_etag_and_last_modified(site):
    url, _, _ = site
    r = requests.get(url + "en/atom.xml")
    etag, lm = r.headers["ETag"], r.headers["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    r2 = requests.get(url + "en/atom.xml", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""
    assert r2.headers["ETag"] == etag
    r3 = requests.get(url + "en/atom.xml", headers={"If-Modified-Since": lm})
    assert r3.status_code == 304
    # A stale validator gets the full body.
    r4 = requests.get(url + "en/atom.xml", headers={"If-None-Match": '"other"'})
    assert r4.status_code == 200 and r4.content
    old = format_datetime(datetime.now(timezone.utc) - timedelta(days=3), usegmt=True)
    r5 = requests.get(url + "en/atom.xml", headers={"If-Modified-Since": old})
    assert r5.status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    r6 = requests.get(url + "en/atom.xml", headers={"If-None-Match": '"other"', "If-Modified-Since": lm})
    assert r6.status_code == 200


def test_etag_follows_content_not_mtime(site):
    url, feeds, _ = site
    f = feeds / "en/rss.xml"
    e1 = requests.get(url + "en/rss.xml").headers["ETag"]
    # Byte-identical republishing (new mtime, same bytes) keeps the ETag...
    data = f.read_bytes()
    f.write_bytes(data)
    os.utime(f, (time.time() + 5, time.time() + 5))
    assert requests.get(url + "en/rss.xml").headers["ETag"] == e1
    # ...and a change of content changes it, and the stale ETag gets a 200.
    f.write_bytes(data.replace(b"Minister", b"Ministre"))
    r = requests.get(url + "en/rss.xml", headers={"If-None-Match": e1})
    assert r.status_code == 200
    assert r.headers["ETag"] != e1
    assert b"Ministre" in r.content


def test_gzip_when_accepted(site):
    url, feeds, _ = site
    body = (feeds / "vi/atom.xml").read_bytes()
    # stream=True with raw read: see the bytes on the wire, not requests' decoding.
    r = requests.get(url + "vi/atom.xml", headers={"Accept-Encoding": "gzip"}, stream=True)
    wire = r.raw.read(decode_content=False)
    assert r.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in [v.strip() for v in r.headers["Vary"].split(",")]
    assert gzip.decompress(wire) == body
    assert int(r.headers["Content-Length"]) == len(wire) < len(body)
    plain = requests.get(url + "vi/atom.xml", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in [v.strip() for v in plain.headers["Vary"].split(",")]
    assert plain.content == body
    # The two representations have different ETags; either one revalidates.
    assert plain.headers["ETag"] != r.headers["ETag"]
    r304 = requests.get(url + "vi/atom.xml", headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["ETag"]})
    assert r304.status_code == 304
    # q=0 means "not gzip".
    r0 = requests.get(url + "vi/atom.xml", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in r0.headers
    # An explicit gzip;q=0 outranks a wildcard that would allow it.
    r1 = requests.get(url + "vi/atom.xml", headers={"Accept-Encoding": "*, gzip;q=0"})
    assert "Content-Encoding" not in r1.headers
    r2 = requests.get(url + "vi/atom.xml", headers={"Accept-Encoding": "br;q=1, *;q=0.5"})
    assert r2.headers.get("Content-Encoding") == "gzip"


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/en/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/en/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/en/..%2F..%2Fsecret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/en/%00rss.xml",
    ],
)
def test_path_traversal_is_refused(site, target):
    url, _, _ = site
    status, body = raw_request(url, target)
    assert status in (400, 404), target
    assert b"outside the feeds folder" not in body
    assert b"root:" not in body


def test_symlink_out_of_the_folder_is_refused(site):
    url, feeds, tmp = site
    (feeds / "leak.txt").symlink_to(tmp / "secret.txt")
    (feeds / "up").symlink_to(tmp)
    assert requests.get(url + "leak.txt").status_code == 404
    assert requests.get(url + "up/secret.txt").status_code == 404
    # A link that stays inside is fine.
    (feeds / "latest.xml").symlink_to(feeds / "en/rss.xml")
    assert requests.get(url + "latest.xml").status_code == 200


def test_no_directory_listing_and_no_dotfiles(site):
    url, feeds, _ = site
    assert requests.get(url + "en/").status_code == 404  # no index.html there
    r = requests.get(url, allow_redirects=False)
    assert r.status_code == 200 and r.content == (feeds / "index.html").read_bytes()
    r = requests.get(url + "en", allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"] == "/en/"
    # Never an open redirect: "//en" must not become "//en/" (another host).
    u = urlsplit(url)
    with socket.create_connection((u.hostname, u.port), timeout=5) as s:
        s.sendall(b"GET //en HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head = s.recv(65536).split(b"\r\n\r\n")[0].decode()
    assert head.startswith("HTTP/1.1 301") and "\r\nLocation: /en/\r\n" in head
    (feeds / "en/.rss.xml.tmp").write_text("half a feed")
    (feeds / ".gitkeep").write_text("")
    assert requests.get(url + "en/.rss.xml.tmp").status_code == 404
    assert requests.get(url + ".gitkeep").status_code == 404
    assert requests.get(url + "missing.xml").status_code == 404


def test_feedparser_conditional_get_gets_304(site):
    url, _, _ = site
    first = feedparser.parse(url + "en/atom.xml")
    assert not first.bozo, first.get("bozo_exception")
    assert first.status == 200
    assert [e.title for e in first.entries] == sample_feeds.EN_TITLES
    again = feedparser.parse(url + "en/atom.xml", etag=first.etag)
    assert again.status == 304
    assert again.entries == []
    by_date = feedparser.parse(url + "vi/rss.xml")
    assert [e.title for e in by_date.entries] == sample_feeds.VI_TITLES
    again = feedparser.parse(url + "vi/rss.xml", modified=by_date.modified)
    assert again.status == 304


# --- /healthz -----------------------------------------------------------------------


def _record(db, status, finished_ago_s=0):
    with Store(db) as store:
        rid = store.start_run()
        store.finish_run(rid, status, 0 if status == "ok" else 1, {"new": 2})
        if finished_ago_s:
            then = (datetime.now(timezone.utc) - timedelta(seconds=finished_ago_s)).replace(microsecond=0)
            store.db.execute("UPDATE runs SET finished = ? WHERE id = ?", (then.isoformat(), rid))


@pytest.fixture
def health_site(tmp_path):
    feeds = sample_feeds.write(tmp_path / "feeds")
    db = tmp_path / "data" / "syndicate.sqlite"
    app = make_app(feeds, health_policy=HealthPolicy(db, max_age_s=3600))
    with feedserver.running(app) as url:
        yield url, db


def test_healthz_follows_the_last_run(health_site):
    url, db = health_site
    r = requests.get(url + "healthz")
    assert r.status_code == 503 and r.json()["status"] == "no-runs"
    assert not db.exists()  # a probe must not create the database

    _record(db, "ok")
    r = requests.get(url + "healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    with Store(db) as store:
        assert body["last_run_finished"] == store.last_run()["finished"]
    assert r.headers["Cache-Control"] == "no-store"
    assert requests.head(url + "healthz").status_code == 200

    # Rejected inputs or failed translations: the service itself is fine.
    _record(db, "problems")
    r = requests.get(url + "healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"

    # The pipeline records a cycle that raised as "error".
    _record(db, "error")
    r = requests.get(url + "healthz")
    assert r.status_code == 503 and r.json()["status"] == "failed"

    _record(db, "ok", finished_ago_s=7200)
    r = requests.get(url + "healthz")
    assert r.status_code == 503
    assert r.json()["status"] == "stale" and r.json()["age_seconds"] >= 7200


def test_healthz_reports_unreadable_database_without_naming_it(health_site):
    url, db = health_site
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite" * 100)
    r = requests.get(url + "healthz")
    assert r.status_code == 503
    assert r.json()["status"] == "failed"
    assert str(db.parent) not in r.text and "sqlite" not in r.text.lower()
