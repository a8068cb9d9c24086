"""The rejects table: inputs that could not be ingested, where they were
moved and why, for `syndicate status`."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from .db import iso, transaction


def record(db: sqlite3.Connection, source: str, origin: str, moved_to: str | None, reason: str,
           now: datetime) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO rejects (source, origin, moved_to, reason, at) VALUES (?, ?, ?, ?, ?)",
            (source, origin, moved_to, reason, iso(now)),
        )


def count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0]


def recent(db: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The latest rejected inputs, newest first."""
    rows = db.execute(
        "SELECT source, origin, moved_to, reason, at FROM rejects ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [dict(zip(("source", "origin", "moved_to", "reason", "at"), r)) for r in rows]
