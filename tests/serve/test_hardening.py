"""The server under hostile or careless use (issue 13): a public /healthz
that leaks nothing and stays short, a failed cycle reported at once, an
If-Modified-Since from the future ignored, and the [server] limits in
force on a real waitress server (a client dribbling its headers is cut
off while others are served)."""
from __future__ import annotations

import dataclasses
import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

import pytest
import requests

import feedserver
import sample_feeds
from syndicate.config import Server
from syndicate.serve import HealthPolicy, LastCycle, create_server, make_app, server_url, stop_server
from syndicate.store import Store

SECRET_PATH = "/srv/syndicate/inbox/secret-draft.txt"
INTERNAL_URL = "http://127.0.0.1:8081/admin"


def _record_leaky_run(db, status: str = "problems") -> None:
    """A finished run whose report holds what must never go public: a path,
    an internal URL, a line of a secret file, and megabytes of rejects."""
    report = {
        "sources": [{
            "name": "portal", "error": f"{INTERNAL_URL}: connection refused",
            "rejected": [{"origin": SECRET_PATH, "reason": "root:x:0:0:root:/root:/bin/bash", "moved_to": None}]
            * 20000,
        }],
        "counts": {"new": 0, "rejected": 20000},
    }
    with Store(db) as store:
        rid = store.start_run()
        store.finish_run(rid, status, 3, report)


@pytest.fixture
def health(tmp_path):
    feeds = sample_feeds.write(tmp_path / "feeds")
    db = tmp_path / "data" / "syndicate.sqlite"
    live = LastCycle()
    app = make_app(feeds, health_policy=HealthPolicy(db, max_age_s=3600, last_cycle=live))
    with feedserver.running(app) as url:
        yield url + "healthz", db, live


def test_public_healthz_is_short_and_names_no_path_url_or_reason(health):
    url, db, _ = health
    _record_leaky_run(db)
    r = requests.get(url)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"status", "last_run_finished", "age_seconds", "max_age_seconds"}
    assert body["status"] == "ok"
    for secret in (SECRET_PATH, "/srv", INTERNAL_URL, "127.0.0.1:8081", "root:x", "rejected", "connection"):
        assert secret not in r.text
    assert len(r.content) < 200  # bounded whatever the run report holds


def test_healthz_after_a_failed_run_says_only_failed(health):
    url, db, _ = health
    _record_leaky_run(db, status="error")
    r = requests.get(url)
    assert r.status_code == 503
    assert r.json()["status"] == "failed" and len(r.content) < 200 and SECRET_PATH not in r.text


def test_a_cycle_that_could_not_record_its_failure_still_fails_healthz(health):
    """A full disk: the cycle fails and cannot write "error" to the store,
    whose last finished run is still an OK one. The process that ran the
    cycle knows; /healthz must not keep saying OK until it goes stale."""
    url, db, live = health
    with Store(db) as store:
        store.finish_run(store.start_run(), "ok", 0, {})
    assert requests.get(url).status_code == 200
    live.failed, live.finished = True, datetime.now(timezone.utc)
    r = requests.get(url)
    assert r.status_code == 503 and r.json()["status"] == "failed"
    live.failed = False  # the next cycle went through
    assert requests.get(url).status_code == 200


# --- If-Modified-Since ------------------------------------------------------------


@pytest.fixture
def feeds_site(tmp_path):
    feeds = sample_feeds.write(tmp_path / "feeds")
    with feedserver.running(make_app(feeds)) as url:
        yield url


def test_if_modified_since_in_the_future_is_ignored(feeds_site):
    """RFC 9110 13.1.3: a date later than the server's clock is invalid.
    Honoured, it answers 304 to every poll until 2099 and the reader never
    sees a new entry."""
    url = feeds_site + "en/atom.xml"
    future = format_datetime(datetime(2099, 1, 1, tzinfo=timezone.utc), usegmt=True)
    r = requests.get(url, headers={"If-Modified-Since": future})
    assert r.status_code == 200 and r.content
    # A real date from the past still gets its 304.
    last = requests.get(url).headers["Last-Modified"]
    assert requests.get(url, headers={"If-Modified-Since": last}).status_code == 304


