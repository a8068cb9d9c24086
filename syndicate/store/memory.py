"""The translation_memory table: model outputs keyed by (model with its
version, direction, glossary version, normalized source segment). What the
key means and what is worth remembering is syndicate.translate.memory's
business; this module only reads and writes rows."""
from __future__ import annotations

import sqlite3
from datetime import datetime

from .db import iso, transaction

# SQLite caps bound parameters; 500 per query is far below any limit.
_CHUNK = 500


def lookup(
    db: sqlite3.Connection, model: str, direction: str, glossary_version: str, sources: list[str]
) -> dict[str, tuple[str, float | None]]:
    """{source: (target, score)} for the sources on record under the key."""
    found: dict[str, tuple[str, float | None]] = {}
    for i in range(0, len(sources), _CHUNK):
        part = sources[i : i + _CHUNK]
        rows = db.execute(
            "SELECT source, target, score FROM translation_memory WHERE model = ? AND direction = ?"
            f" AND glossary_version = ? AND source IN ({','.join('?' * len(part))})",
            [model, direction, glossary_version, *part],
        )
        for source, target, score in rows:
            found[source] = (target, score)
    return found


def save(
    db: sqlite3.Connection, model: str, direction: str, glossary_version: str,
    items: list[tuple[str, str, float | None]], now: datetime,
) -> None:
    """Record (source, target, score) triples in one transaction; a key on
    record gets the new target."""
    rows = [(model, direction, glossary_version, s, t, sc, iso(now)) for s, t, sc in items]
    with transaction(db):
        db.executemany(
            "INSERT INTO translation_memory (model, direction, glossary_version, source, target, score,"
            " created) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model, direction, glossary_version, source)"
            " DO UPDATE SET target = excluded.target, score = excluded.score, created = excluded.created",
            rows,
        )


def count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT COUNT(*) FROM translation_memory").fetchone()[0]


def prune(db: sqlite3.Connection, older_than: datetime, limit: int) -> int:
    """Delete at most `limit` entries saved before `older_than`. A pruned
    sentence costs one model call the next time it is needed."""
    with transaction(db):
        return db.execute(
            "DELETE FROM translation_memory WHERE rowid IN"
            " (SELECT rowid FROM translation_memory WHERE created < ? LIMIT ?)",
            (iso(older_than), limit),
        ).rowcount


# --- human translations ---------------------------------------------------------------
# Editors' sentences, keyed by direction and the normalized source sentence
# as written (not the placeholder text the model sees): a person's
# translation holds whatever the model or the glossary version.


def human_lookup(db: sqlite3.Connection, direction: str, sources: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i in range(0, len(sources), _CHUNK):
        part = sources[i : i + _CHUNK]
        rows = db.execute(
            "SELECT source, target FROM human_memory WHERE direction = ?"
            f" AND source IN ({','.join('?' * len(part))})",
            [direction, *part],
        )
        found.update({s: t for s, t in rows})
    return found


def human_save(
    db: sqlite3.Connection, direction: str, items: list[tuple[str, str]], *, by: str, article_id: str, now: datetime,
) -> None:
    with transaction(db):
        db.executemany(
            "INSERT INTO human_memory (direction, source, target, by, at, article_id) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (direction, source) DO UPDATE SET target = excluded.target, by = excluded.by,"
            " at = excluded.at, article_id = excluded.article_id",
            [(direction, s, t, by, iso(now), article_id) for s, t in items],
        )


def human_count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT COUNT(*) FROM human_memory").fetchone()[0]
