"""The runs table: one row per cycle, with its status, exit code and report.

A run is written "running" when it starts and finished with the cycle's
status: "ok", "problems" (rejects, source errors or pending translations)
or "error" (the cycle raised). Nothing else is ever written.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from .db import iso, transaction


def start(db: sqlite3.Connection, now: datetime) -> int:
    with transaction(db):
        return db.execute("INSERT INTO runs (started) VALUES (?)", (iso(now),)).lastrowid


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
