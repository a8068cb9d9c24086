"""The connection and its transactions: how the database file is opened
(pragmas, threads) and the one `transaction()` every write goes through.
Also the text form of times, so every table stores them alike."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator


class StoreError(Exception):
    pass


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(dt: datetime) -> str:
    return dt.isoformat()


def parse_iso(s: str) -> datetime:
    return datetime.fromisoformat(s)


def connect(path: Path | str) -> sqlite3.Connection:
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves so every
    # transaction boundary is explicit. check_same_thread=False lets the
    # daemon's scheduler thread use a store opened on the main thread;
    # callers never share one connection between threads at once.
    db = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
    db.row_factory = sqlite3.Row
    # WAL lets `syndicate status` and the HTTP server read while a run writes.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception.

    Inside a transaction that is already open, join it: the outer one
    decides, so a write composed of several table writes (an article and
    its queued translation) still applies whole or not at all.
    """
    if db.in_transaction:
        yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")
