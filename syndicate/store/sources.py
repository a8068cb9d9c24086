"""The source_state and source_items tables.

source_state: per-source health (validators, last success and error, the
failure count and backoff deadline); the backoff policy itself lives in
syndicate.sources.state. source_items: what each remote feed item looked
like when last taken, so an unchanged item costs no page fetch, and the
content hash handed to the pipeline, so an item collected but never stored
(a crash between collect and store) is fetched again.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .db import iso, transaction


def state(db: sqlite3.Connection, name: str) -> dict[str, Any]:
    r = db.execute("SELECT * FROM source_state WHERE name = ?", (name,)).fetchone()
    return dict(r) if r else {"name": name, "failures": 0}


def all_states(db: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in db.execute("SELECT * FROM source_state ORDER BY name")]


def set_state(db: sqlite3.Connection, name: str, fields: dict[str, Any]) -> None:
    cols = sorted(fields)
    with transaction(db):
        db.execute("INSERT OR IGNORE INTO source_state (name) VALUES (?)", (name,))
        if cols:
            db.execute(
                f"UPDATE source_state SET {', '.join(c + '=?' for c in cols)} WHERE name = ?",
                [fields[c] for c in cols] + [name],
            )


@dataclass
class ItemState:
    url: str
    entry_hash: str | None
    content_hash: str | None
    full_text: bool
    attempts: int
    last_error: str | None


def items(db: sqlite3.Connection, source: str) -> dict[str, ItemState]:
    rows = db.execute(
        "SELECT url, entry_hash, content_hash, full_text, attempts, last_error FROM source_items WHERE source = ?",
        (source,),
    )
    return {
        r["url"]: ItemState(r["url"], r["entry_hash"], r["content_hash"], bool(r["full_text"]), r["attempts"],
                            r["last_error"])
        for r in rows
    }


def save_item(
    db: sqlite3.Connection, source: str, url: str, *, entry_hash: str | None, content_hash: str | None,
    full_text: bool, attempts: int, last_error: str | None, now: datetime,
) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO source_items (source, url, entry_hash, content_hash, full_text, attempts, last_error, seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, url) DO UPDATE SET"
            " entry_hash=excluded.entry_hash, content_hash=excluded.content_hash, full_text=excluded.full_text,"
            " attempts=excluded.attempts, last_error=excluded.last_error, seen=excluded.seen",
            (source, url, entry_hash, content_hash, int(full_text), attempts, last_error, iso(now)),
        )


def unconfirmed(db: sqlite3.Connection, source: str) -> list[str]:
    """Items handed to the pipeline whose article is not (or not in that
    version) in the store: a run stopped between collect and store. An
    item whose article another source owns was refused as a clash, not
    lost: it is not waiting for anything."""
    rows = db.execute(
        "SELECT i.url FROM source_items i LEFT JOIN articles a ON a.url = i.url"
        " WHERE i.source = ? AND i.content_hash IS NOT NULL"
        " AND (a.id IS NULL OR (a.source = i.source AND a.content_hash IS NOT i.content_hash))",
        (source,),
    )
    return [r["url"] for r in rows]


def forget_items(db: sqlite3.Connection, source: str, keep: set[str], older_than: datetime) -> int:
    """Drop item rows not seen since `older_than`, except those in `keep`."""
    with transaction(db):
        rows = db.execute(
            "SELECT url FROM source_items WHERE source = ? AND seen < ?", (source, iso(older_than))
        ).fetchall()
        gone = [r["url"] for r in rows if r["url"] not in keep]
        db.executemany("DELETE FROM source_items WHERE source = ? AND url = ?", [(source, u) for u in gone])
    return len(gone)
