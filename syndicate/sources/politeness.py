"""What a crawler owes the hosts it reads: a delay between two requests to
one host, and robots.txt read once per host and kept for a while.

One Politeness is shared by every fetch that should count against the same
hosts: all sources of a cycle (two sources on one portal do not double its
load), and for the daemon every cycle of its life (robots.txt asked once an
hour, not once per source per cycle). Whoever owns it decides how long it
lives; nothing here is process-wide, and the clock is injectable so tests
can check the spacing without waiting for it.
"""
from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Callable

# RFC 9309 2.4: a robots.txt may be cached, but no longer than 24 hours.
ROBOTS_TTL = 3600.0

Robots = urllib.robotparser.RobotFileParser | None  # None: no rules, allow all


@dataclass
class Politeness:
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    robots_ttl: float = ROBOTS_TTL
    _host_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _host_last: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _robots_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _robots: dict[str, tuple[float, Robots]] = field(default_factory=dict, init=False, repr=False)

    def wait_for_host(self, host: str, delay: float) -> None:
        """Sleep until `delay` seconds have passed since the last request to
        `host` (through this object), and count this request as the last."""
        with self._host_lock:
            now = self.clock()
            last = self._host_last.get(host)
            start = now if delay <= 0 or last is None else max(now, last + delay)
            # Reserve the slot before sleeping so concurrent callers queue up.
            self._host_last[host] = start
        if start > now:
            self.sleep(start - now)

    def robots(self, origin: str, load: Callable[[str], Robots]) -> Robots:
        """The origin's robots.txt rules, from `load(origin)` when not read
        within robots_ttl seconds."""
        with self._robots_lock:
            hit = self._robots.get(origin)
        if hit is None or self.clock() - hit[0] > self.robots_ttl:
            # Loaded outside the lock: a slow robots.txt must not hold up
            # other hosts; at worst two callers read it at once.
            hit = (self.clock(), load(origin))
            with self._robots_lock:
                self._robots[origin] = hit
        return hit[1]
