"""The rejects table: inputs that could not be ingested, where they were
moved and why, for `syndicate status`.

The same reject seen again (same source, origin, reason and destination)
is one row whose count and last_seen grow: a feed that repeats a bad item
every cycle, or thousands of them, must not grow the table every cycle.
A file moved aside twice keeps two rows, one per place it lies."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from .db import iso, transaction

FIELDS = ("source", "origin", "moved_to", "reason", "at", "count", "last_seen")


def record(db: sqlite3.Connection, source: str, origin: str, moved_to: str | None, reason: str,
           now: datetime) -> None:
    with transaction(db):
        seen = db.execute(
            "UPDATE rejects SET count = count + 1, last_seen = ?"
            " WHERE source = ? AND origin = ? AND reason = ? AND moved_to IS ?",
            (iso(now), source, origin, reason, moved_to),
        ).rowcount
        if not seen:
            db.execute(
                "INSERT INTO rejects (source, origin, moved_to, reason, at, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (source, origin, moved_to, reason, iso(now), iso(now)),
            )


def count(db: sqlite3.Connection) -> int:
    """Distinct rejects on record (a repeated one counts once)."""
    return db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0]


def recent(db: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The latest rejected inputs, most recently seen first."""
    rows = db.execute(
        f"SELECT {', '.join(FIELDS)} FROM rejects ORDER BY last_seen DESC, id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [dict(zip(FIELDS, r)) for r in rows]


def prune(db: sqlite3.Connection, older_than: datetime, limit: int) -> int:
    """Delete at most `limit` rejects last seen before `older_than`."""
    with transaction(db):
        return db.execute(
            "DELETE FROM rejects WHERE id IN (SELECT id FROM rejects WHERE last_seen < ? LIMIT ?)",
            (iso(older_than), limit),
        ).rowcount
