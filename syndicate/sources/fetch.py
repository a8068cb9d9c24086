"""HTTP fetching for remote sources: polite, bounded, and explicit about failure.

Every way a fetch can go wrong ends in a FetchError whose message a person
can act on ("HTTP 503 Service Unavailable after 3 attempts", "body larger
than max_bytes=10485760"), never in a traceback or a half-read body.

Bounds, all from the source's options:
- allow_internal: every connection, redirect hops and robots.txt included,
  goes only to a public address or to one the source allows (guard.py).
- timeout: per connect and per read.
- request_deadline: one URL in all, from the first connect to the last body
  byte, headers, redirects and retries included. A watchdog cuts the
  connection at the deadline, so a server dribbling its headers (or its
  body) a byte at a time cannot hold a fetch past it. The caller may pass
  an earlier deadline (its source's or its cycle's), which then applies.
- retries with exponential backoff on 5xx, 429, timeouts and connection
  errors, while the deadline leaves time; never on other 4xx (asking
  again will not help).
- max_redirects, followed by hand so each hop gets the host delay, the
  robots.txt check and the address check of where it leads.
- max_bytes, enforced while streaming on the *decoded* bytes, so neither a
  lying Content-Length nor a gzip bomb gets more than max_bytes into memory.
- host_delay between two requests to one host, and robots.txt read once
  per host (RFC 9309: 4xx means allow all; 5xx or unreachable means
  disallow all); both kept by the Politeness the Fetcher is given, so
  Fetchers that share one share the delay and the rules.
"""
from __future__ import annotations

import socket
import threading
import time
import urllib.robotparser
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Callable, Iterator
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from .. import __version__
from ..config import Source
from .guard import Guard, GuardedAdapter, InternalAddress, Resolver, system_resolver
from .politeness import Politeness, Robots

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
CHUNK = 64 * 1024
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0  # never sleep longer than this on a server's say-so


class FetchError(Exception):
    """A fetch failed; str(e) is the reason, ready for a report line."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class RefusedAddressError(FetchError):
    """The URL (or a redirect, or its robots.txt) leads to an internal
    address the source does not allow; nothing was sent."""


class DeadlineError(FetchError):
    """The fetch was cut at its deadline."""


@dataclass(frozen=True)
class Deadline:
    """A moment on the fetch clock by which something must be done, and the
    setting that put it there, for the message."""

    at: float
    seconds: float
    setting: str

    @classmethod
    def after(cls, clock: Callable[[], float], seconds: float, setting: str) -> "Deadline":
        return cls(clock() + seconds, seconds, setting)

    def left(self, clock: Callable[[], float]) -> float:
        return self.at - clock()

    def passed(self, clock: Callable[[], float]) -> bool:
        return self.left(clock) <= 0

    def __str__(self) -> str:
        return f"{self.setting}={self.seconds:g}s"


def earliest(*deadlines: Deadline | None) -> Deadline:
    return min((d for d in deadlines if d is not None), key=lambda d: d.at)


@dataclass
class FetchOptions:
    """What the fetcher needs of a feed source; the defaults are the config's."""

    timeout: float = Source.timeout
    request_deadline: float = Source.request_deadline
    allow_internal: tuple[str, ...] = Source.allow_internal
    retries: int = Source.retries
    retry_backoff: float = Source.retry_backoff
    max_bytes: int = Source.max_bytes
    max_redirects: int = Source.max_redirects
    host_delay: float = Source.host_delay
    respect_robots: bool = Source.respect_robots
    # A Fetcher made without a source (tests, tools) still says who it is.
    user_agent: str = f"syndicate/{__version__}"

    @classmethod
    def from_source(cls, source: Source) -> "FetchOptions":
        values = {f.name: getattr(source, f.name) for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if v not in (None, "")})


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    elapsed: float
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def user_agent(base_url: str | None) -> str:
    """`syndicate/<version> (+<base_url>)`: says who we are and where to complain."""
    ua = f"syndicate/{__version__}"
    return f"{ua} (+{base_url})" if base_url else ua


