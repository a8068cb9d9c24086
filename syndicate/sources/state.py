"""The backoff policy for failing sources.

A failing source backs off exponentially so a dead portal is not hammered
every cycle; one success resets it. The state itself (source_state) is
kept by the store; these are plain functions over a Store.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ..store import Store, iso, parse_iso, utcnow

BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=12)


def backoff_for(failures: int, base: timedelta = BACKOFF_BASE, cap: timedelta = BACKOFF_MAX) -> timedelta:
    """No wait after a single failure (most are transient: the next cycle
    simply tries again), then base, 2*base, 4*base ... up to cap."""
    if failures <= 1:
        return timedelta(0)
    return min(cap, base * (2 ** (failures - 2)))


def backing_off(store: Store, name: str, now: datetime | None = None) -> str | None:
    """The reason a source is not tried now, or None."""
    st = store.source_state(name)
    until = st.get("backoff_until")
    now = now or utcnow()
    if until and parse_iso(until) > now:
        return (
            f"backing off until {until} after {st['failures']} consecutive failures"
            f" (last error: {st.get('last_error')})"
        )
    return None


def record_success(
    store: Store, name: str, *, etag: str | None, last_modified: str | None, now: datetime | None = None
) -> None:
    store.set_source_state(
        name, etag=etag, last_modified=last_modified, last_success=iso(now or utcnow()),
        failures=0, backoff_until=None,
    )


def record_failure(store: Store, name: str, error: str, now: datetime | None = None) -> dict:
    """Count a failure and set backoff_until. The stored ETag and
    Last-Modified stay: the feed's content did not change by our failing."""
    now = now or utcnow()
    failures = int(store.source_state(name).get("failures") or 0) + 1
    wait = backoff_for(failures)
    store.set_source_state(
        name, last_error=error, last_error_at=iso(now), failures=failures,
        backoff_until=iso(now + wait) if wait else None,
    )
    return store.source_state(name)
