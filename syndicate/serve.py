"""Serve the feeds folder over HTTP: a small WSGI app run by waitress, and
the helpers that bind, start and stop its server (`syndicate serve` and
`syndicate daemon --serve` both use them).

Feed readers poll, so the point of this server is to make polling cheap and
correct: a content-hash ETag (stable across byte-identical republishing),
Last-Modified, 304 answers to conditional requests, gzip for clients that
ask, and a Cache-Control max-age. It serves what the publisher writes under
the feeds folder and nothing else: only the file types it publishes (not the
folder's README.md), no directory listings, no dotfiles (the publisher's temp
files start with a dot), nothing reached through `..` or a symlink pointing
out. A browser opening a feed gets the language's page instead of its XML.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
import resource
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.server import create_server as _create

from .config import Server as ServerSettings
from .schedule import schedule_period_seconds
from .store import Store, parse_iso

log = logging.getLogger("syndicate.serve")

ALLOWED = "GET, HEAD"

# Exact names first: the same suffix (.xml, .json) means different formats.
CONTENT_TYPES_BY_NAME = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
    "feeds.opml": "text/x-opml; charset=utf-8",
}
CONTENT_TYPES_BY_SUFFIX = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
# Already-compressed formats gain nothing from gzip.
NO_GZIP = {"image/png", "image/x-icon"}
MIN_GZIP_BYTES = 200


# Browsers show feeds as raw text or offer a download. A browser that opens
# one of these gets the language's feed as a page, published beside it as
# index.html (publish/pages.py); feed readers get the feed itself.
FEED_NAMES = {"rss.xml", "atom.xml", "feed.json"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
FEED_PAGE = "index.html"


def _media_ranges(accept: str) -> dict[str, float]:
    ranges: dict[str, float] = {}
    for part in accept.split(","):
        token, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if token.strip():
            ranges[token.strip().lower()] = q
    return ranges


def is_browser_navigation(accept: str, fetch_dest: str = "") -> bool:
    """A page load in a browser: it asks for text/html and names no feed type.
    Feed readers name the feed types or send */* (or nothing). A browser's
    Sec-Fetch-Dest, when sent, must say a page is loading: a script's fetch()
    of the feed gets the feed."""
    if fetch_dest and fetch_dest.lower() not in ("document", "iframe"):
        return False
    ranges = _media_ranges(accept)
    if ranges.get("text/html", 0) <= 0:
        return False
    return not any(ranges.get(t, 0) > 0 for t in FEED_TYPES)


def content_type(path: Path) -> str | None:
    """The file's type, or None for a file the publisher never writes
    (README.md, editor leftovers), which is not served."""
    return CONTENT_TYPES_BY_NAME.get(path.name) or CONTENT_TYPES_BY_SUFFIX.get(path.suffix.lower())


@dataclass(frozen=True)
class _Entity:
    """One file's bytes as served, cached until the file changes."""

    key: tuple[int, int, int]  # (inode, size, mtime_ns)
    body: bytes
    gz: bytes | None
    digest: str
    mtime: datetime


class _FileCache:
    """Hashing and gzipping once per file version, not once per request."""

    def __init__(self, limit: int = 256):
        self._items: dict[Path, _Entity] = {}
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, path: Path, ctype: str) -> _Entity:
        st = path.stat()
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            hit = self._items.get(path)
        if hit is not None and hit.key == key:
            return hit
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:32]
        gz = None
        if ctype.split(";")[0] not in NO_GZIP and len(body) >= MIN_GZIP_BYTES:
            # mtime=0: the same bytes always gzip to the same bytes.
            gz = gzip.compress(body, compresslevel=6, mtime=0)
        mtime = datetime.fromtimestamp(st.st_mtime, timezone.utc).replace(microsecond=0)
        ent = _Entity(key, body, gz, digest, mtime)
        with self._lock:
            if len(self._items) >= self._limit:
                self._items.clear()
            self._items[path] = ent
        return ent


def _accepts_gzip(header: str) -> bool:
    # The same q-value syntax as Accept; an explicit gzip outranks "*".
    ranges = _media_ranges(header)
    q = ranges.get("gzip", ranges.get("*"))
    return q is not None and q > 0


def _etag_matches(header: str, tags: set[str]) -> bool:
    """Weak comparison (RFC 9110 13.1.2), which is what If-None-Match uses."""
    if header.strip() == "*":
        return True
    for cand in header.split(","):
        cand = cand.strip()
        if cand.startswith("W/"):
            cand = cand[2:]
        if cand in tags:
            return True
    return False


def _not_modified_since(header: str, mtime: datetime, now: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None:
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    # RFC 9110 13.1.3: a date later than the server's clock is invalid and
    # ignored; honoured, it would answer 304 to every poll until then.
    if since > now:
        return False
    return mtime <= since


def resolve_path(root: Path, path_info: str) -> Path | None:
    """The file or folder under `root` that a request path names, or None.

    PATH_INFO arrives percent-decoded (PEP 3333), so an encoded `%2e%2e/`
    is a plain `../` by now and is refused here like any other. The final
    check resolves symlinks, so a link pointing out of the folder is refused
    too.
    """
    try:
        # WSGI hands bytes as latin-1 code points; file names are UTF-8.
        path_info = path_info.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if "\x00" in path_info or "\\" in path_info:
        return None
    parts = [p for p in path_info.split("/") if p]
    for p in parts:
        # ".." would climb; any dotfile is private (temp files, .gitkeep).
        if p.startswith("."):
            return None
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root and not real.is_relative_to(root):
        return None
    return real


@dataclass
class LastCycle:
    """What the process running the cycles knows of its last one. On a full
    or read-only disk a failed cycle cannot be written to the store, which
    would keep saying the run before it was fine; `daemon --serve` shares
    this with its server so /healthz fails at once."""

    failed: bool = False
    finished: datetime | None = None


@dataclass
class HealthPolicy:
    db_path: Path | None
    max_age_s: float  # a last run older than this is unhealthy
    last_cycle: LastCycle | None = None  # set when the cycles run in this process


def health(policy: HealthPolicy, now: datetime | None = None) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) for /healthz. The body is public, so it is short
    and of bounded size: a status word and times, never a reason, a path, a
    URL or an error text (`syndicate status` and the logs have those)."""
    now = now or datetime.now(timezone.utc)
    live = policy.last_cycle
    if live is not None and live.failed:
        return 503, _health_body("failed", live.finished, now, policy)
    if policy.db_path is None or not Path(policy.db_path).exists():
        return 503, _health_body("no-runs", None, now, policy)
    try:
        with Store(policy.db_path) as store:
            last = store.last_run()
    except Exception as e:  # a locked or corrupt database is exactly what a probe must report
        log.warning("/healthz: cannot read %s: %s", policy.db_path, e)
        return 503, _health_body("failed", None, now, policy)
    if last is None:
        return 503, _health_body("no-runs", None, now, policy)
    finished = parse_iso(last["finished"])
    if finished.tzinfo is None:
        finished = finished.replace(tzinfo=timezone.utc)
    if run_failed(last):
        return 503, _health_body("failed", finished, now, policy)
    if reload_errors(last):
        # The daemon runs on the last good config or glossary: serving, but
        # every edit is ignored until someone fixes the file. Which file and
        # why is in `syndicate status` and the log, not in this public body.
        return 503, _health_body("reload-failed", finished, now, policy)
    if (now - finished).total_seconds() > policy.max_age_s:
        return 503, _health_body("stale", finished, now, policy)
    return 200, _health_body("ok", finished, now, policy)


def _health_body(status: str, finished: datetime | None, now: datetime, policy: HealthPolicy) -> dict[str, Any]:
    return {
        "status": status,
        "last_run_finished": finished.isoformat() if finished else None,
        "age_seconds": round((now - finished).total_seconds()) if finished else None,
        "max_age_seconds": round(policy.max_age_s),
    }


def run_failed(run: dict[str, Any]) -> bool:
    """A run that could not complete (the cycle raised: status "error", see
    store/runs.py). Rejected inputs or pending translations make a run's
    exit code non-zero ("problems") but leave the service healthy."""
    return run.get("status") == "error"


def reload_errors(run: dict[str, Any]) -> list[str]:
    """The config or glossary edits a daemon cycle could not load (pipeline.Report.reload_errors)."""
    return list((run.get("report") or {}).get("reload_errors") or [])


Response = tuple[str, list[tuple[str, str]], bytes]


def _respond(start_response, status: str, headers: list[tuple[str, str]], body: bytes, head: bool):
    headers = headers + [("Content-Length", str(len(body)))]
    start_response(status, headers)
    return [] if head else [body]


def _plain(start_response, status: str, text: str, head: bool, extra: list[tuple[str, str]] = ()):
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]
    return _respond(start_response, status, headers + list(extra), (text + "\n").encode(), head)


def _healthz(policy: HealthPolicy, start_response, head: bool):
    code, body = health(policy)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    status = "200 OK" if code == 200 else "503 Service Unavailable"
    headers = [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")]
    return _respond(start_response, status, headers, data, head)


def _file_headers(ent: _Entity, etag: str, negotiated: bool, cache_max_age: int) -> list:
    """The caching headers of a file response."""
    headers = [
        ("ETag", etag),
        ("Last-Modified", format_datetime(ent.mtime, usegmt=True)),
        ("Cache-Control", f"public, max-age={cache_max_age}"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    vary = ["Accept"] if negotiated else []
    if ent.gz is not None:
        vary.append("Accept-Encoding")
    if vary:
        headers.append(("Vary", ", ".join(vary)))
    return headers


def _negotiate(target: Path, environ: dict[str, Any]) -> tuple[Path, bool]:
    """(the file to send, whether the answer depends on Accept): a feed's
    page for a browser opening the feed, else the file asked for."""
    if target.name not in FEED_NAMES:
        return target, False
    page = target.with_name(FEED_PAGE)
    if page.is_file() and is_browser_navigation(environ.get("HTTP_ACCEPT", ""),
                                                environ.get("HTTP_SEC_FETCH_DEST", "")):
        return page, True
    return target, True


def _serve_file(target: Path, cache: _FileCache, cache_max_age: int, environ: dict[str, Any], start_response,
                head: bool, clock: Callable[[], datetime]):
    target, negotiated = _negotiate(target, environ)
    ctype = content_type(target)
    try:
        ent = cache.get(target, ctype)
    except OSError:
        # Replaced between stat and read by an atomic rename: rare, and
        # the reader's next poll gets it.
        return _plain(start_response, "404 Not Found", "not found", head)
    use_gzip = ent.gz is not None and _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
    etag_plain = f'"{ent.digest}"'
    etag_gz = f'"{ent.digest}-gzip"'
    headers = _file_headers(ent, etag_gz if use_gzip else etag_plain, negotiated, cache_max_age)
    inm = environ.get("HTTP_IF_NONE_MATCH")
    ims = environ.get("HTTP_IF_MODIFIED_SINCE")
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    # Either ETag names the same content, so both count as a match.
    if (inm is not None and _etag_matches(inm, {etag_plain, etag_gz})) or (
        inm is None and ims is not None and _not_modified_since(ims, ent.mtime, clock())
    ):
        start_response("304 Not Modified", headers)
        return []
    body = ent.gz if use_gzip else ent.body
    headers.append(("Content-Type", ctype))
    if use_gzip:
        headers.append(("Content-Encoding", "gzip"))
    return _respond(start_response, "200 OK", headers, body, head)


def make_app(
    feeds_dir: Path | str,
    *,
    cache_max_age: int = 300,
    health_policy: HealthPolicy | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> Callable[..., Iterable[bytes]]:
    root = Path(feeds_dir).resolve()
    cache = _FileCache()
    policy = health_policy or HealthPolicy(None, 0)

    def app(environ: dict[str, Any], start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        head = method == "HEAD"
        if method not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", "method not allowed", False, [("Allow", ALLOWED)])
        path_info = environ.get("PATH_INFO", "") or "/"
        if path_info == "/healthz":
            return _healthz(policy, start_response, head)
        target = resolve_path(root, path_info)
        if target is not None and target.is_dir():
            if not path_info.endswith("/"):
                # Relative links in index.html need the trailing slash. Built
                # from the folder's own path: echoing the request ("//host/x")
                # would make a redirect to another site.
                rel = target.relative_to(root).as_posix()
                location = quote(environ.get("SCRIPT_NAME", "").rstrip("/") + "/" + (rel + "/" if rel != "." else ""))
                return _plain(start_response, "301 Moved Permanently", "moved", head, [("Location", location)])
            index = target / "index.html"
            target = index if index.is_file() else None
        if target is None or not target.is_file() or content_type(target) is None:
            return _plain(start_response, "404 Not Found", "not found", head)
        return _serve_file(target, cache, cache_max_age, environ, start_response, head, clock)

    return app


def health_policy_for(cfg, last_cycle: LastCycle | None = None) -> HealthPolicy:
    """Unhealthy when no run finished within three schedule periods (plus
    slack for a long cycle): one late run is normal, three are not."""
    return HealthPolicy(cfg.db_path, 3 * schedule_period_seconds(cfg) + 600, last_cycle)


def app_for(cfg, last_cycle: LastCycle | None = None):
    return make_app(cfg.feeds_dir, cache_max_age=cfg.server.cache_max_age,
                    health_policy=health_policy_for(cfg, last_cycle))


def server_options(settings: ServerSettings) -> dict[str, Any]:
    """waitress adjustments from [server]."""
    return {
        # select() fails outright on a descriptor above 1024 (FD_SETSIZE),
        # which a connection_limit near 1000 reaches; poll() has no such cap.
        "asyncore_use_poll": True,
        "threads": settings.threads,
        "connection_limit": settings.connection_limit,
        "channel_timeout": settings.channel_timeout,
        "cleanup_interval": settings.cleanup_interval,
        "backlog": settings.backlog,
        "max_request_header_size": settings.max_request_header_size,
    }


class _DeadlineChannel(HTTPChannel):
    """A channel that notes when the request it is receiving began.
    waitress's channel_timeout counts idle time only, so a client sending a
    header byte every few seconds (slowloris) would hold its connection for
    ever; the server's sweep closes it once `header_timeout` has passed."""

    receiving_since: float | None = None

    def received(self, data):
        started = self.request is None and not self.requests
        out = super().received(data)
        if self.request is None:
            self.receiving_since = None  # nothing partial left
        elif started or self.receiving_since is None:
            self.receiving_since = time.monotonic()
        return out


def _enforce_header_deadline(server: BaseWSGIServer, header_timeout: float) -> None:
    server.channel_class = _DeadlineChannel
    sweep = server.maintenance

    def maintenance(now):
        sweep(now)
        cutoff = time.monotonic() - header_timeout
        for channel in list(server.active_channels.values()):
            since = getattr(channel, "receiving_since", None)
            if since is not None and since < cutoff:
                channel.will_close = True

    server.maintenance = maintenance


def _raise_open_files_limit(connections: int) -> None:
    """Each connection is a file descriptor, and the usual soft limit (1024)
    is below connection_limit plus what the process already holds: raise it
    toward the hard limit rather than fail at accept() under load."""
    want = connections + 128
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= want:
        return
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if target < want:
        log.warning("open files limit %d is below [server] connection_limit %d + 128; raise LimitNOFILE",
                    target, connections)


def create_server(app, host: str, port: int, settings: ServerSettings | None = None, **adjustments):
    """A waitress server bound now (so a busy port fails at start-up), not yet serving.

    `settings` ([server]) gives the connection limits and timeouts;
    adjustments go to waitress over them (e.g. asyncore_loop_timeout, which
    bounds how long close() takes to stop the serving thread)."""
    settings = settings or ServerSettings()
    options = {**server_options(settings), **adjustments}
    _raise_open_files_limit(options["connection_limit"])
    # ident: the Server header names the service, not the library version.
    server = _create(app, host=host, port=port, ident="syndicate", **options)
    listeners = [server] if isinstance(server, BaseWSGIServer) else [
        d for d in server.map.values() if isinstance(d, BaseWSGIServer)]
    for listener in listeners:
        _enforce_header_deadline(listener, settings.header_timeout)
    return server
def server_url(server) -> str:
    host = server.effective_host
    if ":" in str(host):
        host = f"[{host}]"
    return f"http://{host}:{server.effective_port}/"


def start_in_thread(server) -> threading.Thread:
    t = threading.Thread(target=server.run, name="syndicate-http", daemon=True)
    t.start()
    return t


def stop_server(server, thread: threading.Thread | None = None, timeout: float = 5) -> None:
    if thread is not None and thread.is_alive():
        from waitress import wasyncore

        # Close every socket on the serving thread itself: closed from here,
        # they would vanish under its select() (EBADF). An empty socket map
        # ends its loop.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map, ignore_all=True))
        thread.join(timeout)
        server.task_dispatcher.shutdown()
    else:
        server.close()