@dataclass
class Fetcher:
    options: FetchOptions = field(default_factory=FetchOptions)
    sleep: Callable[[float], None] = time.sleep  # between retries
    session: requests.Session | None = None
    politeness: Politeness | None = None  # None: one of its own
    resolve: Resolver = system_resolver  # host -> addresses; tests map names here

    def __post_init__(self) -> None:
        if self.politeness is None:
            self.politeness = Politeness()
        if self.session is None:
            self.session = requests.Session()
        # Environment proxies would connect somewhere the guard cannot see,
        # and .netrc would hand credentials to whatever a feed links to.
        self.session.trust_env = False
        self._guard = Guard(self.options.allow_internal, self.resolve)
        adapter = GuardedAdapter(self._guard)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.options.user_agent
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self._watch_lock = threading.Lock()
        self._generation = 0
        self._expired = False

    @property
    def clock(self) -> Callable[[], float]:
        """The clock deadlines are measured on: the politeness's, so one
        injected clock drives host delays and deadlines alike."""
        return self.politeness.clock

    def close(self) -> None:
        if self.session is not None:
            self.session.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- public -----------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        check_robots: bool = True,
        max_bytes: int | None = None,
        deadline: Deadline | None = None,
    ) -> Response:
        """GET url within every bound; a 304 comes back as a Response, any
        other non-2xx (after retries) as a FetchError. `deadline`, when
        earlier than the request's own, cuts the fetch there."""
        limit = earliest(Deadline.after(self.clock, self.options.request_deadline, "request_deadline"), deadline)
        if limit.passed(self.clock):
            raise DeadlineError(url, f"not started: {limit} already reached")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        byte_limit = self.options.max_bytes if max_bytes is None else max_bytes
        with self._watchdog(limit):
            try:
                resp = self._get(url, headers, byte_limit, check_robots, limit)
            except FetchError as e:
                if self._cut(limit) and not isinstance(e, RefusedAddressError):
                    raise DeadlineError(url, _cut_reason(limit)) from None
                raise
            if self._expired:  # cut just as it ended: the body may be short
                raise DeadlineError(url, _cut_reason(limit))
            return resp

    # --- internals ----------------------------------------------------------

    @contextmanager
    def _watchdog(self, limit: Deadline) -> Iterator[None]:
        """Cut this fetcher's connections when `limit` passes. Each fetch has
        its generation, so a timer that fires as its fetch ends cannot cut
        the next fetch's connection."""
        with self._watch_lock:
            self._generation += 1
            self._expired = False
            generation = self._generation
        timer = threading.Timer(max(0.0, limit.left(self.clock)), self._expire, (generation,))
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            with self._watch_lock:
                self._generation += 1

    def _expire(self, generation: int) -> None:
        with self._watch_lock:
            if generation != self._generation:
                return
            self._expired = True
        self._guard.abort()

    def _cut(self, limit: Deadline) -> bool:
        return self._expired or limit.passed(self.clock)

    def _get(self, url: str, headers: dict[str, str], byte_limit: int, check_robots: bool,
             limit: Deadline) -> Response:
        if check_robots and self.options.respect_robots:
            self._check_robots(url, url, limit)
        attempts = max(1, self.options.retries + 1)
        last: FetchError | None = None
        for attempt in range(1, attempts + 1):
            try:
                resp = self._get_once(url, headers, byte_limit, check_robots, limit)
            except _Retryable as e:
                last = FetchError(url, e.reason, e.status)
                wait = e.retry_after if e.retry_after is not None else self._backoff(attempt)
                if attempt == attempts or self._cut(limit) or wait >= limit.left(self.clock):
                    break
                self.sleep(wait)
                continue
            resp.attempts = attempt
            return resp
        assert last is not None
        suffix = f" after {attempt} attempts" if attempt > 1 else ""
        raise FetchError(url, last.reason + suffix, last.status)

    def _check_robots(self, url: str, target: str, limit: Deadline) -> None:
        """FetchError unless robots.txt lets us fetch `target` (`url`
        itself, or where it redirects)."""
        parts = urlsplit(target)
        origin = f"{parts.scheme}://{parts.netloc}"
        try:
            rp = self.politeness.robots(origin, lambda o: self._load_robots(o, limit))
        except RefusedAddressError as e:
            raise RefusedAddressError(url, _hop(url, target, e.reason)) from None
        if rp is None or rp.can_fetch(self._robots_agent(), target):
            return
        if target == url:
            raise FetchError(url, f"disallowed by robots.txt for user agent {self._robots_agent()!r}")
        raise FetchError(url, f"redirected to {target}, which robots.txt disallows")

    def _robots_agent(self) -> str:
        # robots.txt groups name a product token, not the full UA string.
        return self.options.user_agent.split("/", 1)[0].split()[0]

    def _load_robots(self, origin: str, limit: Deadline) -> Robots:
        """None means "no rules" (allow all). A refused address or a fetch
        cut at its deadline says nothing about the rules: raised, not kept."""
        url = origin + "/robots.txt"
        rp = urllib.robotparser.RobotFileParser(url)
        try:
            resp = self._get(url, {}, ROBOTS_MAX_BYTES, False, limit)
        except FetchError as e:
            if isinstance(e, RefusedAddressError) or self._cut(limit):
                raise
            if e.status is not None and 400 <= e.status < 500:
                return None
            # RFC 9309 2.3.1.4: unreachable robots.txt means complete disallow.
            rp.disallow_all = True
            return rp
        text = resp.body.decode("utf-8", errors="replace")
        rp.parse(text.splitlines())
        return rp

    def _backoff(self, attempt: int) -> float:
        return self.options.retry_backoff * (2 ** (attempt - 1))

    def _open(self, url: str, headers: dict[str, str], check_robots: bool, limit: Deadline) -> requests.Response:
        """GET with redirects followed by hand, so every hop gets the host
        delay, the robots.txt check and the address check of where it leads."""
        timeout = self.options.timeout
        current = url
        for hop in range(self.options.max_redirects + 1):
            self.politeness.wait_for_host(urlsplit(current).netloc, self.options.host_delay)
            # A connect cannot be cut by the watchdog (there is no socket to
            # cut yet), so it gets no more than the time left.
            connect = max(0.001, min(timeout, limit.left(self.clock)))
            try:
                r = self.session.get(current, headers=headers, timeout=(connect, timeout), stream=True,
                                     allow_redirects=False)
            except InternalAddress as e:
                raise RefusedAddressError(url, _hop(url, current, e.reason)) from None
            except requests.Timeout:
                raise _Retryable(f"timed out (timeout={timeout:g}s)")
            except requests.ConnectionError as e:
                raise _Retryable(f"connection failed: {_short(e)}")
            except requests.RequestException as e:
                raise FetchError(url, f"request failed: {_short(e)}")
            if not (r.is_redirect and r.headers.get("location")):
                return r
            target = urljoin(current, r.headers["location"])
            r.close()
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(url, f"redirected to a non-HTTP URL {target!r}")
            if check_robots and self.options.respect_robots:
                self._check_robots(url, target, limit)
            current = target
        raise FetchError(url, f"too many redirects (more than max_redirects={self.options.max_redirects})")

    def _get_once(self, url: str, headers: dict[str, str], limit: int, check_robots: bool,
                  deadline: Deadline) -> Response:
        timeout = self.options.timeout
        started = time.monotonic()
        r = self._open(url, headers, check_robots, deadline)
        with r:
            final = r.url
            if r.status_code == 304:
                return Response(final, 304, _lower(r.headers), b"", time.monotonic() - started)
            if r.status_code in RETRY_STATUSES:
                raise _Retryable(f"HTTP {r.status_code} {r.reason or ''}".rstrip(), r.status_code, _retry_after(r))
            if not 200 <= r.status_code < 300:
                raise FetchError(url, f"HTTP {r.status_code} {r.reason or ''}".rstrip(), r.status_code)
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(url, f"body of {int(declared)} bytes (Content-Length) exceeds max_bytes={limit}")
            try:
                body = self._read_body(url, r, limit, deadline)
            except (urllib3.exceptions.ReadTimeoutError, socket.timeout):
                raise _Retryable(f"timed out while reading the body (timeout={timeout:g}s)")
            except (urllib3.exceptions.ProtocolError, ConnectionError) as e:
                raise _Retryable(f"connection lost while reading the body: {_short(e)}")
            except urllib3.exceptions.DecodeError as e:
                raise FetchError(url, f"body could not be decompressed: {_short(e)}")
            except urllib3.exceptions.HTTPError as e:
                raise FetchError(url, f"reading the body failed: {_short(e)}")
            return Response(final, r.status_code, _lower(r.headers), body, time.monotonic() - started)

    def _read_body(self, url: str, r: requests.Response, limit: int, deadline: Deadline) -> bytes:
        body = bytearray()
        while True:
            # read1, not iter_content: iter_content blocks until a whole
            # chunk arrives; read1 returns what the socket has, so the
            # deadline is looked at between every few bytes of a slow drip.
            chunk = r.raw.read1(CHUNK, decode_content=True)
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > limit:
                raise FetchError(url, f"body larger than max_bytes={limit}; stopped reading")
            if self._cut(deadline):
                raise DeadlineError(url, _cut_reason(deadline))


def _cut_reason(limit: Deadline) -> str:
    return f"no complete response by the deadline ({limit}); cut off"


def _hop(url: str, target: str, reason: str) -> str:
    """A reason about `target`, said of `url` (which redirected there)."""
    return reason if target == url else f"redirected to {target}: {reason}"


class _Retryable(Exception):
    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def _retry_after(r: requests.Response) -> float | None:
    v = r.headers.get("retry-after", "")
    if v.strip().isdigit():
        return min(float(v), MAX_RETRY_AFTER)
    return None


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _short(e: Exception) -> str:
    s = str(e)
    # urllib3 messages nest the whole pool repr; the last clause is the useful one.
    if "(Caused by" in s:
        s = s.split("(Caused by", 1)[1].rstrip(")")
    return s.strip()[:300]
