"""The runs table: one row per cycle, with its status, exit code and report.

A run is written "running" when it starts and finished with the cycle's
status: "ok", "problems" (rejects, source errors or pending translations)
or "error" (the cycle raised). A run still "running" when the next one
starts was killed (kill -9, power loss: the data folder's lock says no
other run is alive) and becomes "interrupted", with no finish time, so it
never counts as the last finished run. Nothing else is ever written.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from .db import iso, transaction


def start(db: sqlite3.Connection, now: datetime) -> int:
    with transaction(db):
        db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        return db.execute("INSERT INTO runs (started) VALUES (?)", (iso(now),)).lastrowid


def count_by_status(db: sqlite3.Connection) -> dict[str, int]:
    return {r[0]: r[1] for r in db.execute("SELECT status, COUNT(*) FROM runs GROUP BY status")}


def prune(db: sqlite3.Connection, older_than: datetime, limit: int) -> int:
    """Delete at most `limit` runs started before `older_than`, never the
    last finished one (/healthz and `syndicate status` read it) nor one
    still running."""
    with transaction(db):
        return db.execute(
            "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE started < ? AND status <> 'running'"
            " AND id IS NOT (SELECT MAX(id) FROM runs WHERE finished IS NOT NULL) LIMIT ?)",
            (iso(older_than), limit),
        ).rowcount


def finish(db: sqlite3.Connection, run_id: int, status: str, exit_code: int, report: dict[str, Any],
           now: datetime) -> None:
    with transaction(db):
        db.execute(
            "UPDATE runs SET finished=?, status=?, exit_code=?, report_json=? WHERE id=?",
            (iso(now), status, exit_code, json.dumps(report, ensure_ascii=False), run_id),
        )


def last_finished(db: sqlite3.Connection) -> dict[str, Any] | None:
    r = db.execute("SELECT * FROM runs WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    if r is None:
        return None
    d = dict(r)
    d["report"] = json.loads(d.pop("report_json"))
    return d
