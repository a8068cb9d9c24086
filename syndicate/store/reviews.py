"""The reviews table: every editorial action (approve, reject, edit,
withdraw, restore) with who took it and when, in the order taken. Nothing
here is ever updated or deleted: it is the history `review log` shows."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from .db import iso, transaction


def record(
    db: sqlite3.Connection, article_id: str, language: str, action: str, *, by: str, at: datetime,
    note: str = "", detail: dict[str, Any] | None = None,
) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO reviews (article_id, language, action, by, at, note, detail_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, language, action, by, iso(at), note, json.dumps(detail or {}, ensure_ascii=False)),
        )


def _row(r: sqlite3.Row) -> dict[str, Any]:
    d = dict(r)
    d["detail"] = json.loads(d.pop("detail_json"))
    return d


def history(db: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    rows = db.execute("SELECT * FROM reviews WHERE article_id = ? ORDER BY id", (article_id,))
    return [_row(r) for r in rows]


def edits(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every edit, oldest first: what `glossary candidates` mines."""
    return [_row(r) for r in db.execute("SELECT * FROM reviews WHERE action = 'edit' ORDER BY id")]
