"""Translation memory over the store's ``translation_memory`` table.

Key: (model key with its version, direction, glossary version, normalized
source segment). The glossary version is the one the glossary gives for
that sentence (Protected.terms_version: its matches and their targets), so
a glossary edit misses only on the sentences it touches. The source segment is what the model is given, i.e. the
sentence after the glossary put its placeholders in, and the target is
what the model returned for it; the glossary restores terms after the
lookup exactly as after a model call, so term coverage is recorded the
same way on a hit. A new model version or glossary version is a new key:
nothing stale is ever reused.

Only outputs that passed the degenerate-output checks are stored.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from datetime import datetime, timezone

_WS = re.compile(r"\s+")


def normalize_source(text: str) -> str:
    """NFC and single spaces: the same sentence re-ingested with different
    whitespace or composition is still a hit."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


class TranslationMemory:
    def __init__(self, db: sqlite3.Connection | object):
        # Accept a Store as well as its connection.
        self.db = getattr(db, "db", db)
        self.hits = 0
        self.misses = 0
        self.stored = 0

    def lookup(
        self, model: str, direction: str, glossary_version: str, sources: list[str]
    ) -> dict[str, tuple[str, float | None]]:
        """{normalized source: (target, score)} for the sources on record."""
        keys = sorted({normalize_source(s) for s in sources})
        found: dict[str, tuple[str, float | None]] = {}
        # SQLite caps bound parameters; 500 per query is far below any limit.
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            rows = self.db.execute(
                "SELECT source, target, score FROM translation_memory WHERE model = ? AND direction = ?"
                f" AND glossary_version = ? AND source IN ({','.join('?' * len(part))})",
                [model, direction, glossary_version, *part],
            )
            for source, target, score in rows:
                found[source] = (target, score)
        return found

    def store(
        self,
        model: str,
        direction: str,
        glossary_version: str,
        items: list[tuple[str, str, float | None]],
    ) -> None:
        """Record (source, target, score) triples in one transaction."""
        if not items:
            return
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        rows = [(model, direction, glossary_version, normalize_source(s), t, sc, now) for s, t, sc in items]
        in_tx = self.db.in_transaction
        if not in_tx:
            self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(
                "INSERT INTO translation_memory (model, direction, glossary_version, source, target, score,"
                " created) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model, direction, glossary_version, source)"
                " DO UPDATE SET target = excluded.target, score = excluded.score, created = excluded.created",
                rows,
            )
        except BaseException:
            if not in_tx:
                self.db.execute("ROLLBACK")
            raise
        if not in_tx:
            self.db.execute("COMMIT")
        self.stored += len(rows)

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM translation_memory").fetchone()[0]
