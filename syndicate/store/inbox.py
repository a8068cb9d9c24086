"""The inbox_files table: each inbox file as last read (its stat, the hash
of its bytes, the article it became), so a cycle reads only the files that
changed. The files stay the source of truth: a row only ever lets a read
be skipped, and only while the article it produced is stored unchanged."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from .db import iso, transaction


@dataclass(frozen=True)
class InboxFile:
    path: str
    size: int
    mtime_ns: int
    inode: int
    file_hash: str
    reader: str
    article_id: str
    article_hash: str
    # The article is in the store with this very content: skipping is safe.
    # False after a crash between reading the file and storing its article.
    stored: bool


def files(db: sqlite3.Connection, source: str) -> dict[str, InboxFile]:
    rows = db.execute(
        # A corrected headline or dateline gives the file a new natural id
        # while its article keeps the old one (articles.resolve_id):
        # article_keys leads from the one to the other.
        """SELECT f.path, f.size, f.mtime_ns, f.inode, f.file_hash, f.reader, f.article_id, f.article_hash,
                  a.content_hash IS NOT NULL AND a.content_hash = f.article_hash AS stored
           FROM inbox_files f
           LEFT JOIN article_keys k ON k.source = f.source AND k.key = 'natural:' || f.article_id
           LEFT JOIN articles a ON a.id = COALESCE(k.article_id, f.article_id)
           WHERE f.source = ?""",
        (source,),
    )
    return {r["path"]: InboxFile(*tuple(r)[:8], bool(r["stored"])) for r in rows}


def save(db: sqlite3.Connection, source: str, rows: list[InboxFile], now: datetime) -> None:
    """Record files as read, in one transaction (a first run of 50,000 files
    must not pay 50,000 commits)."""
    if not rows:
        return
    with transaction(db):
        db.executemany(
            """INSERT INTO inbox_files (source, path, size, mtime_ns, inode, file_hash, reader, article_id,
                                        article_hash, seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                   inode = excluded.inode, file_hash = excluded.file_hash, reader = excluded.reader,
                   article_id = excluded.article_id, article_hash = excluded.article_hash,
                   seen = excluded.seen""",
            [(source, r.path, r.size, r.mtime_ns, r.inode, r.file_hash, r.reader, r.article_id, r.article_hash,
              iso(now)) for r in rows],
        )


def forget(db: sqlite3.Connection, source: str, paths: list[str]) -> None:
    """Drop the rows of files that left the inbox (moved, deleted, rejected)."""
    if not paths:
        return
    with transaction(db):
        db.executemany("DELETE FROM inbox_files WHERE source = ? AND path = ?", [(source, p) for p in paths])
