"""The clashes table: a URL listed by more than one source.

The article's id is its URL, so two sources listing one URL would write one
row. The first source to store it owns it; each other source's claim is
kept here, one row per (article, claimant), so `syndicate status` can name
every clash in a bounded list however many cycles repeat it.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from .db import iso, transaction


def record(db: sqlite3.Connection, article_id: str, url: str | None, owner: str, source: str,
           now: datetime) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO clashes (article_id, source, owner, url, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (article_id, source) DO UPDATE SET owner=excluded.owner, url=excluded.url,"
            " last_seen=excluded.last_seen, times=times + 1",
            (article_id, source, owner, url, iso(now), iso(now)),
        )


def forget(db: sqlite3.Connection, article_id: str, source: str) -> None:
    """`source` now owns the article: its claim is no longer a clash."""
    with transaction(db):
        db.execute("DELETE FROM clashes WHERE article_id = ? AND source = ?", (article_id, source))


def count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT COUNT(*) FROM clashes").fetchone()[0]


def recent(db: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The latest clashes, most recently seen first."""
    rows = db.execute(
        "SELECT url, owner, source, first_seen, last_seen, times FROM clashes"
        " ORDER BY last_seen DESC, url, source LIMIT ?", (limit,)
    ).fetchall()
    return [dict(r) for r in rows]