def test_if_modified_since_uses_the_injected_clock(tmp_path):
    """The server's notion of "now" decides what "the future" is."""
    feeds = sample_feeds.write(tmp_path / "feeds")
    mtime = datetime.fromtimestamp((feeds / "en" / "atom.xml").stat().st_mtime, timezone.utc)
    since = format_datetime(mtime + timedelta(days=1), usegmt=True)
    clocks = {"late": mtime + timedelta(days=2), "early": mtime - timedelta(days=1)}
    for name, expect in (("late", 304), ("early", 200)):
        app = make_app(feeds, clock=lambda now=clocks[name]: now)
        with feedserver.running(app) as url:
            assert requests.get(url + "en/atom.xml", headers={"If-Modified-Since": since}).status_code == expect


# --- [server] limits on a real waitress -----------------------------------------------


def test_server_settings_reach_waitress(tmp_path):
    settings = Server(threads=3, connection_limit=17, channel_timeout=11, cleanup_interval=2, backlog=64,
                      max_request_header_size=4096, header_timeout=9)
    server = create_server(make_app(sample_feeds.write(tmp_path / "feeds")), "127.0.0.1", 0, settings)
    try:
        adj = server.adj
        assert (adj.threads, adj.connection_limit, adj.channel_timeout, adj.cleanup_interval, adj.backlog,
                adj.max_request_header_size) == (3, 17, 11, 2, 64, 4096)
        assert adj.asyncore_use_poll  # select() breaks on descriptors above 1024
    finally:
        stop_server(server)


def _dribble(url: str, seconds: float) -> tuple[bool, int]:
    """Send a request's headers one byte at a time, each well inside the idle
    timeout, for at most `seconds`; (closed by the server, bytes sent)."""
    u = urlsplit(url)
    request = b"GET /en/atom.xml HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 10000
    sent = 0
    with socket.create_connection((u.hostname, u.port), timeout=5) as s:
        end = time.monotonic() + seconds
        while time.monotonic() < end and sent < len(request):
            try:
                s.sendall(request[sent:sent + 1])
            except OSError:
                return True, sent
            sent += 1
            s.settimeout(0.2)
            try:
                if s.recv(1024) == b"":
                    return True, sent
            except TimeoutError:
                pass
            except OSError:
                return True, sent
    return False, sent


def test_a_client_dribbling_its_headers_is_cut_off_while_others_are_served(tmp_path):
    """waitress's channel_timeout counts idle seconds only: a byte every
    0.2 s keeps a connection (and a connection slot) for ever. header_timeout
    bounds the whole request."""
    settings = dataclasses.replace(Server(), header_timeout=1, cleanup_interval=1, channel_timeout=30)
    with feedserver.running(make_app(sample_feeds.write(tmp_path / "feeds")), settings=settings) as url:
        closed, sent = _dribble(url, seconds=15)
        assert closed, f"still open after {sent} header bytes"
        assert requests.get(url + "en/atom.xml", timeout=5).status_code == 200


def _read_response(s: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += s.recv(65536)
    return head


def test_a_kept_alive_connection_is_not_cut_off_between_requests(tmp_path):
    """The deadline is per request: a reader that polls on one connection for
    longer than header_timeout is never cut off while it sends nothing."""
    settings = dataclasses.replace(Server(), header_timeout=1, cleanup_interval=1, channel_timeout=30)
    with feedserver.running(make_app(sample_feeds.write(tmp_path / "feeds")), settings=settings) as url:
        u = urlsplit(url)
        request = b"GET /en/atom.xml HTTP/1.1\r\nHost: x\r\n\r\n"
        with socket.create_connection((u.hostname, u.port), timeout=5) as s:
            s.sendall(request)
            assert _read_response(s).startswith(b"HTTP/1.1 200")
            time.sleep(2.5)  # header_timeout and two sweeps pass; channel_timeout does not
            s.sendall(request)
            assert _read_response(s).startswith(b"HTTP/1.1 200")
