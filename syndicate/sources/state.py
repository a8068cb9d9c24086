"""Per-source health (source_state) and per-item memory (source_items).

A failing source backs off exponentially so a dead portal is not hammered
every cycle; one success resets it. `describe_sources` gives `syndicate
status` one line per source.
"""
from __future__ import annotations

from dataclasses import dataclass
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


def describe_sources(store: Store, now: datetime | None = None) -> list[str]:
    """One line per source with a recorded state, for `syndicate status`."""
    now = now or utcnow()
    lines = []
    for st in store.all_source_states():
        parts = [f"{st['name']}:"]
        if st["failures"]:
            parts.append(f"FAILING ({st['failures']} consecutive failures)")
        else:
            parts.append("ok")
        parts.append(f"last success {st['last_success'] or 'never'}")
        if st["last_error"]:
            parts.append(f"last error at {st['last_error_at']}: {st['last_error']}")
        if st["backoff_until"] and parse_iso(st["backoff_until"]) > now:
            parts.append(f"next try after {st['backoff_until']}")
        lines.append(", ".join([parts[0] + " " + parts[1], *parts[2:]]))
    return lines


# --- items -------------------------------------------------------------------


@dataclass
class ItemState:
    url: str
    entry_hash: str | None
    content_hash: str | None
    full_text: bool
    attempts: int
    last_error: str | None


def load_items(store: Store, source: str) -> dict[str, ItemState]:
    rows = store.db.execute(
        "SELECT url, entry_hash, content_hash, full_text, attempts, last_error FROM source_items WHERE source = ?",
        (source,),
    )
    return {
        r["url"]: ItemState(r["url"], r["entry_hash"], r["content_hash"], bool(r["full_text"]), r["attempts"],
                            r["last_error"])
        for r in rows
    }


def save_item(
    store: Store, source: str, url: str, *, entry_hash: str | None, content_hash: str | None,
    full_text: bool, attempts: int, last_error: str | None, now: datetime | None = None,
) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO source_items (source, url, entry_hash, content_hash, full_text, attempts, last_error, seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, url) DO UPDATE SET"
            " entry_hash=excluded.entry_hash, content_hash=excluded.content_hash, full_text=excluded.full_text,"
            " attempts=excluded.attempts, last_error=excluded.last_error, seen=excluded.seen",
            (source, url, entry_hash, content_hash, int(full_text), attempts, last_error, iso(now or utcnow())),
        )


def unconfirmed(store: Store, source: str) -> list[str]:
    """Items handed to the pipeline whose article is not (or not in that
    version) in the store: a run stopped between collect and store."""
    rows = store.db.execute(
        "SELECT i.url FROM source_items i LEFT JOIN articles a ON a.url = i.url"
        " WHERE i.source = ? AND i.content_hash IS NOT NULL"
        " AND (a.id IS NULL OR a.content_hash IS NOT i.content_hash)",
        (source,),
    )
    return [r["url"] for r in rows]


def forget_items(store: Store, source: str, keep: set[str], older_than: datetime) -> int:
    """Drop item rows that left the feed long ago; the table would otherwise
    grow by every item a portal ever published. An item that comes back
    costs one page fetch and stores as unchanged."""
    with store.transaction() as db:
        rows = db.execute(
            "SELECT url FROM source_items WHERE source = ? AND seen < ?", (source, iso(older_than))
        ).fetchall()
        gone = [r["url"] for r in rows if r["url"] not in keep]
        db.executemany("DELETE FROM source_items WHERE source = ? AND url = ?", [(source, u) for u in gone])
    return len(gone)
